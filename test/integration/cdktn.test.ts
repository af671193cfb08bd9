import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { consume, expectSynthesized, listing } from '../support/package-consumer';
import { testFilesUnder } from '../support/test-files';

const root = path.join(__dirname, '..', '..');
/** The pinned Node 22 (scripts/node22.sh, installed once). */
const node22 = () => spawnSync('bash', [path.join(root, 'scripts', 'node22.sh')], { encoding: 'utf8' }).stdout.trim();

/** The example stacks' Terraform JSON as the app in `project` synthesizes it with `node`, without cdktf's metadata. */
function synthesized(project: string, node: string): Record<string, unknown> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
  const run = spawnSync(node, ['dist/main.js'], { cwd: project, encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: outdir } });
  if (run.status !== 0) throw new Error(`synth in ${project} failed: ${run.stderr.slice(-2000)}`);
  const withoutMetadata = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(withoutMetadata)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (k === '//' ? [] : [[k, withoutMetadata(v)]])))
        : value;
  return Object.fromEntries(
    fs
      .readdirSync(path.join(outdir, 'stacks'))
      .map((stack) => [stack, withoutMetadata(JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')))]),
  );
}

describe('CDK Terrain', () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdktn-')), 'project');

  test('every unit test passes with the app running on cdktn instead of cdktf, on Node 22, bindings from cdktn get', () => {
    // GIVEN a temp copy of the project, swapped to cdktn by the script CI runs
    // WHEN
    const run = spawnSync('bash', [path.join(root, 'scripts', 'cdktn-swap.sh'), dir, '--unit-tests'], {
      encoding: 'utf8',
      env: process.env,
      maxBuffer: 64 << 20,
    });
    // THEN the same unit suites ran there, all green, on cdktn's runtime
    const resultsFile = path.join(dir, '.tmp', 'jest-results.json');
    const output = fs.existsSync(resultsFile) ? '' : `${run.stdout.slice(-3000)}\n${run.stderr.slice(-1000)}`;
    expect({ status: run.status, output }).toEqual({ status: 0, output: '' });
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    expect(results.numFailedTests).toBe(0);
    expect(results.testResults).toHaveLength(testFilesUnder(path.join(root, 'test', 'unit')).length);
    expect(results.numPassedTests).toBeGreaterThan(100);
    const installed = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'cdktn', 'package.json'), 'utf8'));
    expect(installed.version).toBe('0.24.0');
    expect(fs.existsSync(path.join(dir, 'node_modules', 'cdktf'))).toBe(false);
    // AND the bindings were made by cdktn-cli itself, on Node 22, and import cdktn
    expect(run.stderr).toMatch(/\[cdktn\] installing cdktn 0\.24\.0 in place of cdktf \(Node v22\.\d+\.\d+\)/);
    expect(run.stderr).toContain('[setup] generating OpenStack bindings (cdktn get)');
    const provider = fs.readFileSync(path.join(dir, '.gen', 'providers', 'openstack', 'provider', 'index.ts'), 'utf8');
    expect(provider).toContain("import * as cdktn from 'cdktn';");
  }, 600_000);

  test('the cdktn app synthesizes what the cdktf app does, so a deployed stack moves over without a state change', () => {
    // GIVEN the flavour made above, and this checkout's app
    // WHEN both synthesize the example stacks
    const onCdktf = synthesized(root, process.execPath);
    const onCdktn = synthesized(dir, node22());
    // THEN the resources, data sources, outputs, variables and backend are the same; only the null provider's
    // source is written in full by cdktn's generated binding (hashicorp/null: the same provider in the state)
    expect(Object.keys(onCdktn).sort()).toEqual(Object.keys(onCdktf).sort());
    for (const stack of Object.keys(onCdktf)) {
      const cdktf = onCdktf[stack] as { terraform: { required_providers: Record<string, { source: string }> } };
      expect(cdktf.terraform.required_providers.null.source).toBe('null');
      cdktf.terraform.required_providers.null.source = 'hashicorp/null';
      expect({ stack, json: onCdktn[stack] }).toEqual({ stack, json: cdktf });
    }
  }, 120_000);

  test("the PR diff workflow's cdktn line synthesizes in the flavour on Node 22, and its diff against the cdktf synth is empty", () => {
    // GIVEN this checkout's stacks synthesized on cdktf, as the base branch's are
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-base-'));
    const synth = spawnSync(process.execPath, ['dist/main.js'], { cwd: root, encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: base } });
    expect(synth.status).toBe(0);
    // AND a fresh checkout of it, as actions/checkout leaves one: nothing installed, built or generated
    const checkout = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pr-cdktn-')), 'head');
    const copied = spawnSync('bash', ['-c', 'source scripts/lib/common.sh && copy_tree "$1"', '_', checkout], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(copied.stderr).toBe('');
    expect(fs.existsSync(path.join(checkout, 'node_modules'))).toBe(false);
    // WHEN the workflow's synthesis runs there with the repository variable MAGNUM_CDKTF_LINE=cdktn
    const outputs = path.join(checkout, '..', 'github-output');
    const run = spawnSync('bash', ['.github/synth-line.sh'], {
      cwd: checkout,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      env: { ...process.env, LINE: 'cdktn', GITHUB_OUTPUT: outputs },
    });
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr.slice(-3000) }).toEqual({ status: 0, stderr: '' });
    // THEN it tells the diff step where the stacks are: the flavour beside the checkout
    const flavour = `${checkout}-cdktn`;
    expect(fs.readFileSync(outputs, 'utf8')).toBe(`folder=${flavour}\n`);
    // AND the stacks were synthesized by the flavour's app, on cdktn (its generated null binding names hashicorp/null)
    const stack = JSON.parse(fs.readFileSync(path.join(flavour, 'cdktf.out', 'stacks', 'all-in-one', 'cdk.tf.json'), 'utf8'));
    expect(stack.terraform.required_providers.null.source).toBe('hashicorp/null');
    expect(fs.existsSync(path.join(flavour, 'node_modules', 'cdktf'))).toBe(false);
    // AND the workflow's diff step, run there, finds nothing changed against the cdktf synthesis
    const diff = spawnSync(process.execPath, ['dist/scripts/pr-diff.js', '--head', 'cdktf.out', '--base', base], { cwd: flavour, encoding: 'utf8' });
    expect(diff.status).toBe(0);
    const headings = diff.stdout.split('\n').filter((l) => l.startsWith('### '));
    expect(headings).toEqual([
      '### `all-in-one` — no changes (synthesized JSON against the base branch)',
      '### `fedora-coreos` — no changes (synthesized JSON against the base branch)',
    ]);
  }, 600_000);

  test('a cdktn project installs magnum-cdktn from its tarball, compiles with tsc and synthesizes on Node 22, with no cdktf installed', () => {
    // GIVEN the library packed as magnum-cdktn from the flavour made above, by the script a release runs
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktn-consumer-'));
    const pins = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).devDependencies;
    const packed = spawnSync('bash', [path.join(root, 'scripts', 'cdktn-pack.sh'), dir, work], { encoding: 'utf8' });
    expect({ status: packed.status, stderr: packed.status === 0 ? '' : packed.stderr.slice(-3000) }).toEqual({ status: 0, stderr: '' });
    const tarball = packed.stdout.trim().split('\n').pop()!;
    const manifest = JSON.parse(spawnSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }).stdout);
    const cdktnPeers = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'cdktn', 'package.json'), 'utf8')).peerDependencies;
    expect({ name: manifest.name, peers: manifest.peerDependencies }).toEqual({
      name: 'magnum-cdktn',
      peers: { cdktn: pins.cdktn, constructs: cdktnPeers.constructs },
    });
    const files = listing(tarball);
    expect(files).toContain('package/dist/.gen/providers/null/resource/index.js');
    expect(files).toContain('package/dist/bin/magnum-teardown.js');

    // WHEN a cdktn project installs it with cdktn and constructs (the versions the flavour pins), and compiles a stack against it
    const consumer = consume(work, tarball, {
      pkg: 'magnum-cdktn',
      cdk: 'cdktn',
      dependencies: [`cdktn@${pins.cdktn}`, `constructs@${pins.constructs}`, `typescript@${pins.typescript}`],
      node: node22(),
    });

    // THEN it synthesizes as magnum-cdktf's consumer does, without cdktf anywhere in the project
    expectSynthesized(consumer);
    expect(fs.existsSync(path.join(work, 'app', 'node_modules', 'cdktf'))).toBe(false);
  }, 300_000);
});
