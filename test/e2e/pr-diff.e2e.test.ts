import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEVCLOUD_CLOUDS_YAML, devcloudEnv, devcloudOverrides } from '../../devcloud';
import { terraformBinary } from '../../scripts/lib/terraform';

/**
 * The pull-request diff as the workflow runs it (.github/workflows/diff.yml: synthesize,
 * then `node dist/scripts/pr-diff.js --head cdktf.out --plan`), with the local cloud
 * standing in for the one named by the repository's secrets, and all-in-one's volume
 * type deployed so that the plan has real state to read back.
 */
jest.setTimeout(600_000);

const root = path.join(__dirname, '..', '..');
const VOLUME_TYPE = 'openstack_blockstorage_volume_type_v3';
let work: string;
let head: string;
let aio: string;
let address: string;

/** Runs a node script of the compiled project like the workflow's steps do. */
function node(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, ...env } });
}

function terraform(args: string[]) {
  const run = spawnSync(terraformBinary, [...args, '-input=false', '-no-color'], { cwd: aio, encoding: 'utf8', env: { ...process.env, ...devcloudEnv } });
  if (run.status !== 0) throw new Error(`terraform ${args.join(' ')}: ${run.stderr}`);
}

const prDiff = (env: NodeJS.ProcessEnv = devcloudEnv) => node([path.join(root, 'dist', 'scripts', 'pr-diff.js'), '--head', head, '--plan'], env);

/** Edits all-in-one's synthesized volume type, as a pull request's change to it would. */
function editVolumeType(edit: (body: Record<string, unknown>) => void): void {
  const file = path.join(aio, 'cdk.tf.json');
  const stack = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const body of Object.values<Record<string, unknown>>(stack.resource[VOLUME_TYPE])) edit(body);
  fs.writeFileSync(file, JSON.stringify(stack, null, 2));
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-diff-'));
  head = path.join(work, 'cdktf.out');
  aio = path.join(head, 'stacks', 'all-in-one');
  const site = path.join(work, 'site.json');
  fs.writeFileSync(site, JSON.stringify(devcloudOverrides()));
  // The stacks' relative local backend keeps their state in `work`, apart from npm start's.
  const synth = node([path.join(root, 'dist', 'main.js')], { CDKTF_OUTDIR: head, MAGNUM_CDKTF_CONFIG: site });
  expect(synth.stderr).toBe('');
  expect(synth.status).toBe(0);
  // "Deployed": all-in-one's volume type exists in Cinder and in the state (a name of its own,
  // so a deployed all-in-one on the same cloud is not disturbed).
  editVolumeType((body) => {
    body.name = `pr-diff-${process.pid}`;
  });
  address = `${VOLUME_TYPE}.${Object.keys(JSON.parse(fs.readFileSync(path.join(aio, 'cdk.tf.json'), 'utf8')).resource[VOLUME_TYPE])[0]}`;
  terraform(['init']);
  terraform(['apply', '-auto-approve', `-target=${address}`]);
});

afterAll(() => {
  if (address) terraform(['destroy', '-auto-approve', `-target=${address}`]);
  fs.rmSync(work, { recursive: true, force: true });
});

test('--plan plans every example stack against its state on the local cloud and renders one comment', () => {
  const run = prDiff();
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const sections = Object.fromEntries(
    run.stdout
      .split(/^### /m)
      .slice(1)
      .map((s) => [s.split('`')[1], s]),
  );
  expect(Object.keys(sections)).toEqual(['all-in-one', 'fedora-coreos']);
  for (const section of Object.values(sections)) {
    expect(section).toMatch(/— \d+ to add, 0 to change, 0 to destroy, 0 to replace \(terraform plan\)/);
    for (const type of [
      'openstack_networking_network_v2',
      'openstack_images_image_v2',
      'openstack_containerinfra_clustertemplate_v1',
      'openstack_containerinfra_cluster_v1',
      'null_resource',
    ]) {
      expect(section).toMatch(new RegExp(`^\\+ ${type}\\.`, 'm'));
    }
  }
  // The deployed volume type was read back from Cinder and is unchanged; fedora-coreos has none yet.
  expect(sections['all-in-one']).not.toContain(address);
  expect(sections['fedora-coreos']).toMatch(new RegExp(`^\\+ ${VOLUME_TYPE}\\.`, 'm'));
  // No credential of the cloud reaches the comment.
  const password = /password:\s*(\S+)/.exec(fs.readFileSync(DEVCLOUD_CLOUDS_YAML, 'utf8'))![1];
  expect(run.stdout).not.toContain(password);
});

test('--plan shows a change to a deployed resource as an update of the changed attribute', () => {
  editVolumeType((body) => {
    body.description = 'SSD for Docker volumes';
  });
  const run = prDiff();
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/`all-in-one` — \d+ to add, 1 to change, 0 to destroy/);
  expect(run.stdout).toContain(`~ ${address}  (description)`);
});

test('--plan fails, naming the cause, when the cloud refuses the credentials', () => {
  // The same cloud with a wrong password: refreshing the deployed volume type needs Keystone.
  const yaml = fs.readFileSync(DEVCLOUD_CLOUDS_YAML, 'utf8').replace(/password:\s*\S+/, 'password: not-the-password');
  const wrong = path.join(work, 'clouds.yaml');
  fs.writeFileSync(wrong, yaml, { mode: 0o600 });
  const run = prDiff({ ...devcloudEnv, OS_CLIENT_CONFIG_FILE: wrong });
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/^pr-diff: terraform could not plan stack all-in-one/);
  expect(run.stderr).toMatch(/401|authenticat/i);
  expect(run.stderr).not.toMatch(/\n\s+at /); // Terraform's message, not a stack trace of ours
});
