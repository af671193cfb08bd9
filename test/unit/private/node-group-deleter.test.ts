import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack } from 'cdktf';
import {
  ClusterTeardown,
  ClusterTeardownOptions,
  ClusterTemplate,
  DEFAULT_TEARDOWN_COMMAND,
  MagnumCluster,
  MagnumImage,
  MagnumPlatform,
  NodeGroup,
  OpenstackProvider,
} from '../../../lib';
import { NODE_GROUP_ENV, parseTeardownArgs, runCli } from '../../../runtime/teardown';
import { FakeOpenStack } from '../../support/fake-openstack';
import { deletersOf, givenPlatformParts, givenStack, NodeGroupDeleterResource, NullResource, onlyResource, resourcesOf } from '../../support/fixtures';
import { CLUSTER, cloudSelectedBy, HOSTILE, HOSTILE_CLOUDS, NODE_GROUP, runThroughShell, STUB } from '../../support/provisioner-shell';

/** What every deleter runs after the teardown command: fixed words only. */
const SUBCOMMAND = 'delete-node-group --node-group-from-env';

/** The only deleter of `stack`. */
function onlyDeleter(stack: TerraformStack): NodeGroupDeleterResource {
  const all = Object.values(deletersOf(stack));
  expect(all).toHaveLength(1);
  return all[0];
}

/** A cluster with node groups of these names, and a ClusterTeardown made before or after them (or none). */
function givenGroups(names: string[], teardown?: ClusterTeardownOptions, teardownMade: 'before' | 'after' = 'after') {
  const stack = givenStack();
  const { external, image } = givenPlatformParts(stack);
  const cluster = new MagnumCluster(stack, 'c', { template: new ClusterTemplate(stack, 'tpl', { image, externalNetwork: external }) });
  const withTeardown = () => teardown && new ClusterTeardown(stack, 't', { cluster, ...teardown });
  if (teardownMade === 'before') withTeardown();
  names.forEach((name, i) => cluster.addNodeGroup(`ng${i}`, { name }));
  if (teardownMade === 'after') withTeardown();
  return { stack, cluster, local: onlyDeleter(stack).provisioner[0]['local-exec'] };
}

describe("the node groups' deleter", () => {
  test('a platform: one instance per node group, keyed by its path, referencing its id; a destroy-time local-exec; ordered after the teardown', () => {
    // GIVEN a platform whose cluster gets two node groups after it is made
    const stack = givenStack();
    const platform = new MagnumPlatform(stack, 'p', {
      externalNetwork: { cidr: '10.0.2.0/24', floatingIpRanges: [{ start: '10.0.2.150', end: '10.0.2.199' }] },
      existingImage: MagnumImage.fromImageId(stack, 'img', 'img-1'),
    });
    platform.cluster.addNodeGroup('Infra', { name: 'infra', role: 'infra' });
    platform.cluster.addNodeGroup('Gpu', { flavor: 'g1.large' });
    // WHEN it is synthesized
    const [[deleterId, deleter]] = Object.entries(deletersOf(stack));
    const groups = Object.keys(resourcesOf(stack, 'openstack_containerinfra_nodegroup_v1'));
    // THEN one deleter holds both groups, each by a reference (Terraform destroys it before its group, removed or replaced)
    expect(Object.keys(deletersOf(stack))).toEqual([deleterId]);
    expect(deleter.for_each).toEqual({
      'p/Cluster/Gpu': `\${openstack_containerinfra_nodegroup_v1.${groups.find((id) => id.includes('Gpu'))}.id}`,
      'p/Cluster/Infra': `\${openstack_containerinfra_nodegroup_v1.${groups.find((id) => id.includes('Infra'))}.id}`,
    });
    // AND its only trigger is the group's id (<cluster uuid>/<node group uuid>), handed to the CLI from `self`
    expect(deleter.triggers_replace).toEqual({ node_group: '${each.value}' });
    expect(deleter.provisioner).toEqual([
      {
        'local-exec': {
          when: 'destroy',
          command: `${DEFAULT_TEARDOWN_COMMAND} ${SUBCOMMAND}`,
          environment: { [NODE_GROUP_ENV]: '${self.triggers_replace.node_group}' },
        },
      },
    ]);
    // AND the platform's teardown, which deletes every group at stack destroy, is destroyed before it
    expect(onlyResource<NullResource>(stack, 'null_resource').depends_on).toContain(`terraform_data.${deleterId}`);
  });

  test.each(['before', 'after'] as const)("runs the CLI with the ClusterTeardown's command and cloud, the teardown made %s the groups", (when) => {
    const { local } = givenGroups(['infra'], { command: 'node teardown.js', cloudName: 'devcloud' }, when);
    expect(local.command).toBe(`node teardown.js ${SUBCOMMAND}`);
    expect(local.environment).toEqual({ [NODE_GROUP_ENV]: '${self.triggers_replace.node_group}', OS_CLOUD: 'devcloud' });
  });

  test('without a ClusterTeardown: DEFAULT_TEARDOWN_COMMAND, and the cloud left to the environment (no OS_CLOUD)', () => {
    const { local } = givenGroups(['infra']);
    expect(local.command).toBe(`${DEFAULT_TEARDOWN_COMMAND} ${SUBCOMMAND}`);
    expect(local.environment).toEqual({ [NODE_GROUP_ENV]: '${self.triggers_replace.node_group}' });
  });

  test('a ClusterTeardown keeps it with no group left: Terraform runs a destroy-time provisioner only while its block is in the configuration', () => {
    const { stack } = givenGroups([], { cloudName: 'devcloud' });
    expect(onlyDeleter(stack).for_each).toEqual({});
  });

  test("a group of an imported cluster in another stack gets a deleter in its own stack, run with the cluster's teardown settings", () => {
    // GIVEN a cluster imported, with its teardown, in one stack, and a node group of it in another
    const first = givenStack();
    const cluster = MagnumCluster.fromClusterId(first, 'c', CLUSTER);
    new ClusterTeardown(first, 't', { cluster, cloudName: 'devcloud' });
    const second = new TerraformStack(first.node.scope!, 'second');
    new OpenstackProvider(second, 'openstack', {});
    new NodeGroup(second, 'gpu', { cluster });
    // THEN the group's deleter lives beside it, and the first stack's deleter has no group
    expect(onlyDeleter(first).for_each).toEqual({});
    const deleter = onlyDeleter(second);
    expect(Object.keys(deleter.for_each)).toEqual(['gpu']);
    expect(deleter.provisioner[0]['local-exec'].environment.OS_CLOUD).toBe('devcloud');
  });
});

describe("no value reaches a shell: the deleter's provisioner through the real /bin/sh", () => {
  test.each(HOSTILE_CLOUDS)('a cloud name with a %s reaches the CLI verbatim, and the CLI reads the group and the cloud', (_kind, cloudName) => {
    const { local } = givenGroups(['infra'], { command: STUB, cloudName });
    expect(local.command).toBe(`${STUB} ${SUBCOMMAND}`);
    const { argv, env } = runThroughShell(local);
    expect(argv).toEqual(['delete-node-group', '--node-group-from-env']);
    expect(env.OS_CLOUD).toBe(cloudName);
    expect(env[NODE_GROUP_ENV]).toBe(`${CLUSTER}/${NODE_GROUP}`);
    const args = parseTeardownArgs(argv, env);
    expect(args).toMatchObject({ command: 'delete-node-group', cluster: CLUSTER, nodeGroupId: NODE_GROUP, dryRun: false });
    expect(cloudSelectedBy(args.cloud, env)).toBe(cloudName);
  });

  test.each(HOSTILE)('a node group named with a %s is written nowhere in it: the CLI addresses the group by UUID', (_kind, name) => {
    const { stack } = givenGroups([name], { command: STUB });
    expect(JSON.stringify(onlyDeleter(stack))).not.toContain(JSON.stringify(name).slice(1, -1));
  });

  test('the synthesized provisioner, run against a fake OpenStack, deletes exactly its group and waits until it is gone', async () => {
    const fake = await FakeOpenStack.start();
    try {
      // GIVEN Magnum with the group Terraform hands over, and another of the same cluster
      fake.addCluster(CLUSTER, []);
      fake.addNodeGroup(CLUSTER, 'gpu; pool $(reboot)', { uuid: NODE_GROUP });
      fake.addNodeGroup(CLUSTER, 'infra');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deleter-contract-'));
      fs.writeFileSync(path.join(dir, 'clouds.yaml'), JSON.stringify({ clouds: { 'dev cloud; x': fake.cloudEntry() } }));
      const { local } = givenGroups(['gpu; pool $(reboot)', 'infra'], { command: STUB, cloudName: 'dev cloud; x' });
      // WHEN the CLI runs with what the provisioner hands it
      const { argv, env } = runThroughShell(local);
      const out: string[] = [];
      const code = await runCli([...argv, '--timeout-seconds', '30'], {
        out: (l) => out.push(l),
        err: (l) => out.push(l),
        cwd: dir,
        env: { HOME: dir, OS_CLIENT_CONFIG_FILE: path.join(dir, 'clouds.yaml'), [NODE_GROUP_ENV]: env[NODE_GROUP_ENV], OS_CLOUD: env.OS_CLOUD },
        clientOptions: { backoff: { baseMs: 1, maxMs: 5 } },
      });
      // THEN that group is gone, the other is untouched
      expect(out.join('\n')).toContain(`deleted node group ${NODE_GROUP} of cluster ${CLUSTER}`);
      expect(code).toBe(0);
      expect(fake.nodeGroups.has(`${CLUSTER}/${NODE_GROUP}`)).toBe(false);
      expect(fake.hasNodeGroup(CLUSTER, 'infra')).toBe(true);
      expect(fake.calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual([expect.stringMatching(new RegExp(`/nodegroups/${NODE_GROUP}$`))]);
    } finally {
      fake.close();
    }
  });
});

test('needs no provider of its own: a stack without the null provider still synthesizes, validations run, with a deleter', () => {
  const stack = new TerraformStack(givenStack().node.scope!, 'bare');
  new OpenstackProvider(stack, 'openstack', {});
  new NodeGroup(stack, 'gpu', { cluster: MagnumCluster.fromClusterId(stack, 'c', CLUSTER) });
  expect(Object.keys(onlyDeleter(stack).for_each)).toEqual(['gpu']);
});
