import { Testing, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ContainerinfraClusterV1 } from '../../../.gen/providers/openstack/containerinfra-cluster-v1';
import { ContainerinfraNodegroupV1 } from '../../../.gen/providers/openstack/containerinfra-nodegroup-v1';
import {
  ClusterNetwork,
  ClusterTeardown,
  ClusterTemplate,
  IMagnumCluster,
  INodeGroup,
  MagnumCluster,
  MagnumDriver,
  NodeGroup,
  NodeGroupProps,
  ValidationError,
} from '../../../lib';
import { warningsOf } from '../../support/bad-input';
import { deletersOf, givenPlatformParts, givenStack, NullResource, onlyResource } from '../../support/fixtures';

const CLUSTER_ID = '3f7a89e8-0a9b-4f56-88e7-dfacb86eaca0';

function givenTemplate() {
  const stack = givenStack();
  const parts = givenPlatformParts(stack);
  const template = new ClusterTemplate(stack, 'k8s', { image: parts.image, externalNetwork: parts.external });
  return { stack, template, ...parts };
}

describe('MagnumCluster', () => {
  test("one master and one worker by default, on the template, with Magnum's 60 min timeout", () => {
    const { stack, template } = givenTemplate();
    new MagnumCluster(stack, 'k8s-aio', { template });
    expect(Testing.synth(stack, true)).toHaveResourceWithProperties(ContainerinfraClusterV1, {
      name: 'k8s-aio',
      master_count: 1,
      node_count: 1,
      create_timeout: 60,
      timeouts: { create: '65m' },
    });
    expect(onlyResource(stack, 'openstack_containerinfra_cluster_v1').cluster_template_id).toMatch(/openstack_containerinfra_clustertemplate_v1\.k8s/);
  });

  test("labels merge over the template's, so cloud_provider_enabled survives", () => {
    const { stack, template } = givenTemplate();
    new MagnumCluster(stack, 'c', { template, labels: { kube_tag: 'v1.23.3' } });
    const cluster = onlyResource(stack, 'openstack_containerinfra_cluster_v1');
    expect(cluster.labels).toEqual({ kube_tag: 'v1.23.3' });
    expect(cluster.merge_labels).toBe(true);
  });

  test("three masters behind the template's load balancer", () => {
    const { stack, template } = givenTemplate();
    new MagnumCluster(stack, 'c', { template, masterCount: 3, nodeCount: 5 });
    expect(onlyResource(stack, 'openstack_containerinfra_cluster_v1')).toMatchObject({ master_count: 3, node_count: 5 });
  });

  test('on a cluster network, the cluster depends on the router interface so destroy removes it first', () => {
    const { stack, template, external } = givenTemplate();
    const network = new ClusterNetwork(stack, 'net', { externalNetwork: external });
    new MagnumCluster(stack, 'c', { template, network });
    expect(onlyResource(stack, 'openstack_containerinfra_cluster_v1').depends_on).toEqual([
      expect.stringMatching(/^openstack_networking_router_interface_v2\.net_RouterInterface/),
    ]);
  });

  test('addNodeGroup adds a node group on the cluster', () => {
    const { stack, template } = givenTemplate();
    const cluster = new MagnumCluster(stack, 'c', { template });
    cluster.addNodeGroup('infra', { nodeCount: 2, minNodeCount: 1, maxNodeCount: 4, flavor: 'm1.large', labels: { tier: 'infra' } });
    expect(Testing.synth(stack, true)).toHaveResourceWithProperties(ContainerinfraNodegroupV1, {
      name: 'infra',
      node_count: 2,
      min_node_count: 1,
      max_node_count: 4,
      flavor_id: 'm1.large',
      role: 'worker',
      labels: { tier: 'infra' },
      merge_labels: true,
    });
  });

  test('node groups take any name Magnum takes, written as given, in the order added', () => {
    const { stack, template } = givenTemplate();
    const cluster = new MagnumCluster(stack, 'c', { template });
    cluster.addNodeGroup('gpu', { name: 'gpu pool', role: 'gpu' });
    cluster.addNodeGroup('infra', { name: 'infra;x' });
    expect(cluster.nodeGroups.map((g) => g.nodeGroupName)).toEqual(['gpu pool', 'infra;x']);
    expect(Testing.synth(stack, true)).toHaveResourceWithProperties(ContainerinfraNodegroupV1, { name: 'gpu pool', role: 'gpu' });
    expect(Testing.synth(stack, true)).toHaveResourceWithProperties(ContainerinfraNodegroupV1, { name: 'infra;x', role: 'worker' });
  });

  test('a cluster label auto_scaling_enabled decides over the template for its node groups', () => {
    // GIVEN a template without the autoscaler, and a cluster that turns it on by label
    const { stack, template } = givenTemplate();
    const cluster = new MagnumCluster(stack, 'c', { template, labels: { auto_scaling_enabled: 'true' } });
    // WHEN a bounded group is added
    cluster.addNodeGroup('infra', { minNodeCount: 1, maxNodeCount: 3 });
    // THEN the warning is about the Heat autoscaler's reach, not about it being off
    expect(warningsOf(stack)).toEqual([
      expect.stringMatching(
        /^test\/c\/infra: maxNodeCount = 3: bounds the cluster autoscaler, but the one the Heat drivers deploy scales only the default-worker group/,
      ),
    ]);
  });

  test("the kubeconfig is the provider's sensitive raw_config, fit only for a sensitive output", () => {
    const { stack, template } = givenTemplate();
    const cluster = new MagnumCluster(stack, 'c', { template });
    new TerraformOutput(stack, 'kubeconfig', { value: cluster.kubeconfig, sensitive: true });
    const out = JSON.parse(Testing.synth(stack, true)).output.kubeconfig;
    expect(out).toEqual({ value: expect.stringMatching(/openstack_containerinfra_cluster_v1\.c_\w+\.kubeconfig\["raw_config"\]/), sensitive: true });
  });
});

describe('MagnumCluster.fromClusterAttributes / fromClusterId', () => {
  test('returns the interface of a cluster that exists, creating nothing', () => {
    const stack = givenStack();
    const cluster: IMagnumCluster = MagnumCluster.fromClusterId(stack, 'c', CLUSTER_ID);
    expect(cluster).not.toBeInstanceOf(MagnumCluster);
    expect([cluster.clusterId, cluster.nodeGroups, cluster.driver, cluster.autoScalingEnabled]).toEqual([CLUSTER_ID, undefined, undefined, undefined]);
    expect(JSON.parse(Testing.synth(stack, true)).resource).toBeUndefined();
  });

  test('its UUID flows into the node groups added to it and into its teardown', () => {
    // GIVEN a cluster imported by UUID
    const stack = givenStack();
    const cluster = MagnumCluster.fromClusterId(stack, 'c', CLUSTER_ID);
    // WHEN a node group and a teardown are made for it
    new NodeGroup(stack, 'gpu', { cluster, nodeCount: 2 });
    new ClusterTeardown(stack, 't', { cluster });
    // THEN both name it by its UUID
    expect(Testing.synth(stack, true)).toHaveResourceWithProperties(ContainerinfraNodegroupV1, { cluster_id: CLUSTER_ID, name: 'gpu', node_count: 2 });
    const teardown = onlyResource<NullResource>(stack, 'null_resource');
    expect(teardown.triggers).toEqual({ cluster_id: CLUSTER_ID });
    // The groups of a cluster this configuration did not create are never deleted by its teardown:
    // each of its own goes by its deleter (when removed, replaced or destroyed), which the teardown stays before.
    expect(cluster.nodeGroups).toBeUndefined();
    expect(teardown.provisioner[0]['local-exec'].command).not.toContain('--delete-node-groups');
    const [[deleterId, deleter]] = Object.entries(deletersOf(stack));
    expect(teardown.depends_on).toEqual([`terraform_data.${deleterId}`]);
    expect(Object.keys(deleter.for_each)).toEqual(['gpu']);
  });

  test('node groups added to it are checked against the driver and autoscaler it is imported with', () => {
    const stack = givenStack();
    const cluster = MagnumCluster.fromClusterAttributes(stack, 'c', {
      clusterId: CLUSTER_ID,
      driver: MagnumDriver.CLUSTER_API_VEXXHOST,
      autoScalingEnabled: false,
    });
    expect(() => new NodeGroup(stack, 'gpu', { cluster, name: 'GPU Pool' })).toThrow(
      /^test\/gpu: name = "GPU Pool": is not a lowercase RFC 1123 name, which driver k8s_cluster_api/,
    );
    new NodeGroup(stack, 'infra', { cluster, maxNodeCount: 4 });
    expect(warningsOf(stack)).toEqual([expect.stringMatching(/^test\/infra: maxNodeCount = 4: bounds the cluster autoscaler, which is off for this cluster/)]);
  });

  test('two groups of one name on an imported cluster are refused, as on an owned one', () => {
    const stack = givenStack();
    const cluster = MagnumCluster.fromClusterId(stack, 'c', CLUSTER_ID);
    new NodeGroup(stack, 'a', { cluster, name: 'infra' });
    expect(() => new NodeGroup(stack, 'b', { cluster, name: 'infra' })).toThrow(/^test\/b: name = "infra": is already the name of node group test\/a;/);
  });
});

describe('NodeGroup and INodeGroup', () => {
  test('a node group is an INodeGroup of its cluster, by its Magnum name', () => {
    const { stack, template } = givenTemplate();
    const cluster = new MagnumCluster(stack, 'c', { template });
    const group: INodeGroup = cluster.addNodeGroup('infra', { name: 'infra-pool' });
    const seen: readonly INodeGroup[] = (cluster as IMagnumCluster).nodeGroups ?? [];
    expect(seen).toEqual([group]);
    expect([group.nodeGroupName, group.cluster]).toEqual(['infra-pool', cluster]);
  });

  test('new NodeGroup with an owned cluster is one of its groups: listed, named uniquely, torn down first', () => {
    // GIVEN a cluster with its teardown, and a group made outside the cluster's scope
    const { stack, template } = givenTemplate();
    const cluster = new MagnumCluster(stack, 'c', { template });
    new ClusterTeardown(stack, 't', { cluster });
    const gpu = new NodeGroup(stack, 'gpu', { cluster, role: 'gpu' });
    // THEN the cluster lists it, the teardown deletes node groups and is destroyed before it
    expect(cluster.nodeGroups).toEqual([gpu]);
    expect(onlyResource(stack, 'openstack_containerinfra_nodegroup_v1').cluster_id).toMatch(/^\$\{openstack_containerinfra_cluster_v1\.c_\w+\.id\}$/);
    const teardown = onlyResource<NullResource>(stack, 'null_resource');
    expect(teardown.provisioner[0]['local-exec'].command).toContain('--delete-node-groups');
    const [[deleterId, deleter]] = Object.entries(deletersOf(stack));
    expect(teardown.depends_on).toEqual([expect.stringMatching(/^openstack_containerinfra_nodegroup_v1\.gpu_/), `terraform_data.${deleterId}`]);
    expect(deleter.for_each).toEqual({ gpu: expect.stringMatching(/^\$\{openstack_containerinfra_nodegroup_v1\.gpu_\w+\.id\}$/) });
    // AND a group of the same name through addNodeGroup is refused
    expect(() => cluster.addNodeGroup('gpu2', { name: 'gpu' })).toThrow(ValidationError);
  });

  test('takes the cluster as a typed reference, not its id (checked by tsc)', () => {
    // @ts-expect-error NodeGroupProps has no clusterId: the cluster is passed as an IMagnumCluster
    const byId: NodeGroupProps = { clusterId: CLUSTER_ID };
    const byReference: NodeGroupProps = { cluster: MagnumCluster.fromClusterId(givenStack(), 'c', CLUSTER_ID) };
    expect([byId.cluster, byReference.cluster.clusterId]).toEqual([undefined, CLUSTER_ID]);
  });
});

describe('node groups and stacks', () => {
  test('a group of an owned cluster made in another stack is refused: the teardown could not reach or order it', () => {
    const stack = givenStack();
    const { external, image } = givenPlatformParts(stack);
    const cluster = new MagnumCluster(stack, 'c', { template: new ClusterTemplate(stack, 'tpl', { image, externalNetwork: external }) });
    const other = new TerraformStack(stack.node.scope as Construct, 'other');
    expect(() => new NodeGroup(other, 'gpu', { cluster })).toThrow(
      /^other\/gpu: cluster = <known at apply: .*>: belongs to stack test, .* Fix: create the group in that stack/,
    );
  });

  test('a group of a cluster imported by id may live in any stack, and no teardown lists it', () => {
    const stack = givenStack();
    const imported = MagnumCluster.fromClusterId(stack, 'c', '3f7a89e8-0a9b-4f56-88e7-dfacb86eaca0');
    const other = new TerraformStack(stack.node.scope as Construct, 'other');
    new NodeGroup(other, 'gpu', { cluster: imported });
    expect(imported.nodeGroups).toBeUndefined();
  });
});
