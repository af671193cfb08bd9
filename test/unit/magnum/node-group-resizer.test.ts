import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { ClusterTeardown, ClusterTemplate, DEFAULT_TEARDOWN_COMMAND, MagnumCluster, NodeGroup, NodeGroupOptions } from '../../../lib';
import { NODE_BOUNDS_ENV, NODE_COUNT_ENV, NODE_GROUP_ENV, parseTeardownArgs, runCli } from '../../../runtime/teardown';
import { FakeOpenStack } from '../../support/fake-openstack';
import { givenPlatformParts, givenStack, LocalExec, onlyResource, resizersOf, SynthesizedResource } from '../../support/fixtures';
import { CLUSTER, HOSTILE_CLOUDS, NODE_COUNT, NODE_GROUP, runThroughShell, STUB } from '../../support/provisioner-shell';

const NODE_GROUP_TYPE = 'openstack_containerinfra_nodegroup_v1';

/** A cluster with one node group of these options, and a ClusterTeardown of these (or none). */
function givenGroup(options: NodeGroupOptions = {}, teardown?: { command?: string; cloudName?: string }) {
  const stack = givenStack();
  const { external, image } = givenPlatformParts(stack);
  const cluster = new MagnumCluster(stack, 'c', { template: new ClusterTemplate(stack, 'tpl', { image, externalNetwork: external }) });
  const group = cluster.addNodeGroup('infra', options);
  if (teardown) new ClusterTeardown(stack, 't', { cluster, ...teardown });
  return { stack, group };
}

/** The only resizer of `stack`. */
function onlyResizer(stack: TerraformStack) {
  const all = Object.entries(resizersOf(stack));
  expect(all).toHaveLength(1);
  const [id, resource] = all[0];
  return { id, resource, local: resource.provisioner[0]['local-exec'] as LocalExec };
}

describe("a node group's count is given by its resizer, not by the provider's update", () => {
  test("the group's node_count is set at create and ignored after; the resizer's trigger is the group's id and count", () => {
    const { stack } = givenGroup({ nodeCount: 2, maxNodeCount: 4 });
    const group = onlyResource<SynthesizedResource & { lifecycle: unknown; node_count: number; max_node_count: number }>(stack, NODE_GROUP_TYPE);
    expect(group).toMatchObject({ node_count: 2, max_node_count: 4, lifecycle: { ignore_changes: ['node_count'] } });
    const { resource } = onlyResizer(stack);
    expect(resource.triggers_replace).toEqual({
      node_group: expect.stringMatching(/^\$\{openstack_containerinfra_nodegroup_v1\.[A-Za-z0-9_]+\.id\}$/),
      node_count: 2,
      node_bounds: '..4',
    });
    expect(resource.provisioner[0]['local-exec'].environment).toMatchObject({ [NODE_BOUNDS_ENV]: '${self.triggers_replace.node_bounds}' });
  });

  test('its create-time local-exec runs resize-node-group with fixed words; the group, the count and the cloud travel in the environment', () => {
    const { stack } = givenGroup({ nodeCount: 2 }, { command: 'magnum-cdktf-teardown', cloudName: 'prod' });
    const { local } = onlyResizer(stack);
    expect(local).toEqual({
      command: 'magnum-cdktf-teardown resize-node-group --node-group-from-env --node-count-from-env --timeout-seconds 1800',
      environment: { [NODE_GROUP_ENV]: '${self.triggers_replace.node_group}', [NODE_COUNT_ENV]: '${self.triggers_replace.node_count}', OS_CLOUD: 'prod' },
    });
    expect(local.when).toBeUndefined();
  });

  test("without a ClusterTeardown it runs the package's CLI with the environment's cloud; a variable's count is handed over as well", () => {
    const { stack } = givenGroup();
    const variable = new TerraformVariable(stack, 'workers', { type: 'number' });
    new NodeGroup(stack, 'more', { cluster: MagnumCluster.fromClusterId(stack, 'imported', CLUSTER), nodeCount: variable.numberValue });
    const resizers = Object.values(resizersOf(stack));
    expect(resizers.map((r) => r.provisioner[0]['local-exec'].command)).toEqual([
      `${DEFAULT_TEARDOWN_COMMAND} resize-node-group --node-group-from-env --node-count-from-env --timeout-seconds 1800`,
      `${DEFAULT_TEARDOWN_COMMAND} resize-node-group --node-group-from-env --node-count-from-env --timeout-seconds 1800`,
    ]);
    expect(resizers.map((r) => r.triggers_replace.node_count)).toEqual([1, '${var.workers}']);
    expect(resizers.every((r) => !('OS_CLOUD' in r.provisioner[0]['local-exec'].environment))).toBe(true);
  });

  test('a bound from a variable reaches the CLI as Terraform evaluates it; a group without bounds waits for none', () => {
    const { stack } = givenGroup();
    const max = new TerraformVariable(stack, 'max', { type: 'number' });
    new NodeGroup(stack, 'more', { cluster: MagnumCluster.fromClusterId(stack, 'imported', CLUSTER), minNodeCount: 1, maxNodeCount: max.numberValue });
    const resizers = Object.values(resizersOf(stack));
    expect(resizers.map((r) => r.triggers_replace.node_bounds)).toEqual([undefined, '1..${var.max}']);
    expect(resizers.map((r) => NODE_BOUNDS_ENV in r.provisioner[0]['local-exec'].environment)).toEqual([false, true]);
  });

  test('a new count changes the resizer alone (the group only in what it ignores)', () => {
    const before = givenGroup({ nodeCount: 1 });
    const after = givenGroup({ nodeCount: 3 });
    const strip = (r: SynthesizedResource) => JSON.stringify({ ...r, node_count: undefined });
    expect(strip(onlyResource(after.stack, NODE_GROUP_TYPE))).toBe(strip(onlyResource(before.stack, NODE_GROUP_TYPE)));
    expect(onlyResizer(after.stack).resource.triggers_replace.node_count).toBe(3);
  });

  test.each(HOSTILE_CLOUDS)(
    'through the real /bin/sh, with a cloud named with a %s, the CLI gets exactly the group, the count and the cloud',
    (_kind, cloudName) => {
      const { stack } = givenGroup({ nodeCount: NODE_COUNT }, { command: STUB, cloudName });
      const { argv, env } = runThroughShell(onlyResizer(stack).local);
      expect(argv).toEqual(['resize-node-group', '--node-group-from-env', '--node-count-from-env', '--timeout-seconds', '1800']);
      expect(env.OS_CLOUD).toBe(cloudName);
      expect(parseTeardownArgs(argv, env)).toMatchObject({
        command: 'resize-node-group',
        cluster: CLUSTER,
        nodeGroupId: NODE_GROUP,
        nodeCount: NODE_COUNT,
        timeoutSeconds: 1800,
      });
    },
  );

  test('the synthesized provisioner, run against a fake Magnum whose conductor lags, resizes exactly its group and waits until Magnum has', async () => {
    const fake = await FakeOpenStack.start();
    try {
      // GIVEN Magnum with the group Terraform hands over, just created, and another of the same cluster
      fake.addCluster(CLUSTER, []);
      fake.addNodeGroup(CLUSTER, 'infra', { uuid: NODE_GROUP, node_count: 1 });
      const other = fake.addNodeGroup(CLUSTER, 'other');
      fake.resizing = { lag: 2, polls: 2 };
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resizer-contract-'));
      fs.writeFileSync(path.join(dir, 'clouds.yaml'), JSON.stringify({ clouds: { 'dev cloud; x': fake.cloudEntry() } }));
      const { stack } = givenGroup({ nodeCount: NODE_COUNT }, { command: STUB, cloudName: 'dev cloud; x' });
      // WHEN the CLI runs with what the provisioner hands it
      const { argv, env } = runThroughShell(onlyResizer(stack).local);
      const out: string[] = [];
      const code = await runCli(argv, {
        out: (l) => out.push(l),
        err: (l) => out.push(l),
        cwd: dir,
        env: {
          HOME: dir,
          OS_CLIENT_CONFIG_FILE: path.join(dir, 'clouds.yaml'),
          [NODE_GROUP_ENV]: env[NODE_GROUP_ENV],
          [NODE_COUNT_ENV]: env[NODE_COUNT_ENV],
          OS_CLOUD: env.OS_CLOUD,
        },
        clientOptions: { backoff: { baseMs: 1, maxMs: 5 } },
      });
      // THEN it returned only once Magnum showed the group resized, and the other group is untouched
      expect(out.join('\n')).toContain(`resized node group infra (${NODE_GROUP}) of cluster ${CLUSTER} to ${NODE_COUNT} node(s)`);
      expect(code).toBe(0);
      expect(fake.nodeGroups.get(`${CLUSTER}/${NODE_GROUP}`)).toMatchObject({ node_count: NODE_COUNT, status: 'UPDATE_COMPLETE' });
      expect(fake.nodeGroups.get(`${CLUSTER}/${other}`)).toMatchObject({ node_count: 1, status: 'CREATE_COMPLETE' });
    } finally {
      fake.close();
    }
  });
});
