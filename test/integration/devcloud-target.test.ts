import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { BASE_CONFIG_ENV, CONFIG_ENV, overrideLayers, resolveSites } from '../../stacks';

/**
 * devcloud/target.sh through bash, as scripts/start.sh and scripts/cdktf.sh source it: with no cloud
 * configured, the local cloud's site overrides become the base layer of stacks/config.ts, and a user's
 * own MAGNUM_CDKTF_CONFIG is left to apply on top. Runs the compiled devcloud/site.js (dist/, built by
 * setup): an integration test. Writes only under a temp PROJECT_ROOT (whose dist/ is the clone's) and
 * a temp DEVCLOUD_HOME (the stand-in image), never the clone's .toolchain/.
 */

const root = path.join(__dirname, '..', '..');

// A literal program; the paths go to it as arguments.
const TARGET = `PROJECT_ROOT=$1
source "$2/devcloud/target.sh"
devcloud_target || echo "devcloud_target returned $?" >&2
env`;

/** The environment after `devcloud_target`, run with `vars` over an environment free of clouds and overrides. */
function target(vars: Record<string, string>): { env: Record<string, string>; stderr: string; work: string } {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'target-'));
  const project = path.join(work, 'project');
  fs.mkdirSync(path.join(project, '.toolchain'), { recursive: true });
  fs.symlinkSync(path.join(root, 'dist'), path.join(project, 'dist'));
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^OS_/.test(k) && k !== CONFIG_ENV && k !== BASE_CONFIG_ENV));
  const run = spawnSync('bash', ['-c', TARGET, 'target', project, root], {
    encoding: 'utf8',
    env: { ...clean, DEVCLOUD_HOME: path.join(work, 'home'), ...vars },
  });
  expect(run.status).toBe(0);
  const env = Object.fromEntries(
    run.stdout
      .split('\n')
      .map((line) => /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line))
      .flatMap((m) => (m ? [[m[1], m[2]]] : [])),
  );
  return { env, stderr: run.stderr, work };
}

describe('devcloud/target.sh', () => {
  test("the local cloud's overrides become the base layer; the user's MAGNUM_CDKTF_CONFIG stays and applies on top", () => {
    // GIVEN a user's one-field overrides file and no cloud configured
    const user = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'user-')), 'site.json');
    fs.writeFileSync(user, JSON.stringify({ 'all-in-one': { flavor: 'm1.medium' } }));
    // WHEN target.sh targets the local cloud
    const { env, stderr, work } = target({ [CONFIG_ENV]: user });
    // THEN the user's variable is the user's file still, and the base names the local cloud's file
    expect(stderr).toBe('');
    expect(env.OS_CLOUD).toBe('devcloud');
    expect(env[CONFIG_ENV]).toBe(user);
    expect(env[BASE_CONFIG_ENV]).toBe(path.join(work, 'project', '.toolchain', 'devcloud-site.json'));
    // AND the stacks get the user's flavor over the local cloud's stand-in image, cloud and teardown command
    const site = resolveSites(overrideLayers(Testing.app(), env))['all-in-one'];
    expect(site.flavor).toBe('m1.medium');
    expect(site.imageFile).toBe(path.join(work, 'home', 'images', 'stand-in.qcow2'));
    expect(fs.existsSync(site.imageFile!)).toBe(true);
    expect(site.cloudName).toBe('devcloud');
    expect(site.teardownCommand).toMatch(/^node .*magnum-teardown\.js/);
  });

  test('without a user file, MAGNUM_CDKTF_CONFIG stays unset', () => {
    const { env } = target({});
    expect(env[CONFIG_ENV]).toBeUndefined();
    expect(env[BASE_CONFIG_ENV]).toMatch(/devcloud-site\.json$/);
  });

  test('with a cloud configured, it targets nothing and sets no overrides', () => {
    const { env, stderr } = target({ OS_CLOUD: 'elsewhere' });
    expect(stderr).toBe('devcloud_target returned 1\n');
    expect(env.OS_CLOUD).toBe('elsewhere');
    expect(env[BASE_CONFIG_ENV]).toBeUndefined();
  });
});
