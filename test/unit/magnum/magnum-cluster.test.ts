import { Testing, TerraformOutput } from 'cdktf';
import { ContainerinfraClusterV1 } from '../../../.gen/providers/openstack/containerinfra-cluster-v1';
import { ContainerinfraNodegroupV1 } from '../../../.gen/providers/openstack/containerinfra-nodegroup-v1';
import { ClusterNetwork, ClusterTemplate, MagnumCluster } from '../../../lib';
import { warningsOf } from '../../support/bad-input';
import { givenPlatformParts, givenStack, onlyResource } from '../../support/fixtures';

function givenTemplate() {
  const stack = givenStack();
  const parts = givenPlatformParts(stack);
  const template = new ClusterTemplate(stack, 'k8s', { image: parts.image, externalNetwork: parts.external });
  return { stack, template, ...parts };
}

describe('MagnumCluster', () => {
  test('one master and one worker by default, on the template, with Magnum\'s 60 min timeout', () => {
    const { stack, template } = givenTemplate();
    new MagnumCluster(stack, 'k8s-aio', { template });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(ContainerinfraClusterV1, {
      name: 'k8s-aio', master_count: 1, node_count: 1, create_timeout: 60, timeouts: { create: '65m' },
    });
    expect(onlyResource(stack, 'openstack_containerinfra_cluster_v1').cluster_template_id).toMatch(/openstack_containerinfra_clustertemplate_v1\.k8s/);
  });

  test('labels merge over the template\'s, so cloud_provider_enabled survives', () => {
    const { stack, template } = givenTemplate();
    new MagnumCluster(stack, 'c', { template, labels: { kube_tag: 'v1.23.3' } });
    const cluster = onlyResource(stack, 'openstack_containerinfra_cluster_v1');
    expect(cluster.labels).toEqual({ kube_tag: 'v1.23.3' });
    expect(cluster.merge_labels).toBe(true);
  });

  test('three masters behind the template\'s load balancer', () => {
    const { stack, template } = givenTemplate();
    new MagnumCluster(stack, 'c', { template, masterCount: 3, nodeCount: 5 });
    expect(onlyResource(stack, 'openstack_containerinfra_cluster_v1')).toMatchObject({ master_count: 3, node_count: 5 });
  });

  test('on a cluster network, the cluster depends on the router interface so destroy removes it first', () => {
    const { stack, template, external } = givenTemplate();
    const network = new ClusterNetwork(stack, 'net', { externalNetwork: external });
    new MagnumCluster(stack, 'c', { template, network });
    expect(onlyResource(stack, 'openstack_containerinfra_cluster_v1').depends_on).toEqual([expect.stringMatching(/^openstack_networking_router_interface_v2\.net_RouterInterface/)]);
  });

  test('addNodeGroup adds a node group on the cluster', () => {
    const { stack, template } = givenTemplate();
    const cluster = new MagnumCluster(stack, 'c', { template });
    cluster.addNodeGroup('infra', { nodeCount: 2, minNodeCount: 1, maxNodeCount: 4, flavor: 'm1.large', labels: { tier: 'infra' } });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(ContainerinfraNodegroupV1, {
      name: 'infra', node_count: 2, min_node_count: 1, max_node_count: 4, flavor_id: 'm1.large', role: 'worker', labels: { tier: 'infra' }, merge_labels: true,
    });
  });

  test('node groups take any name Magnum takes, written as given, in the order added', () => {
    const { stack, template } = givenTemplate();
    const cluster = new MagnumCluster(stack, 'c', { template });
    cluster.addNodeGroup('gpu', { name: 'gpu pool', role: 'gpu' });
    cluster.addNodeGroup('infra', { name: 'infra;x' });
    expect(cluster.nodeGroups.map((g) => g.name)).toEqual(['gpu pool', 'infra;x']);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(ContainerinfraNodegroupV1, { name: 'gpu pool', role: 'gpu' });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(ContainerinfraNodegroupV1, { name: 'infra;x', role: 'worker' });
  });

  test('a cluster label auto_scaling_enabled decides over the template for its node groups', () => {
    // GIVEN a template without the autoscaler, and a cluster that turns it on by label
    const { stack, template } = givenTemplate();
    const cluster = new MagnumCluster(stack, 'c', { template, labels: { auto_scaling_enabled: 'true' } });
    // WHEN a bounded group is added
    cluster.addNodeGroup('infra', { minNodeCount: 1, maxNodeCount: 3 });
    // THEN the warning is about the Heat autoscaler's reach, not about it being off
    expect(warningsOf(stack)).toEqual([expect.stringMatching(/^test\/c\/infra: maxNodeCount = 3: bounds the cluster autoscaler, but the one the Heat drivers deploy scales only the default-worker group/)]);
  });

  test('the kubeconfig is the provider\'s sensitive raw_config, fit only for a sensitive output', () => {
    const { stack, template } = givenTemplate();
    const cluster = new MagnumCluster(stack, 'c', { template });
    new TerraformOutput(stack, 'kubeconfig', { value: cluster.kubeconfig, sensitive: true });
    const out = JSON.parse(Testing.synth(stack)).output.kubeconfig;
    expect(out).toEqual({ value: expect.stringMatching(/openstack_containerinfra_cluster_v1\.c_\w+\.kubeconfig\["raw_config"\]/), sensitive: true });
  });
});
