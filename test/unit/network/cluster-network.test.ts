import { Testing } from 'cdktf';
import { NetworkingRouterV2 } from '../../../.gen/providers/openstack/networking-router-v2';
import { ClusterNetwork, ExternalNetwork } from '../../../lib';
import { givenStack, onlyResource } from '../../support/fixtures';

const EXT_ID = '6f6d5a1e-0000-4000-8000-000000000001';

describe('ClusterNetwork', () => {
  test('network, subnet on Magnum\'s default CIDR, router on the external network, and its interface', () => {
    const stack = givenStack();
    const external = ExternalNetwork.fromNetworkId(stack, 'public1', EXT_ID);
    const net = new ClusterNetwork(stack, 'k8s-net', { externalNetwork: external, dnsNameservers: ['10.0.2.1'] });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(NetworkingRouterV2, { name: 'k8s-net-router', external_network_id: EXT_ID });
    expect(onlyResource(stack, 'openstack_networking_subnet_v2')).toMatchObject({ cidr: '10.0.0.0/24', dns_nameservers: ['10.0.2.1'], name: 'k8s-net-subnet' });
    const itf = onlyResource(stack, 'openstack_networking_router_interface_v2');
    expect(itf.router_id).toMatch(/openstack_networking_router_v2\.k8s-net_Router/);
    expect(itf.subnet_id).toMatch(/openstack_networking_subnet_v2\.k8s-net_Subnet/);
    expect(net.external).toBe(false);
    expect(net.readyWhen).toBe(net.routerInterface);
  });

  test('the router waits for an owned external network\'s subnet, and destroy deletes the subnet after it', () => {
    const stack = givenStack();
    const external = new ExternalNetwork(stack, 'public1', { cidr: '10.0.2.0/24', gatewayIp: '10.0.2.1', floatingIpRanges: [{ start: '10.0.2.150', end: '10.0.2.199' }] });
    new ClusterNetwork(stack, 'k8s-net', { externalNetwork: external });
    expect(onlyResource(stack, 'openstack_networking_router_v2').depends_on).toEqual([expect.stringMatching(/^openstack_networking_subnet_v2\.public1_Subnet/)]);
    expect(external.readyWhen).toBe(external.subnet);
  });

  test('an IPv6 subnet is sent as IPv6, and a router gateway imported by UUID in any form oslo accepts', () => {
    const stack = givenStack();
    const external = ExternalNetwork.fromNetworkId(stack, 'public1', `{${EXT_ID.toUpperCase()}}`);
    new ClusterNetwork(stack, 'k8s-net', { externalNetwork: external, cidr: 'fd00:10::/64' });
    expect(onlyResource(stack, 'openstack_networking_subnet_v2')).toMatchObject({ cidr: 'fd00:10::/64', ip_version: 6 });
  });
});
