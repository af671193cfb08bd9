import * as path from 'path';
import { OpenStackClient } from '../../../runtime/openstack';
import { runInBackground } from '../../support/background-run';
import { e2eClient, e2eOpenrc } from '../../support/e2e-project';
import { E2eStack, NOTHING_OURS, smallPlatform } from '../../support/e2e-stack';

/**
 * `terraform destroy` of platforms the provider cannot delete on its own, with the real
 * terraform-provider-openstack 3.4.0 and the real Magnum: one run, nothing left.
 * - a cluster whose update failed: the provider alone errors on the stale UPDATE_FAILED
 *   it reads right after its delete; ClusterTeardown's `--delete-cluster` leaves it a 404;
 * - node groups with names a shell would split or run (a space, a `;`): the teardown
 *   deletes them first (the provider cannot wait for that on Magnum 15), and no name
 *   passes through the shell that runs the destroy-time command.
 *
 * The three run at once, each its own stack (names apart: no tag starts another), as independent
 * platforms on one cloud: they wait on Heat and Magnum far more than they compute.
 */
jest.setTimeout(1_500_000);

/** One stack a scenario: resize, names, create. */
const stacks = { resize: new E2eStack(`tdf${process.pid}r`), names: new E2eStack(`tdf${process.pid}n`), create: new E2eStack(`tdf${process.pid}c`) };
let client: OpenStackClient;

/** Synthesizes the platform with `nodeCount` workers and these node groups; by default the boot simulator fails every update. */
function synth(stack: E2eStack, nodeCount: number, nodeGroups: string[] = [], labels: Record<string, string> = { devcloud_boot: 'fail-updates' }): void {
  stack.synth((s) => {
    const platform = smallPlatform(s, stack, { nodeCount, labels });
    nodeGroups.forEach((name, i) => platform.cluster.addNodeGroup(`group${i}`, { name, nodeCount: 1 }));
  });
}

/** The stack's cluster, as Magnum lists it. */
const clusterOf = async (stack: E2eStack) => (await client.listClusters()).find((c) => c.name.startsWith(stack.tag))!;

beforeAll(async () => {
  client = await e2eClient();
});

// A failure above may have left a stack. Without the teardown's help the provider fails again while
// Magnum is still deleting the cluster: cleanUp tries a few times and says what is left.
afterAll(() => Promise.all(Object.values(stacks).map((stack) => stack.cleanUp())));

test.concurrent('destroy of a platform whose cluster failed its resize: one run, nothing left', async () => {
  const stack = stacks.resize;
  const terraform = (...args: string[]) => stack.terraformAsync(...args);
  // GIVEN the platform deployed with one worker
  synth(stack, 1);
  expect((await terraform('init')).status).toBe(0);
  const created = await terraform('apply', '-auto-approve');
  expect(created.output).toMatch(/Apply complete!/);
  const cluster = await clusterOf(stack);
  expect(cluster.status).toBe('CREATE_COMPLETE');

  // WHEN the resize to two workers fails on the servers: Terraform reports it, Magnum shows UPDATE_FAILED
  synth(stack, 2);
  const resized = await terraform('apply', '-auto-approve');
  expect(resized.status).not.toBe(0);
  expect(resized.output).toMatch(/UPDATE_FAILED|error state/);
  expect((await client.getCluster(cluster.uuid))?.status).toBe('UPDATE_FAILED');

  // THEN one destroy removes it all: the teardown deletes the failed cluster, the provider finds it gone
  const destroyed = await terraform('destroy', '-auto-approve');
  expect(destroyed.output).toContain(`deleting cluster ${cluster.uuid} (UPDATE_FAILED`);
  expect(destroyed.output).toMatch(/Destroy complete!/);
  expect(destroyed.status).toBe(0);
  expect(await client.getCluster(cluster.uuid)).toBeUndefined();
  expect(await stack.ours(client)).toEqual(NOTHING_OURS);
});

test.concurrent('destroy of a platform whose node groups are named "gpu; pool" and "infra $(reboot)": one run, nothing left', async () => {
  const stack = stacks.names;
  const terraform = (...args: string[]) => stack.terraformAsync(...args);
  // GIVEN a healthy platform with two node groups Magnum accepts under names a shell would split or run
  const groups = ['gpu; pool', 'infra $(reboot)'];
  synth(stack, 1, groups, {});
  expect((await terraform('init')).status).toBe(0);
  const created = await terraform('apply', '-auto-approve');
  expect(created.output).toMatch(/Apply complete!/);
  const cluster = await clusterOf(stack);
  expect(
    (await client.listNodeGroups(cluster.uuid))
      .filter((g) => !g.isDefault)
      .map((g) => g.name)
      .sort(),
  ).toEqual(groups);

  // WHEN it is destroyed
  const destroyed = await terraform('destroy', '-auto-approve');

  // THEN the teardown deleted the cluster, both groups with it (named as Magnum listed them), and Terraform finished in one run
  expect(destroyed.output).toContain(`deleted cluster ${cluster.uuid}`);
  expect(destroyed.output).toContain('node group gpu; pool: gone with the cluster');
  expect(destroyed.output).toContain('node group infra $(reboot): gone with the cluster');
  expect(destroyed.output).toMatch(/Destroy complete!/);
  expect(destroyed.status).toBe(0);
  expect(await client.getCluster(cluster.uuid)).toBeUndefined();
  expect(await stack.ours(client)).toEqual(NOTHING_OURS);
});

test.concurrent('destroy of a platform whose cluster failed to create: the step `npm run cdktf` runs first, then one run, nothing left', async () => {
  const stack = stacks.create;
  const terraform = (...args: string[]) => stack.terraformAsync(...args);
  // GIVEN a platform whose cluster fails to create: Terraform reports it and keeps the cluster tainted
  synth(stack, 1, [], { devcloud_boot: 'fail' });
  expect((await terraform('init')).status).toBe(0);
  const created = await terraform('apply', '-auto-approve');
  expect(created.status).not.toBe(0);
  expect(created.output).toMatch(/CREATE_FAILED|error state/);
  const cluster = await clusterOf(stack);
  expect(cluster.status).toBe('CREATE_FAILED');
  expect((await terraform('state', 'list')).output).not.toMatch(/Teardown/); // created after the cluster: never made

  // WHEN the step that `npm run cdktf -- deploy|destroy` runs before cdktf reads the state
  // (without blocking this process: the other scenarios run meanwhile)
  const step = await runInBackground('node', [path.join(__dirname, '..', '..', '..', 'dist', 'scripts', 'before-apply.js'), stack.dir, 'destroy'], {
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OS_'))), ...e2eOpenrc() },
  });

  // THEN the destroy finishes in one run (without the step the provider fails on the stale CREATE_FAILED)
  const destroyed = await terraform('destroy', '-auto-approve');
  expect(destroyed.output).toMatch(/Destroy complete!/);
  expect(destroyed.status).toBe(0);
  expect(step.stdout).toContain(`cluster ${cluster.uuid} failed (CREATE_FAILED) and is tainted in the state: deleting it first`);
  expect(step.status).toBe(0);
  expect(await client.getCluster(cluster.uuid)).toBeUndefined();
  expect(await stack.ours(client)).toEqual(NOTHING_OURS);
});
