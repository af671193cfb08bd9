import { ExternalNetwork, ImageSource, MagnumPlatform, OsDistro } from '../../../lib';
import { ClusterTemplateResource, givenStack, NullResource, onlyResource, resourcesOf } from '../../support/fixtures';

const base = {
  externalNetwork: { name: 'public1', cidr: '10.0.2.0/24', floatingIpRanges: [{ start: '10.0.2.150', end: '10.0.2.199' }] },
  image: { name: 'atomic27', source: ImageSource.fromFile('/a.qcow2'), osDistro: OsDistro.FEDORA_ATOMIC },
};

describe('MagnumPlatform', () => {
  test('wires network, image, volume type, template, cluster and teardown in one go', () => {
    const stack = givenStack();
    const platform = new MagnumPlatform(stack, 'p', {
      ...base,
      dockerVolumeType: { name: 'ssdvolume' },
      template: { dockerVolumeSizeGiB: 5 },
      cluster: { nodeCount: 2 },
    });
    const template = onlyResource<ClusterTemplateResource>(stack, 'openstack_containerinfra_clustertemplate_v1');
    expect(template.image).toMatch(/openstack_images_image_v2\.p_Image/);
    expect(template.external_network_id).toMatch(/openstack_networking_network_v2\.p_ExternalNetwork/);
    expect(template.labels.docker_volume_type).toBe('ssdvolume');
    expect(onlyResource(stack, 'openstack_containerinfra_cluster_v1').node_count).toBe(2);
    expect(onlyResource<NullResource>(stack, 'null_resource').triggers.cluster_id).toMatch(/openstack_containerinfra_cluster_v1\.p_Cluster/);
    expect(platform.serviceRequirements.magnumConf).toContain('default_docker_volume_type = ssdvolume');
  });

  test('uses an existing external network and can leave teardown out', () => {
    const stack = givenStack();
    new MagnumPlatform(stack, 'p', {
      image: base.image,
      existingExternalNetwork: ExternalNetwork.fromNetworkId(stack, 'ext', 'ext-id'),
      teardownEnabled: false,
    });
    expect(resourcesOf(stack, 'openstack_networking_network_v2')).toEqual({});
    expect(resourcesOf(stack, 'null_resource')).toEqual({});
    expect(onlyResource(stack, 'openstack_containerinfra_clustertemplate_v1').external_network_id).toBe('ext-id');
  });

  test('a cluster network puts the cluster after the router interface', () => {
    const stack = givenStack();
    new MagnumPlatform(stack, 'p', { ...base, clusterNetwork: { cidr: '10.0.10.0/24' } });
    expect(onlyResource(stack, 'openstack_containerinfra_cluster_v1').depends_on).toEqual([expect.stringMatching(/router_interface/)]);
  });
});
