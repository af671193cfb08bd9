import { Testing } from 'cdktf';
import { NetworkingRouterV2 } from '../../../.gen/providers/openstack/networking-router-v2';
import { ClusterNetwork, ClusterTemplate, ExternalNetwork, IExternalNetwork, ISubnetNetwork, MagnumCluster } from '../../../lib';
import { givenPlatformParts, givenStack, onlyResource, resourcesOf } from '../../support/fixtures';

const EXT_ID = '6f6d5a1e-0000-4000-8000-000000000001';

describe('ClusterNetwork', () => {
  test("network, subnet on Magnum's default CIDR, router on the external network, and its interface", () => {
    const stack = givenStack();
    const external = ExternalNetwork.fromNetworkId(stack, 'public1', EXT_ID);
    const net = new ClusterNetwork(stack, 'k8s-net', { externalNetwork: external, dnsNameservers: ['10.0.2.1'] });
    expect(Testing.synth(stack, true)).toHaveResourceWithProperties(NetworkingRouterV2, { name: 'k8s-net-router', external_network_id: EXT_ID });
    expect(onlyResource(stack, 'openstack_networking_subnet_v2')).toMatchObject({ cidr: '10.0.0.0/24', dns_nameservers: ['10.0.2.1'], name: 'k8s-net-subnet' });
    const itf = onlyResource(stack, 'openstack_networking_router_interface_v2');
    expect(itf.router_id).toMatch(/openstack_networking_router_v2\.k8s-net_Router/);
    expect(itf.subnet_id).toMatch(/openstack_networking_subnet_v2\.k8s-net_Subnet/);
    expect(net.external).toBe(false);
    expect(net.readyWhen).toBe(net.routerInterface);
  });

  test("the router waits for an owned external network's subnet, and destroy deletes the subnet after it", () => {
    const stack = givenStack();
    const external = new ExternalNetwork(stack, 'public1', {
      cidr: '10.0.2.0/24',
      gatewayIp: '10.0.2.1',
      floatingIpRanges: [{ start: '10.0.2.150', end: '10.0.2.199' }],
    });
    new ClusterNetwork(stack, 'k8s-net', { externalNetwork: external });
    expect(onlyResource(stack, 'openstack_networking_router_v2').depends_on).toEqual([
      expect.stringMatching(/^openstack_networking_subnet_v2\.public1_Subnet/),
    ]);
    expect(external.readyWhen).toBe(external.subnet);
  });

  test('an IPv6 subnet is sent as IPv6, and a router gateway imported by UUID in any form oslo accepts', () => {
    const stack = givenStack();
    const external = ExternalNetwork.fromNetworkId(stack, 'public1', `{${EXT_ID.toUpperCase()}}`);
    new ClusterNetwork(stack, 'k8s-net', { externalNetwork: external, cidr: 'fd00:10::/64' });
    expect(onlyResource(stack, 'openstack_networking_subnet_v2')).toMatchObject({ cidr: 'fd00:10::/64', ip_version: 6 });
  });
});

describe('ClusterNetwork.fromClusterNetworkAttributes', () => {
  const NET_ID = 'a1b2c3d4-0000-4000-8000-00000000000a';
  const SUBNET_ID = 'a1b2c3d4-0000-4000-8000-00000000000b';

  test('returns the interface of a private network that exists, creating nothing', () => {
    const stack = givenStack();
    const net: ISubnetNetwork = ClusterNetwork.fromClusterNetworkAttributes(stack, 'net', { networkId: NET_ID, subnetId: SUBNET_ID });
    expect(net).not.toBeInstanceOf(ClusterNetwork);
    expect([net.networkId, net.subnetId, net.external, net.readyWhen]).toEqual([NET_ID, SUBNET_ID, false, undefined]);
    expect(JSON.parse(Testing.synth(stack, true)).resource).toBeUndefined();
  });

  test("its ids flow into the template's and the cluster's fixed network and subnet, with nothing to wait for", () => {
    // GIVEN an imported private network
    const stack = givenStack();
    const { external, image } = givenPlatformParts(stack);
    const network = ClusterNetwork.fromClusterNetworkAttributes(stack, 'net', { networkId: NET_ID, subnetId: SUBNET_ID });
    // WHEN a template and a cluster are put on it
    const template = new ClusterTemplate(stack, 'k8s', { image, externalNetwork: external, network });
    new MagnumCluster(stack, 'c', { template, network });
    // THEN both name it, and neither waits on a router interface
    expect(onlyResource(stack, 'openstack_containerinfra_clustertemplate_v1')).toMatchObject({ fixed_network: NET_ID, fixed_subnet: SUBNET_ID });
    const cluster = onlyResource(stack, 'openstack_containerinfra_cluster_v1');
    expect([cluster.fixed_network, cluster.fixed_subnet, cluster.depends_on]).toEqual([NET_ID, SUBNET_ID, undefined]);
    expect(resourcesOf(stack, 'openstack_networking_router_interface_v2')).toEqual({});
  });
});

describe('IExternalNetwork', () => {
  test('owned and imported external networks give their id as externalNetworkId, and the router takes it', () => {
    const stack = givenStack();
    const owned = new ExternalNetwork(stack, 'public1', { cidr: '10.0.2.0/24', floatingIpRanges: [{ start: '10.0.2.150', end: '10.0.2.199' }] });
    const imported = ExternalNetwork.fromNetworkId(stack, 'public2', EXT_ID);
    expect([owned.externalNetworkId, imported.externalNetworkId]).toEqual([owned.networkId, EXT_ID]);
    new ClusterNetwork(stack, 'k8s-net', { externalNetwork: imported });
    expect(onlyResource(stack, 'openstack_networking_router_v2').external_network_id).toBe(EXT_ID);
  });

  test('a private network, owned or imported, is not an external one (checked by tsc)', () => {
    const stack = givenStack();
    const external = ExternalNetwork.fromNetworkId(stack, 'public1', EXT_ID);
    const owned = new ClusterNetwork(stack, 'k8s-net', { externalNetwork: external });
    const imported = ClusterNetwork.fromClusterNetworkAttributes(stack, 'other', { networkId: 'n', subnetId: 's' });
    // @ts-expect-error a ClusterNetwork has no externalNetworkId
    const ownedAsExternal: IExternalNetwork = owned;
    // @ts-expect-error neither has an imported private network
    const importedAsExternal: IExternalNetwork = imported;
    expect([ownedAsExternal.externalNetworkId, importedAsExternal.externalNetworkId]).toEqual([undefined, undefined]);
  });
});
