import { Testing, TerraformStack, TerraformVariable } from 'cdktf';
import {
  ClusterNetwork,
  ClusterReplacement,
  ExternalNetwork,
  ExternalNetworkProps,
  ImageSource,
  MagnumPlatform,
  MagnumPlatformProps,
  OsDistro,
  ProviderNetworkType,
} from '../../../lib';
import { describeRefusals, warningsOf } from '../../support/bad-input';
import { givenStack, onlyResource, resourcesOf, SynthesizedResource, synthJson } from '../../support/fixtures';

const lan: ExternalNetworkProps = { cidr: '10.0.2.0/24', gatewayIp: '10.0.2.1', floatingIpRanges: [{ start: '10.0.2.150', end: '10.0.2.199' }] };
const v6: Partial<ExternalNetworkProps> = {
  cidr: '2001:db8::/64',
  gatewayIp: '2001:db8::1',
  floatingIpRanges: [{ start: '2001:db8::10', end: '2001:db8::ff' }],
};
const EXT_ID = '6f6d5a1e-0000-4000-8000-000000000001';
const net = (stack: TerraformStack, props: Partial<ExternalNetworkProps>) => new ExternalNetwork(stack, 'net', { ...lan, ...props });
const clusterNet = (stack: TerraformStack, cidr: string) =>
  new ClusterNetwork(stack, 'cn', { externalNetwork: ExternalNetwork.fromNetworkId(stack, 'ext', EXT_ID), cidr });
const platform = (stack: TerraformStack, props: Partial<MagnumPlatformProps> = {}) =>
  new MagnumPlatform(stack, 'p', {
    externalNetwork: lan,
    image: { source: ImageSource.fromFile('/tmp/fcos.qcow2'), osDistro: OsDistro.FEDORA_COREOS },
    teardownEnabled: false,
    ...props,
  });

describeRefusals('Neutron refusals of the network constructs fail at synth', [
  // neutron neutron/db/ipam_backend_mixin.py: _validate_subnet_cidr (Zed; master same)
  [
    'CIDR with prefix length 0',
    (s) => net(s, { cidr: '0.0.0.0/0' }),
    /^test\/net: cidr = "0\.0\.0\.0\/0": has prefix length 0, which Neutron refuses for a subnet\. Fix: give the block the subnet really has/,
  ],
  // neutron neutron_lib/api/validators/__init__.py: validate_subnet (Zed; master same, with a shorter message)
  [
    'IPv4 prefix length with a leading zero',
    (s) => net(s, { cidr: '10.0.2.0/024' }),
    /^test\/net: cidr = "10\.0\.2\.0\/024": is not a valid CIDR\. Fix: write it as address\/prefix/,
  ],
  // neutron neutron/db/db_base_plugin_v2.py: _validate_subnet (Zed accepts; master differs: refuses "::" since 2024.1, bug 2028159)
  [
    'IPv6 subnet at the unspecified address',
    (s) => net(s, { cidr: '::/64', gatewayIp: '::1', floatingIpRanges: [{ start: '::10', end: '::20' }] }),
    /^test\/net: cidr = "::\/64": starts at "::", the unspecified address; Neutron refuses such an IPv6 subnet \(2024\.1 on\)\. Fix: use a global or unique-local prefix/,
  ],
  // neutron neutron/ipam/utils.py: check_gateway_invalid_in_subnet, from db_base_plugin_v2.py _validate_subnet (Zed; master same)
  [
    'gateway on the network address',
    (s) => net(s, { gatewayIp: '10.0.2.0' }),
    /^test\/net: gatewayIp = "10\.0\.2\.0": is the network address of the subnet; Neutron answers "Gateway is not valid on subnet"\. Fix: give a host address of the cidr/,
  ],
  // neutron neutron/ipam/utils.py: check_gateway_invalid_in_subnet (Zed; master same)
  [
    'gateway on the broadcast address',
    (s) => net(s, { gatewayIp: '10.0.2.255' }),
    /^test\/net: gatewayIp = "10\.0\.2\.255": is the broadcast address of the subnet/,
  ],
  // neutron neutron/db/ipam_backend_mixin.py: _gateway_ip_str, then validate_gw_out_of_pools (Zed; master same)
  [
    'gateway left to Neutron inside a range',
    (s) => net(s, { gatewayIp: undefined, floatingIpRanges: [{ start: '10.0.2.1', end: '10.0.2.50' }] }),
    /^test\/net: gatewayIp = \(not set\): is left to Neutron, which takes 10\.0\.2\.1 \(the first host\), and that lies inside floatingIpRanges\[0\] \(10\.0\.2\.1-10\.0\.2\.50\)\. Fix: set gatewayIp to the subnet's real gateway outside the ranges, or start floatingIpRanges\[0\] after 10\.0\.2\.1\.$/,
  ],
  // neutron neutron/db/ipam_backend_mixin.py: validate_allocation_pools (Zed; master same)
  [
    'IPv6 range over the network address',
    (s) => net(s, { ...v6, floatingIpRanges: [{ start: '2001:db8::', end: '2001:db8::20' }] }),
    /^test\/net: floatingIpRanges\[0\] = .*: includes the network address, which Neutron keeps out of IPv6 pools .*\. Fix: start the range at 2001:db8:0:0:0:0:0:1 or later\.$/,
  ],
  // neutron neutron/db/db_base_plugin_v2.py: _validate_subnet, max_dns_nameservers = 5 in neutron/conf/common.py (Zed; master same)
  [
    'six DNS resolvers',
    (s) => net(s, { dnsNameservers: ['10.0.2.1', '10.0.2.2', '10.0.2.3', '10.0.2.4', '10.0.2.5', '10.0.2.6'] }),
    /^test\/net: dnsNameservers = \[.*\]: has 6 resolvers; Neutron allows 5 per subnet by default \(max_dns_nameservers\)\. Fix: keep at most 5\.$/,
  ],
  // neutron neutron_lib/api/validators/__init__.py: validate_nameservers (Zed; master same)
  [
    'the same DNS resolver twice',
    (s) => net(s, { dnsNameservers: ['8.8.8.8', '8.8.4.4', '8.8.8.8'] }),
    /^test\/net: dnsNameservers\[2\] = "8\.8\.8\.8": repeats dnsNameservers\[0\]; Neutron refuses duplicate nameservers\. Fix: list each resolver once\.$/,
  ],
  // neutron neutron/db/db_base_plugin_v2.py: _validate_subnet via _validate_ip_version (Zed; master same)
  [
    'IPv6 resolver on an IPv4 subnet',
    (s) => net(s, { dnsNameservers: ['2001:4860:4860::8888'] }),
    /^test\/net: dnsNameservers\[0\] = "2001:4860:4860::8888": is IPv6 but the subnet is IPv4\. Fix: announce IPv4 resolvers on an IPv4 subnet\.$/,
  ],
  // neutron neutron/plugins/ml2/drivers/type_tunnel.py: TunnelTypeDriver.validate_provider_segment (Zed; master same)
  [
    'physical network on a VXLAN network',
    (s) => net(s, { networkType: ProviderNetworkType.VXLAN, physicalNetwork: 'physnet1' }),
    /^test\/net: physicalNetwork = "physnet1": is set on a vxlan network; Neutron refuses a physical network for overlay types\. Fix: remove it, or use ProviderNetworkType\.FLAT or VLAN/,
  ],
  // neutron neutron/plugins/ml2/drivers/type_flat.py: FlatTypeDriver.validate_provider_segment (Zed; master same)
  [
    'flat network with an empty physical network',
    (s) => net(s, { physicalNetwork: '' }),
    /^test\/net: physicalNetwork = "": is empty; Neutron needs the physical network of a flat network\. Fix: name the physical network of the ML2 config/,
  ],
  // neutron neutron/plugins/ml2/drivers/type_vlan.py: VlanTypeDriver.validate_provider_segment (Zed; master same)
  [
    'VLAN id without a physical network',
    (s) => net(s, { networkType: ProviderNetworkType.VLAN, segmentationId: 100, physicalNetwork: '' }),
    /^test\/net: physicalNetwork = "": is empty; Neutron needs the physical network of a vlan network/,
  ],
  // neutron neutron/db/db_base_plugin_v2.py: _validate_subnet_network_mtu (Zed accepts; master differs: refuses since 2023.2)
  [
    'IPv6 network with an MTU below 1280',
    (s) => net(s, { ...v6, mtuBytes: 1200 }),
    /^test\/net: mtuBytes = 1200: is below 1280, the IPv6 minimum, on a network with an IPv6 subnet\. Fix: give at least 1280 bytes/,
  ],
  // magnum magnum/api/controllers/v1/cluster_template.py: external_network_id StringType(min_length=1) (Zed; master same)
  [
    'external network imported with an empty id',
    (s) => ExternalNetwork.fromNetworkId(s, 'ext', ''),
    /^test\/ext: networkId = "": is empty\. Fix: give the UUID of the network/,
  ],
  // neutron neutron_lib/api/definitions/l3.py: external_gateway_info network_id type:uuid, validators.validate_uuid (Zed; master same)
  [
    'router gateway on a network imported by name',
    (s) => new ClusterNetwork(s, 'cn', { externalNetwork: ExternalNetwork.fromNetworkId(s, 'ext', 'public1') }),
    /^test\/cn: externalNetwork = "public1": is not a network UUID; Neutron takes only an id for a router gateway \(Magnum alone also takes a name\)\. Fix: import the network by its UUID/,
  ],
  // neutron neutron/db/l3_db.py: _check_for_dup_router_subnets (Zed; master same, through _raise_on_subnets_overlap)
  [
    'cluster subnet overlapping the external network',
    (s) => new ClusterNetwork(s, 'cn', { externalNetwork: new ExternalNetwork(s, 'public1', lan), cidr: '10.0.2.0/25' }),
    /^test\/cn: cidr = "10\.0\.2\.0\/25": overlaps 10\.0\.2\.0\/24, the cidr of test\/public1, which the router's gateway is on; .* Fix: pick a block outside 10\.0\.2\.0\/24\.$/,
  ],
  // neutron neutron/db/db_base_plugin_v2.py: _validate_subnet, DHCP prefix length (Zed; master same)
  [
    'IPv4 cluster subnet too small for DHCP',
    (s) => clusterNet(s, '10.0.0.0/31'),
    /^test\/cn: cidr = "10\.0\.0\.0\/31": is too small for a subnet with DHCP \(Neutron allows at most \/30\)\. Fix: widen it, e.g\. to \/24\.$/,
  ],
  // neutron neutron/db/db_base_plugin_v2.py: _validate_subnet, DHCP prefix length (Zed; master same)
  [
    'IPv6 cluster subnet too small for DHCP',
    (s) => clusterNet(s, 'fd00:1::/127'),
    /^test\/cn: cidr = "fd00:1::\/127": is too small for a subnet with DHCP \(Neutron allows at most \/126\)/,
  ],
  // neutron neutron/db/db_base_plugin_v2.py: _validate_subnet, is_multicast with DHCP (Zed; master same)
  [
    'multicast cluster subnet',
    (s) => clusterNet(s, '224.0.0.0/24'),
    /^test\/cn: cidr = "224\.0\.0\.0\/24": is a multicast block, which Neutron refuses for a subnet with DHCP/,
  ],
  // neutron neutron/db/db_base_plugin_v2.py: _validate_subnet, is_loopback with DHCP (Zed; master same)
  [
    'loopback cluster subnet',
    (s) => clusterNet(s, '127.0.0.0/24'),
    /^test\/cn: cidr = "127\.0\.0\.0\/24": is a loopback block, which Neutron refuses for a subnet with DHCP/,
  ],
  // neutron neutron/db/db_base_plugin_v2.py: _validate_subnet, first IP 0.0.0.0 with DHCP (Zed; master same)
  [
    'cluster subnet at 0.0.0.0',
    (s) => clusterNet(s, '0.0.0.0/24'),
    /^test\/cn: cidr = "0\.0\.0\.0\/24": starts at 0\.0\.0\.0, which Neutron refuses for a subnet with DHCP/,
  ],
  // neutron neutron/db/l3_db.py: _create_floatingip, "does not contain any IPv4 subnet" (Zed; master same)
  [
    'IPv6-only external network for a cluster with floating IPs',
    (s) => platform(s, { externalNetwork: { ...lan, ...v6 } as ExternalNetworkProps }),
    /^test\/p\/ExternalNetwork: cidr = "2001:db8::\/64": is IPv6, but the cluster needs floating IPs and Neutron allocates them only from an IPv4 subnet\. Fix: give the external network an IPv4 cidr, or turn floatingIpEnabled \(and masterLbFloatingIpEnabled\) off in the template\.$/,
  ],
  // magnum magnum/api/controllers/v1/cluster_template.py: fixed_network StringType(min_length=1) (Zed; master same)
  [
    'private network imported with an empty id',
    (s) => ClusterNetwork.fromClusterNetworkAttributes(s, 'net', { networkId: ' ', subnetId: EXT_ID }),
    /^test\/net: networkId = " ": is empty\. Fix: give the id of the private network \(openstack network show NAME -f value -c id\)\.$/,
  ],
  // magnum magnum/api/controllers/v1/cluster_template.py: fixed_subnet StringType(max_length=255) (Zed; master same)
  [
    'private subnet imported with an id over 255 characters',
    (s) => ClusterNetwork.fromClusterNetworkAttributes(s, 'net', { networkId: EXT_ID, subnetId: 's'.repeat(256) }),
    /^test\/net: subnetId = "s+\.\.\.: is 256 characters long; Magnum takes at most 255\. Fix: give the id of its subnet/,
  ],
]);

/** The resource named `name` among `resources` (one type's, by logical id); fails the test when there is none. */
function named(resources: Record<string, SynthesizedResource> | undefined, name: string): SynthesizedResource {
  const found = Object.values(resources ?? {}).find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${JSON.stringify(name)}`);
  return found;
}

describe('healthy counterparts of the refusals synthesize, as written', () => {
  const subnet = (s: TerraformStack, name: string) => named(resourcesOf(s, 'openstack_networking_subnet_v2'), name);
  const network = (s: TerraformStack, name: string) => named(resourcesOf(s, 'openstack_networking_network_v2'), name);
  test.each<[string, (s: TerraformStack) => unknown, (s: TerraformStack) => void]>([
    [
      'an IPv6 external network without floating IPs',
      (s) => platform(s, { externalNetwork: { ...lan, ...v6, mtuBytes: 1280 } as ExternalNetworkProps, template: { floatingIpEnabled: false } }),
      (s) => {
        expect(subnet(s, 'ExternalNetwork-subnet')).toMatchObject({ cidr: '2001:db8::/64', ip_version: 6, gateway_ip: '2001:db8::1' });
        expect(onlyResource(s, 'openstack_containerinfra_clustertemplate_v1').floating_ip_enabled).toBe(false);
      },
    ],
    [
      'a gateway left to Neutron outside the ranges',
      (s) => net(s, { gatewayIp: undefined }),
      (s) => {
        expect(subnet(s, 'net-subnet')).toMatchObject({ cidr: '10.0.2.0/24', allocation_pool: [{ start: '10.0.2.150', end: '10.0.2.199' }] });
        expect(subnet(s, 'net-subnet')).not.toHaveProperty('gateway_ip');
      },
    ],
    [
      'a cluster subnet beside the external network',
      (s) => new ClusterNetwork(s, 'cn', { externalNetwork: new ExternalNetwork(s, 'public1', lan), cidr: '10.0.3.0/24' }),
      (s) => {
        expect([subnet(s, 'cn-subnet').cidr, subnet(s, 'public1-subnet').cidr]).toEqual(['10.0.3.0/24', '10.0.2.0/24']);
      },
    ],
    [
      'a router gateway on a network imported by UUID',
      (s) => clusterNet(s, '10.0.0.0/30'),
      (s) => {
        expect(onlyResource(s, 'openstack_networking_router_v2').external_network_id).toBe(EXT_ID);
        expect(subnet(s, 'cn-subnet').cidr).toBe('10.0.0.0/30');
      },
    ],
    [
      'five resolvers',
      (s) => net(s, { dnsNameservers: ['10.0.2.1', '10.0.2.2', '10.0.2.3', '10.0.2.4', '10.0.2.5'] }),
      (s) => {
        expect(subnet(s, 'net-subnet').dns_nameservers).toEqual(['10.0.2.1', '10.0.2.2', '10.0.2.3', '10.0.2.4', '10.0.2.5']);
      },
    ],
    [
      'a Geneve network with no physical network',
      (s) => net(s, { networkType: ProviderNetworkType.GENEVE }),
      (s) => {
        expect(network(s, 'net').segments).toEqual([{ network_type: 'geneve' }]);
      },
    ],
  ])('%s', (_name, build, then) => {
    const stack = givenStack();
    build(stack);
    then(stack);
  });
});

describe('values unknown until apply', () => {
  test('are neither validated nor rejected by the network constructs', () => {
    const stack = givenStack();
    const text = (name: string) => new TerraformVariable(stack, name, { type: 'string' }).stringValue;
    const number = new TerraformVariable(stack, 'vni', { type: 'number' }).numberValue;
    const external = new ExternalNetwork(stack, 'ext', { ...lan, physicalNetwork: text('physnet'), dnsNameservers: [text('dns'), text('dns2')] });
    new ExternalNetwork(stack, 'overlay', { ...lan, networkType: ProviderNetworkType.VXLAN, physicalNetwork: text('none'), segmentationId: number });
    new ClusterNetwork(stack, 'cn', { externalNetwork: external, cidr: text('cidr') });
    new ClusterNetwork(stack, 'cn2', { externalNetwork: ExternalNetwork.fromNetworkId(stack, 'imported', text('id')) });
    // THEN each reaches the JSON as the Terraform reference it stands for, unchecked
    const json = synthJson(stack);
    const byName = (type: string, name: string) => named(json.resource?.[type], name);
    expect(byName('openstack_networking_network_v2', 'ext').segments).toEqual([{ network_type: 'flat', physical_network: '${var.physnet}' }]);
    expect(byName('openstack_networking_subnet_v2', 'ext-subnet').dns_nameservers).toEqual(['${var.dns}', '${var.dns2}']);
    expect(byName('openstack_networking_network_v2', 'overlay').segments).toEqual([
      { network_type: 'vxlan', physical_network: '${var.none}', segmentation_id: '${var.vni}' },
    ]);
    expect(byName('openstack_networking_subnet_v2', 'cn-subnet').cidr).toBe('${var.cidr}');
    expect(byName('openstack_networking_router_v2', 'cn2-router').external_network_id).toBe('${var.id}');
    expect(warningsOf(stack)).toEqual([]);
  });
});

describe('choices that deploy but hurt warn at synth', () => {
  const budgetWarnings = (stack: TerraformStack) => {
    Testing.synth(stack, true);
    return warningsOf(stack).filter((w) => w.includes('floatingIpRanges ='));
  };
  const few = (n: number) => ({ ...lan, floatingIpRanges: [{ start: '10.0.2.150', end: `10.0.2.${149 + n}` }] });

  test('floating-IP ranges smaller than the router gateway, API LB and node floating IPs', () => {
    const stack = givenStack();
    platform(stack, { externalNetwork: few(4), cluster: { masterCount: 1, nodeCount: 3 } });
    expect(budgetWarnings(stack)).toEqual([
      'test/p/ExternalNetwork: floatingIpRanges = [{"start":"10.0.2.150","end":"10.0.2.153"}]: hold 4 addresses, fewer than the 6 the platform takes from them ' +
        '(1 router gateway, 1 API load balancer floating IP, 4 node floating IPs (1 master, 3 workers)); the cluster fails with Neutron\'s "No more IP addresses available on network". ' +
        'Fix: widen the ranges to at least 6 addresses, plus one per LoadBalancer Service, or set floatingIpEnabled: false in the template.',
    ]);
  });

  test('replacing create-before-destroy needs room for both clusters at once (two Heat routers without a cluster network)', () => {
    const stack = givenStack();
    platform(stack, { externalNetwork: few(11), cluster: { masterCount: 1, nodeCount: 3, replacement: ClusterReplacement.CREATE_BEFORE_DESTROY } });
    expect(budgetWarnings(stack)).toEqual([
      expect.stringContaining(
        'hold 11 addresses, fewer than the 12 the platform takes from them while a replacement runs both clusters (replacement: create-before-destroy) ' +
          '(2 router gateways, 2 API load balancer floating IPs, 8 node floating IPs (1 master, 3 workers, each twice))',
      ),
    ]);
    const shared = givenStack();
    platform(shared, {
      externalNetwork: few(11),
      clusterNetwork: {},
      cluster: { masterCount: 1, nodeCount: 3, replacement: ClusterReplacement.CREATE_BEFORE_DESTROY },
    });
    expect(budgetWarnings(shared)).toEqual([]);
  });

  test('counts node groups added after the platform, once however often it synthesizes', () => {
    const stack = givenStack();
    platform(stack, { externalNetwork: few(6), cluster: { masterCount: 1, nodeCount: 3 } });
    expect(budgetWarnings(stack)).toEqual([]);
    const grown = givenStack();
    platform(grown, { externalNetwork: few(6), cluster: { masterCount: 1, nodeCount: 3 } }).cluster.addNodeGroup('infra', { nodeCount: 1 });
    expect(budgetWarnings(grown)).toEqual([expect.stringContaining('hold 6 addresses, fewer than the 7')]);
    expect(budgetWarnings(grown)).toHaveLength(1);
  });

  test('an autoscaled node group counts at its maximum', () => {
    const stack = givenStack();
    const p = platform(stack, { externalNetwork: few(8), template: { autoScalingEnabled: true }, cluster: { masterCount: 1, nodeCount: 1 } });
    p.cluster.addNodeGroup('infra', { nodeCount: 1, minNodeCount: 1, maxNodeCount: 6 });
    expect(budgetWarnings(stack)).toEqual([
      expect.stringContaining(
        'fewer than the 10 the platform takes from them (1 router gateway, 1 API load balancer floating IP, 8 node floating IPs (1 master, 7 workers))',
      ),
    ]);
  });

  test('the auto_scaling_enabled label counts as the node-group checks read it: a value other than true or false is unknown', () => {
    const given = (value: string) => {
      const stack = givenStack();
      const p = platform(stack, { externalNetwork: few(8), cluster: { masterCount: 1, nodeCount: 1, labels: { auto_scaling_enabled: value } } });
      p.cluster.addNodeGroup('infra', { nodeCount: 1, minNodeCount: 1, maxNodeCount: 6 });
      const budget = budgetWarnings(stack);
      const bounds = warningsOf(stack).filter((w) => w.startsWith('test/p/Cluster/infra: maxNodeCount = 6: bounds the cluster autoscaler'));
      return [budget, bounds].map((w) => w.length);
    };
    // [floating-IP budget warnings, node-group bounds warnings]
    expect(given('True')).toEqual([1, 1]);
    expect(given('false')).toEqual([0, 1]);
    expect(given('yes')).toEqual([0, 0]);
  });

  test('no warning where the ranges suffice, or the cluster takes only the router gateway', () => {
    const roomy = givenStack();
    platform(roomy, { cluster: { masterCount: 3, nodeCount: 10 } });
    expect(budgetWarnings(roomy)).toEqual([]);
    const noFloating = givenStack();
    platform(noFloating, { externalNetwork: few(1), template: { floatingIpEnabled: false }, cluster: { masterCount: 3, nodeCount: 10 } });
    expect(budgetWarnings(noFloating)).toEqual([]);
  });

  test('a VXLAN id wider than the header', () => {
    const stack = givenStack();
    net(stack, { networkType: ProviderNetworkType.VXLAN, segmentationId: 2 ** 24 });
    expect(warningsOf(stack)).toEqual([
      'test/net: segmentationId = 16777216: is outside 1..16777215, the ids a vxlan header carries; Neutron accepts it but no traffic can use it. Fix: give an id from 1 to 16777215, or leave it unset for Neutron to pick one.',
    ]);
    const healthy = givenStack();
    net(healthy, { networkType: ProviderNetworkType.VXLAN, segmentationId: 5000 });
    expect(warningsOf(healthy)).toEqual([]);
  });
});
