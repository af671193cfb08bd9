import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * `npm run cdktf -- deploy|destroy|diff` (scripts/cdktf.sh) synthesizes by running the app that cdktf.json names
 * itself, not through `cdktf synth`: the same files, and a failing app stops the run before Terraform. In a copy
 * of the tree (built parts linked from this clone); the diff then fails on a cloud that does not exist, after
 * the synth this test is about, without a request.
 */
const root = path.join(__dirname, '..', '..');

function project(): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-synth-')), 'project');
  const copied = spawnSync('bash', ['-c', 'source scripts/lib/common.sh && copy_tree "$1"', '_', dir], { cwd: root, encoding: 'utf8' });
  if (copied.status !== 0) throw new Error(copied.stderr);
  for (const built of ['node_modules', 'dist', '.gen', '.toolchain']) fs.symlinkSync(path.join(root, built), path.join(dir, built));
  return dir;
}

/** `bash scripts/cdktf.sh diff all-in-one` in `dir`, against a cloud name no clouds.yaml has. */
function diff(dir: string, env: Record<string, string> = {}) {
  const run = spawnSync('bash', ['scripts/cdktf.sh', 'diff', 'all-in-one'], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, OS_CLOUD: 'no-such-cloud', FORCE_COLOR: '0', ...env },
  });
  return { status: run.status, output: run.stdout + run.stderr };
}

/** Each stack's cdk.tf.json under an output folder. */
function stacks(outdir: string): Record<string, string> {
  const dir = path.join(outdir, 'stacks');
  return Object.fromEntries(fs.readdirSync(dir).map((s) => [s, fs.readFileSync(path.join(dir, s, 'cdk.tf.json'), 'utf8')]));
}

describe("npm run cdktf's synth", () => {
  test('writes what `cdktf synth` writes, JSON even when the environment asks the CLI for HCL', () => {
    // GIVEN a copy of the project, and its stacks as the cdktf CLI synthesizes them
    const dir = project();
    const cli = spawnSync('npx', ['--no-install', 'cdktf', 'synth', '--output', 'cli.out'], { cwd: dir, encoding: 'utf8' });
    expect(cli.status).toBe(0);
    // WHEN the project's command synthesizes, with SYNTH_HCL_OUTPUT=true in the environment
    const run = diff(dir, { SYNTH_HCL_OUTPUT: 'true' });
    // THEN it got past the synth (to the plan, which the cloud that does not exist fails)
    expect(run.output).not.toMatch(/\[cdktf\] error/);
    // AND the stacks it left in cdktf.out are the CLI's, byte for byte
    expect(stacks(path.join(dir, 'cdktf.out'))).toEqual(stacks(path.join(dir, 'cli.out')));
  }, 120_000);

  test('an app that fails, or writes no manifest, stops the run before Terraform with what to fix', () => {
    const dir = project();
    const cdktfJson = path.join(dir, 'cdktf.json');
    const config = JSON.parse(fs.readFileSync(cdktfJson, 'utf8'));
    const withApp = (app: string) => fs.writeFileSync(cdktfJson, JSON.stringify({ ...config, app }));

    withApp('node dist/no-such-app.js');
    const failed = diff(dir);
    expect(failed.status).not.toBe(0);
    expect(failed.output).toContain('[cdktf] error: the synth (node dist/no-such-app.js) failed, see above: nothing was applied');
    expect(failed.output).not.toContain('Stack failed to plan');

    withApp('node -e 0');
    const silent = diff(dir);
    expect(silent.status).not.toBe(0);
    expect(silent.output).toMatch(/\[cdktf\] error: the app \(node -e 0\) wrote no cdktf\.out\.run-\d+\/manifest\.json: it must call app\.synth\(\)/);
  }, 60_000);
});
