import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, DataResource, LocalBackend, TerraformStack } from 'cdktf';
import { planStack } from '../../scripts/pr-diff';
import { terraformBinary } from '../../scripts/lib/terraform';

/**
 * pr-diff's `--plan` through the real Terraform CLI (.toolchain/env), and the compiled script (dist/) as the
 * workflow runs it; its diff of synthesized JSON and its rendering are unit tests.
 */
jest.setTimeout(120_000);

describe('pr-diff with --plan: terraform plan of each stack against its state', () => {
  test('plans a create, then, after apply, a replacement of what changed', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-'));
    const synth = (input: string) => {
      const app = new App({ outdir });
      const stack = new TerraformStack(app, 'plain');
      new LocalBackend(stack, { path: 'terraform.tfstate' });
      new DataResource(stack, 'marker', { triggersReplace: { input } });
      app.synth();
      return path.join(outdir, 'stacks', 'plain');
    };
    const dir = synth('one');
    expect(planStack(dir)).toEqual([{ address: 'terraform_data.marker', action: 'create', attributes: [] }]);
    execFileSync(terraformBinary, ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: dir, stdio: 'pipe' });
    synth('two');
    expect(planStack(dir)).toEqual([
      {
        address: 'terraform_data.marker',
        action: 'replace',
        attributes: expect.arrayContaining(['triggers_replace.input']),
        order: 'destroy-before-create',
        cause: ['triggers_replace'],
      },
    ]);
  });

  test('a plan a precondition refuses: the comment quotes the refusal beside the other stacks, and the exit status is 1', () => {
    // GIVEN two stacks, one of them guarded by a precondition that refuses its settings (a message Terraform wraps)
    const message = 'guarded/Cluster: flavor = "m1.medium": is a change a running cluster cannot take. Fix: add a node group of m1.medium, or keep "m1.small".';
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'refused-'));
    const app = new App({ outdir });
    const plain = new TerraformStack(app, 'plain');
    new LocalBackend(plain, { path: 'terraform.tfstate' });
    new DataResource(plain, 'marker', { input: { value: 'one' } });
    const guarded = new TerraformStack(app, 'guarded');
    new LocalBackend(guarded, { path: 'terraform.tfstate' });
    new DataResource(guarded, 'settings', { input: { flavor: 'm1.medium' } });
    new DataResource(guarded, 'guard', {
      input: { flavor: 'm1.small' },
      lifecycle: { ignoreChanges: ['input'], precondition: [{ condition: '${terraform_data.settings.input.flavor == "m1.small"}', errorMessage: message }] },
    });
    app.synth();
    // WHEN the compiled pr-diff plans them
    const run = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'dist', 'scripts', 'pr-diff.js'), '--head', outdir, '--plan'], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    // THEN the Markdown has both stacks, the refusal quoting the message whole, and the check fails
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^<!-- magnum-cdktf-diff -->\n/);
    expect(run.stdout).toContain('### `plain` — 1 to add, 0 to change, 0 to destroy, 0 to replace (terraform plan)');
    expect(run.stdout).toContain(['### `guarded` — ⛔ REFUSED at plan (terraform plan)', '', '> **⛔ REFUSED at plan**: '].join('\n'));
    expect(run.stdout).toContain(['```text', 'Error: Resource precondition failed', message, '```'].join('\n'));
    // AND Terraform's own output goes to the job's log
    expect(run.stderr).toMatch(/^pr-diff: terraform could not plan stack guarded .*\n[\s\S]*Resource precondition failed/);
  });
});
