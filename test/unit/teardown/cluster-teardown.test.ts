import { ClusterTeardown, ClusterTemplate, DEFAULT_TEARDOWN_COMMAND, MagnumCluster } from '../../../lib';
import { givenPlatformParts, givenStack, onlyResource, synthJson } from '../../support/fixtures';

describe('ClusterTeardown', () => {
  test('a null_resource whose destroy-time local-exec runs the CLI with the cluster id from its trigger', () => {
    const stack = givenStack();
    new ClusterTeardown(stack, 't', { cluster: { clusterId: '${openstack_containerinfra_cluster_v1.c.id}' } });
    const teardown = onlyResource(stack, 'null_resource');
    expect(teardown.triggers).toEqual({ cluster_id: '${openstack_containerinfra_cluster_v1.c.id}' });
    expect(teardown.provisioner).toEqual([{ 'local-exec': { when: 'destroy', command: `${DEFAULT_TEARDOWN_COMMAND} --cluster \${self.triggers.cluster_id} --delete-failed-cluster` } }]);
  });

  test('names the cloud and opts into volumes only when asked, in the command, not the triggers', () => {
    const stack = givenStack();
    new ClusterTeardown(stack, 't', { cluster: { clusterId: 'x' }, cloudName: 'devcloud', includeVolumes: true, command: 'node teardown.js' });
    const teardown = onlyResource(stack, 'null_resource');
    expect(teardown.provisioner[0]['local-exec'].command).toBe('node teardown.js --cluster ${self.triggers.cluster_id} --delete-failed-cluster --cloud devcloud --include-volumes');
    // A trigger change replaces the resource, and replacing it would tear down a live cluster's Services.
    expect(Object.keys(teardown.triggers)).toEqual(['cluster_id']);
  });

  test('puts no credential into the synthesized JSON, whatever the environment holds', () => {
    const saved = { ...process.env };
    process.env.OS_PASSWORD = 'hunter2-not-a-real-password';
    process.env.OS_CLOUD = 'devcloud';
    try {
      const stack = givenStack();
      new ClusterTeardown(stack, 't', { cluster: { clusterId: 'x' } });
      expect(JSON.stringify(synthJson(stack))).not.toContain('hunter2');
    } finally {
      process.env = saved;
    }
  });

  test('deletes the cluster\'s node groups first, even those added after it, and is destroyed before them', () => {
    // Provider 3.4.0's own node-group delete fails on Magnum 15 (stale CREATE_COMPLETE): the CLI deletes them first.
    const stack = givenStack();
    const { external, image } = givenPlatformParts(stack);
    const cluster = new MagnumCluster(stack, 'c', { template: new ClusterTemplate(stack, 'tpl', { image, externalNetwork: external }) });
    cluster.addNodeGroup('infra');
    new ClusterTeardown(stack, 't', { cluster, cloudName: 'devcloud' });
    cluster.addNodeGroup('gpu', { name: 'gpu-workers' });
    const teardown = onlyResource(stack, 'null_resource');
    expect(teardown.provisioner[0]['local-exec'].command)
      .toBe(`${DEFAULT_TEARDOWN_COMMAND} --cluster \${self.triggers.cluster_id} --delete-failed-cluster --cloud devcloud --node-group infra --node-group gpu-workers`);
    expect(teardown.depends_on).toEqual([
      expect.stringMatching(/^openstack_containerinfra_nodegroup_v1\.c_infra_/),
      expect.stringMatching(/^openstack_containerinfra_nodegroup_v1\.c_gpu_/),
    ]);
  });
});
