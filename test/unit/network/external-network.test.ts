import { Testing, Token } from 'cdktf';
import { NetworkingNetworkV2 } from '../../../.gen/providers/openstack/networking-network-v2';
import { NetworkingSubnetV2 } from '../../../.gen/providers/openstack/networking-subnet-v2';
import { ExternalNetwork, ProviderNetworkType } from '../../../lib';
import { givenStack, onlyResource } from '../../support/fixtures';

const lan = { cidr: '10.0.2.0/24', gatewayIp: '10.0.2.1', floatingIpRanges: [{ start: '10.0.2.150', end: '10.0.2.199' }] };

describe('ExternalNetwork', () => {
  test('creates an external flat network on physnet1 with its floating-IP range', () => {
    // GIVEN
    const stack = givenStack();
    // WHEN
    new ExternalNetwork(stack, 'public1', lan);
    // THEN
    const synthed = Testing.synth(stack, true);
    expect(synthed).toHaveResourceWithProperties(NetworkingNetworkV2, {
      name: 'public1',
      external: true,
      segments: [{ network_type: 'flat', physical_network: 'physnet1' }],
    });
    expect(synthed).toHaveResourceWithProperties(NetworkingSubnetV2, {
      cidr: '10.0.2.0/24',
      gateway_ip: '10.0.2.1',
      enable_dhcp: false,
      allocation_pool: [{ start: '10.0.2.150', end: '10.0.2.199' }],
    });
  });

  test('puts a VLAN network on the named physical network with its id', () => {
    const stack = givenStack();
    new ExternalNetwork(stack, 'ext', {
      ...lan,
      name: 'provider-vlan',
      physicalNetwork: 'datacentre',
      networkType: ProviderNetworkType.VLAN,
      segmentationId: 120,
    });
    expect(onlyResource(stack, 'openstack_networking_network_v2').segments).toEqual([
      { network_type: 'vlan', physical_network: 'datacentre', segmentation_id: 120 },
    ]);
  });

  test('puts an overlay network on no physical network, with Neutron picking the VNI', () => {
    const stack = givenStack();
    new ExternalNetwork(stack, 'ext', { ...lan, networkType: ProviderNetworkType.GENEVE });
    expect(onlyResource(stack, 'openstack_networking_network_v2').segments).toEqual([{ network_type: 'geneve' }]);
  });

  test('tells the provider an IPv6 subnet is IPv6 (its ip_version defaults to 4, which Neutron refuses with an IPv6 cidr)', () => {
    const stack = givenStack();
    new ExternalNetwork(stack, 'ext', { cidr: '2001:db8::/64', floatingIpRanges: [{ start: '2001:db8::10', end: '2001:db8::ff' }] });
    const subnet = onlyResource(stack, 'openstack_networking_subnet_v2');
    expect(subnet.ip_version).toBe(6);
    expect(subnet.gateway_ip).toBeUndefined();
    const v4 = givenStack();
    new ExternalNetwork(v4, 'ext', lan);
    expect(onlyResource(v4, 'openstack_networking_subnet_v2').ip_version).toBeUndefined();
  });

  test('wires the subnet to the network and exposes both ids as tokens', () => {
    const stack = givenStack();
    const net = new ExternalNetwork(stack, 'public1', {
      ...lan,
      floatingIpRanges: [
        { start: '10.0.2.10', end: '10.0.2.20' },
        { start: '10.0.2.30', end: '10.0.2.40' },
      ],
    });
    const subnet = onlyResource(stack, 'openstack_networking_subnet_v2');
    expect(subnet.network_id).toMatch(/^\$\{openstack_networking_network_v2\.public1_\w+\.id\}$/);
    expect(subnet.allocation_pool).toHaveLength(2);
    expect(net.external).toBe(true);
    expect(Token.isUnresolved(net.subnetId)).toBe(true);
    expect([net.cidr, net.floatingIpRanges]).toEqual([
      lan.cidr,
      [
        { start: '10.0.2.10', end: '10.0.2.20' },
        { start: '10.0.2.30', end: '10.0.2.40' },
      ],
    ]);
  });

  test('fromNetworkId references an existing network without creating one', () => {
    const stack = givenStack();
    const net = ExternalNetwork.fromNetworkId(stack, 'existing', '6f6d5a1e-0000-4000-8000-000000000001');
    expect(net.networkId).toBe('6f6d5a1e-0000-4000-8000-000000000001');
    expect(net.external).toBe(true);
    expect(JSON.parse(Testing.synth(stack, true)).resource).toBeUndefined();
  });
});
