import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { ClusterTeardown } from '../../lib';
import { CLUSTER_ENV } from '../../runtime/teardown/flags';
import { shellQuote } from '../../scripts/lib/shell-quote';
import { terraformBinary } from '../../scripts/lib/terraform';

/**
 * The teardown's destroy-time provisioner run by the real Terraform and the null
 * provider: a cloud name built to run code if any shell or Terraform template
 * parsed it reaches the CLI (here a stub that records what it got) verbatim.
 */
jest.setTimeout(120_000);

const CLUSTER = '3f7a89e8-0a9b-4f56-88e7-dfacb86eaca0';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'teardown-provisioner-'));
const marker = path.join(work, 'pwned');
const HOSTILE_CLOUD = `dev cloud; touch ${marker} && echo $(touch ${marker}) \`touch ${marker}\` | "q" 'it's' * -x $HOME \${self.id} $$$\${x} %{ if true }y%{ endif } 100%% nœud`;

function terraform(dir: string, ...args: string[]) {
  const run = spawnSync(terraformBinary, [...args, '-input=false', '-no-color'], { cwd: dir, encoding: 'utf8', env: process.env });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

test('Terraform hands the cluster id and a hostile cloud name to the CLI without a shell parsing them', () => {
  // GIVEN a teardown whose command is a stub recording its argv and environment
  const seen = path.join(work, 'seen.json');
  const stub = path.join(work, 'stub.js');
  fs.writeFileSync(stub, `require('fs').writeFileSync(${JSON.stringify(seen)}, JSON.stringify({ argv: process.argv.slice(2), env: process.env }))`);
  const app = new App({ outdir: path.join(work, 'out') });
  const stack = new TerraformStack(app, 'teardown');
  new LocalBackend(stack, { path: path.join(work, 'terraform.tfstate') });
  new NullProvider(stack, 'null', {});
  new ClusterTeardown(stack, 'teardown', {
    cluster: { clusterId: CLUSTER },
    cloudName: HOSTILE_CLOUD,
    includeVolumes: true,
    command: `node ${shellQuote(stub)}`,
  });
  app.synth();
  const dir = path.join(work, 'out', 'stacks', 'teardown');

  // WHEN Terraform creates it and destroys it
  expect(terraform(dir, 'init')).toMatchObject({ status: 0 });
  expect(terraform(dir, 'apply', '-auto-approve')).toMatchObject({ status: 0 });
  expect(fs.existsSync(seen)).toBe(false);
  const destroyed = terraform(dir, 'destroy', '-auto-approve');
  expect(destroyed.output).toMatch(/Destroy complete!/);

  // THEN the CLI got fixed flags on its command line and each value verbatim in its environment
  const got = JSON.parse(fs.readFileSync(seen, 'utf8'));
  expect(got.argv).toEqual(['--cluster-from-env', '--delete-failed-cluster', '--include-volumes']);
  expect(got.env[CLUSTER_ENV]).toBe(CLUSTER);
  expect(got.env.OS_CLOUD).toBe(HOSTILE_CLOUD);
  expect(fs.existsSync(marker)).toBe(false);
});
