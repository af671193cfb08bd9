import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, DataResource, LocalBackend, TerraformStack } from 'cdktf';
import { planStack } from '../../scripts/pr-diff';
import { terraformBinary } from '../../scripts/lib/terraform';

/** pr-diff's `--plan` through the real Terraform CLI (.toolchain/env); its diff of synthesized JSON is a unit test. */
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
    expect(planStack(dir)).toEqual([{ address: 'terraform_data.marker', action: 'replace', attributes: expect.arrayContaining(['triggers_replace.input']) }]);
  });
});
