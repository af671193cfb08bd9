import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, DataResource, LocalBackend, TerraformStack } from 'cdktf';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { ClusterTeardown } from '../../lib';
import { NodeGroupDeleter } from '../../lib/private/node-group-deleter';
import { CLUSTER_ENV, KUBECONFIG_ENV, NODE_GROUP_ENV } from '../../runtime/teardown/flags';
import { shellQuote } from '../../scripts/lib/shell-quote';
import { terraformBinary } from '../../scripts/lib/terraform';

/**
 * The teardown's and the node groups' deleter's destroy-time provisioners run by the
 * real Terraform and the null provider: a cloud name built to run code if any shell or
 * Terraform template parsed it reaches the CLI (here a stub that records what it got)
 * verbatim, and each runs when and in the order the delete of a node group needs.
 */
jest.setTimeout(120_000);

const CLUSTER = '3f7a89e8-0a9b-4f56-88e7-dfacb86eaca0';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'teardown-provisioner-'));
const marker = path.join(work, 'pwned');
const HOSTILE_CLOUD = `dev cloud; touch ${marker} && echo $(touch ${marker}) \`touch ${marker}\` | "q" 'it's' * -x $HOME \${self.id} $$$\${x} %{ if true }y%{ endif } 100%% nœud`;

/** The kubeconfigs of the operator's shell, which local-exec hands on to the CLI as Terraform's own environment. */
const OPERATOR_KUBECONFIG = `${path.join(work, 'kube', 'prod')}${path.delimiter}${path.join(work, 'kube dir', 'lab; $(touch x)')}`;

function terraform(dir: string, ...args: string[]) {
  const env = { ...process.env, [KUBECONFIG_ENV]: OPERATOR_KUBECONFIG };
  const run = spawnSync(terraformBinary, [...args, '-input=false', '-no-color'], { cwd: dir, encoding: 'utf8', env });
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

  // THEN the CLI got fixed flags on its command line (no --delete-cluster: a cluster given by id is not the stack's) and each value verbatim in its environment
  const got = JSON.parse(fs.readFileSync(seen, 'utf8'));
  expect(got.argv).toEqual(['--cluster-from-env', '--kubeconfig-from-env', '--include-volumes']);
  expect(got.env[CLUSTER_ENV]).toBe(CLUSTER);
  expect(got.env[KUBECONFIG_ENV]).toBe(OPERATOR_KUBECONFIG);
  expect(got.env.OS_CLOUD).toBe(HOSTILE_CLOUD);
  expect(fs.existsSync(marker)).toBe(false);
});

describe("the node groups' deleter, on a running configuration changed", () => {
  // GIVEN a stub CLI that appends each run's argv and handed-over values to a log; the teardown's run
  // takes a second, so that a deleter running beside it rather than after it would log first
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-group-deleter-'));
  const log = path.join(dir, 'runs.jsonl');
  const stub = path.join(dir, 'stub.js');
  fs.writeFileSync(
    stub,
    `const e = process.env; if (e.${CLUSTER_ENV}) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000); ` +
      `require('fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify({ argv: process.argv.slice(2), ` +
      `cluster: e.${CLUSTER_ENV}, nodeGroup: e.${NODE_GROUP_ENV}, cloud: e.OS_CLOUD }) + '\\n')`,
  );
  const runs = () =>
    fs.existsSync(log)
      ? fs
          .readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
      : [];
  const DELETE = ['delete-node-group', '--node-group-from-env'];

  /**
   * The stack with a teardown and these node groups, by name: the provider's id of each, and the
   * flavor that, changed, replaces it. The stand-in for a node group is a terraform_data whose
   * output holds the id pair (`<cluster uuid>/<node group uuid>`), replaced when its flavor changes,
   * as the provider replaces a group (ForceNew); the real group's provider needs a cloud.
   */
  function synth(groups: Record<string, { uuid: string; flavor: string }>): string {
    const app = new App({ outdir: path.join(dir, 'out') });
    const stack = new TerraformStack(app, 'groups');
    new LocalBackend(stack, { path: path.join(dir, 'terraform.tfstate') });
    new NullProvider(stack, 'null', {});
    const cluster = { clusterId: CLUSTER };
    new ClusterTeardown(stack, 'teardown', { cluster, cloudName: HOSTILE_CLOUD, command: `node ${shellQuote(stub)}` });
    for (const [name, { uuid, flavor }] of Object.entries(groups)) {
      const group = new DataResource(stack, name, { input: { id: `${CLUSTER}/${uuid}` }, triggersReplace: { flavor } });
      NodeGroupDeleter.of(cluster, stack).add(group, group.getStringAttribute('output.id'));
    }
    app.synth();
    return path.join(dir, 'out', 'stacks', 'groups');
  }

  /** Where in Terraform's output a line matching `pattern` is (it prints each step as it happens). */
  const at = (output: string, pattern: RegExp) => output.split('\n').findIndex((l) => pattern.test(l));
  const [GPU, INFRA, INFRA_NEW] = ['6a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d', '7b2e3d4c-5f6a-4b7c-9d8e-0f1a2b3c4d5e', '8c3f4e5d-6a7b-4c8d-8e9f-1a2b3c4d5e6f'];

  test('removing a group runs its deleter before the group is destroyed; replacing one, too; at destroy the teardown runs first', () => {
    // GIVEN two groups applied
    let stackDir = synth({ gpu: { uuid: GPU, flavor: 'g1' }, infra: { uuid: INFRA, flavor: 'm1' } });
    expect(terraform(stackDir, 'init')).toMatchObject({ status: 0 });
    expect(terraform(stackDir, 'apply', '-auto-approve')).toMatchObject({ status: 0 });
    expect(runs()).toEqual([]);

    // WHEN one is removed from the code
    stackDir = synth({ infra: { uuid: INFRA, flavor: 'm1' } });
    const removed = terraform(stackDir, 'apply', '-auto-approve');
    expect(removed.output).toMatch(/Apply complete! Resources: 0 added, 0 changed, 2 destroyed\./);
    // THEN its deleter ran with its id pair and the cloud verbatim, and was done before the group's delete began
    expect(runs()).toEqual([{ argv: DELETE, nodeGroup: `${CLUSTER}/${GPU}`, cloud: HOSTILE_CLOUD }]);
    expect(at(removed.output, /NodeGroupDeleter-1_\w+\["gpu"\]: Destruction complete/)).toBeGreaterThan(-1);
    expect(at(removed.output, /NodeGroupDeleter-1_\w+\["gpu"\]: Destruction complete/)).toBeLessThan(at(removed.output, /terraform_data\.gpu: Destroying/));

    // WHEN the other is replaced (a ForceNew setting changed: Magnum gets a new group)
    stackDir = synth({ infra: { uuid: INFRA_NEW, flavor: 'm2' } });
    const replaced = terraform(stackDir, 'apply', '-auto-approve');
    expect(replaced.output).toMatch(/Apply complete! Resources: 2 added, 0 changed, 2 destroyed\./);
    // THEN the old group was deleted by its deleter before the provider's delete of it
    expect(runs().slice(1)).toEqual([{ argv: DELETE, nodeGroup: `${CLUSTER}/${INFRA}`, cloud: HOSTILE_CLOUD }]);
    expect(at(replaced.output, /\["infra"\]: Destruction complete/)).toBeLessThan(at(replaced.output, /terraform_data\.infra: Destroying/));

    // WHEN the stack is destroyed
    const destroyed = terraform(stackDir, 'destroy', '-auto-approve');
    expect(destroyed.output).toMatch(/Destroy complete!/);
    // THEN the teardown ran first (it deletes every group), then the deleter of the one left (the real CLI finds it gone: exit 0)
    expect(runs().slice(2)).toEqual([
      { argv: ['--cluster-from-env', '--kubeconfig-from-env'], cluster: CLUSTER, cloud: HOSTILE_CLOUD },
      { argv: DELETE, nodeGroup: `${CLUSTER}/${INFRA_NEW}`, cloud: HOSTILE_CLOUD },
    ]);
    expect(fs.existsSync(marker)).toBe(false);
  });
});
