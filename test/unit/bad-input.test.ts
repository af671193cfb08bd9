import { TerraformStack, TerraformVariable } from 'cdktf';
import {
  ClusterNetwork,
  ClusterTeardown,
  ClusterTemplate,
  DockerStorageDriver,
  ExternalNetwork,
  ExternalNetworkProps,
  ImageSource,
  IExternalNetwork,
  ImageTransfer,
  MagnumCluster,
  MagnumDriver,
  MagnumImage,
  MagnumPlatform,
  MagnumServiceRequirements,
  NetworkDriver,
  OsDistro,
  ProviderNetworkType,
  VolumeDriver,
  VolumeType,
} from '../../lib';
import { describeRefusals, Refusal } from '../support/bad-input';
import { givenPlatformParts, givenStack, onlyResource } from '../support/fixtures';

const lan: ExternalNetworkProps = { cidr: '10.0.2.0/24', gatewayIp: '10.0.2.1', floatingIpRanges: [{ start: '10.0.2.150', end: '10.0.2.199' }] };
const file = ImageSource.fromFile('/tmp/image.qcow2');
const net = (stack: TerraformStack, props: Partial<ExternalNetworkProps>) => new ExternalNetwork(stack, 'net', { ...lan, ...props });
const image = (stack: TerraformStack, props: object) => new MagnumImage(stack, 'img', { source: file, osDistro: OsDistro.FEDORA_COREOS, ...props });
const template = (stack: TerraformStack, props: object) => {
  const parts = givenPlatformParts(stack);
  return new ClusterTemplate(stack, 'tpl', { image: parts.image, externalNetwork: parts.external, ...props });
};
const cluster = (stack: TerraformStack, props: object, templateProps: object = {}) =>
  new MagnumCluster(stack, 'cluster', { template: template(stack, templateProps), ...props });

/** [case, what builds the bad input, what the message must say] */
const cases: Refusal[] = [
  ['invalid CIDR', (s) => net(s, { cidr: '10.0.2.0/33' }), /^test\/net: cidr = "10\.0\.2\.0\/33": is not a valid CIDR\. Fix: write it as address\/prefix/],
  [
    'CIDR with host bits',
    (s) => net(s, { cidr: '10.0.2.5/24' }),
    /^test\/net: cidr = "10\.0\.2\.5\/24": has host bits set\. Fix: use the network address "10\.0\.2\.0\/24"\.$/,
  ],
  [
    'range outside the CIDR',
    (s) => net(s, { floatingIpRanges: [{ start: '10.0.3.10', end: '10.0.3.20' }] }),
    /^test\/net: floatingIpRanges\[0\]\.start = "10\.0\.3\.10": lies outside the subnet 10\.0\.2\.0\/24\. Fix: pick an address inside the cidr/,
  ],
  [
    'overlapping ranges',
    (s) =>
      net(s, {
        floatingIpRanges: [
          { start: '10.0.2.100', end: '10.0.2.150' },
          { start: '10.0.2.150', end: '10.0.2.160' },
        ],
      }),
    /^test\/net: floatingIpRanges\[1\] = \{"start":"10\.0\.2\.150","end":"10\.0\.2\.160"\}: overlaps floatingIpRanges\[0\] \(10\.0\.2\.100-10\.0\.2\.150\)\. Fix: make the ranges disjoint/,
  ],
  [
    'range start after end',
    (s) => net(s, { floatingIpRanges: [{ start: '10.0.2.199', end: '10.0.2.150' }] }),
    /^test\/net: floatingIpRanges\[0\] = .*: starts after it ends\. Fix: swap them: \{ start: "10\.0\.2\.150", end: "10\.0\.2\.199" \}\.$/,
  ],
  [
    'gateway inside a range',
    (s) => net(s, { gatewayIp: '10.0.2.160' }),
    /^test\/net: gatewayIp = "10\.0\.2\.160": lies inside floatingIpRanges\[0\] \(10\.0\.2\.150-10\.0\.2\.199\)\. Fix: move the gateway out of the range/,
  ],
  [
    'IPv6 range in an IPv4 subnet',
    (s) => net(s, { floatingIpRanges: [{ start: '2001:db8::10', end: '2001:db8::20' }] }),
    /^test\/net: floatingIpRanges\[0\]\.start = "2001:db8::10": is IPv6 but the subnet is IPv4\. Fix: use IPv4 addresses throughout one subnet\.$/,
  ],
  [
    'IPv4 gateway in an IPv6 subnet',
    (s) => net(s, { cidr: '2001:db8::/64', gatewayIp: '10.0.2.1', floatingIpRanges: [{ start: '2001:db8::10', end: '2001:db8::20' }] }),
    /^test\/net: gatewayIp = "10\.0\.2\.1": is IPv4 but the subnet is IPv6/,
  ],
  ['gateway outside the CIDR', (s) => net(s, { gatewayIp: '10.0.9.1' }), /^test\/net: gatewayIp = "10\.0\.9\.1": lies outside the subnet/],
  [
    'no floating-IP range',
    (s) => net(s, { floatingIpRanges: [] }),
    /^test\/net: floatingIpRanges = \[\]: is empty\. Fix: give at least one \{ start, end \} range/,
  ],
  [
    'range over the network address',
    (s) => net(s, { gatewayIp: '10.0.2.254', floatingIpRanges: [{ start: '10.0.2.0', end: '10.0.2.20' }] }),
    /^test\/net: floatingIpRanges\[0\] = .*: includes the network or broadcast address/,
  ],
  [
    'DNS server not an IP',
    (s) => net(s, { dnsNameservers: ['dns.example.org'] }),
    /^test\/net: dnsNameservers\[0\] = "dns\.example\.org": is not an IP address\. Fix: give the resolver as an IPv4 or IPv6 address/,
  ],
  [
    'VLAN without an id',
    (s) => net(s, { networkType: ProviderNetworkType.VLAN }),
    /^test\/net: segmentationId = \(not set\): is not a VLAN id\. Fix: give an integer from 1 to 4094/,
  ],
  [
    'flat network with a VLAN id',
    (s) => net(s, { segmentationId: 10 }),
    /^test\/net: segmentationId = 10: is set on a flat network\. Fix: remove it, or set networkType: ProviderNetworkType\.VLAN\.$/,
  ],
  ['MTU out of range', (s) => net(s, { mtuBytes: 20000 }), /^test\/net: mtuBytes = 20000: is out of range\. Fix: give an MTU from 68 to 9216 bytes/],
  ['empty network name', (s) => net(s, { name: ' ' }), /^test\/net: name = " ": is empty\. Fix: give a non-empty name\.$/],
  [
    'name too long',
    (s) => net(s, { name: 'n'.repeat(256) }),
    /^test\/net: name = "n+\.\.\.: is 256 characters long\. Fix: shorten it to at most 255 characters\.$/,
  ],
  [
    'image with no os_distro',
    (s) => image(s, { osDistro: undefined }),
    /^test\/img: osDistro = \(not set\): is not an os_distro Magnum knows; Magnum would refuse every template with "Cluster type \(vm, None, kubernetes\) not supported"\. Fix: set osDistro to one of OsDistro\.FEDORA_ATOMIC/,
  ],
  ['unknown os_distro', (s) => image(s, { osDistro: 'centos' }), /^test\/img: osDistro = "centos": is not an os_distro Magnum knows/],
  [
    'os_distro the driver does not accept',
    (s) => image(s, { osDistro: OsDistro.FEDORA_ATOMIC, driver: MagnumDriver.HEAT_FEDORA_COREOS }),
    /^test\/img: osDistro = "fedora-atomic": is not accepted by driver k8s_fedora_coreos_v1\. Fix: use os_distro "fedora-coreos" for that driver/,
  ],
  [
    'Cluster API driver without kube_version',
    (s) => image(s, { osDistro: OsDistro.UBUNTU, driver: MagnumDriver.CLUSTER_API_HELM }),
    /^test\/img: kubeVersion = \(not set\): is required by driver k8s_capi_helm_v1\. Fix: set kubeVersion/,
  ],
  [
    'os_distro two drivers accept, no driver',
    (s) => image(s, { osDistro: OsDistro.FLATCAR }),
    /^test\/img: driver = \(not set\): is needed: more than one Magnum driver accepts os_distro "flatcar"\. Fix: set driver/,
  ],
  [
    'os_distro in the free property map',
    (s) => image(s, { properties: { os_distro: 'fedora-coreos' } }),
    /^test\/img: properties\.os_distro = "fedora-coreos": is set through the free map\. Fix: use the osDistro prop/,
  ],
  [
    'decompress with web-download',
    (s) => image(s, { source: ImageSource.fromUrl('https://e.org/i.xz', { decompress: true, transfer: ImageTransfer.WEB_DOWNLOAD }) }),
    /^test\/img: source = "https:\/\/e\.org\/i\.xz": asks Glance to decompress a web-download/,
  ],
  [
    'master count below 1',
    (s) => cluster(s, { masterCount: 0 }),
    /^test\/cluster: masterCount = 0: is not a whole number >= 1\. Fix: give at least 1 master\.$/,
  ],
  [
    'several masters without the master LB',
    (s) => cluster(s, { masterCount: 3 }, { masterLbEnabled: false }),
    /^test\/cluster: masterCount = 3: is more than one but the template has no master load balancer\. Fix: use a template with masterLbEnabled: true/,
  ],
  ['negative node count', (s) => cluster(s, { nodeCount: -1 }), /^test\/cluster: nodeCount = -1: is not a whole number >= 0/],
  ['fractional node count', (s) => cluster(s, { nodeCount: 1.5 }), /^test\/cluster: nodeCount = 1\.5: is not a whole number >= 0/],
  [
    'node group min above max',
    (s) => cluster(s, {}).addNodeGroup('ng', { minNodeCount: 5, maxNodeCount: 2, nodeCount: 3 }),
    /^test\/cluster\/ng: minNodeCount = 5: is above maxNodeCount \(2\)\. Fix: make minNodeCount <= maxNodeCount\.$/,
  ],
  [
    'node group count outside its bounds',
    (s) => cluster(s, {}).addNodeGroup('ng', { minNodeCount: 2, maxNodeCount: 4, nodeCount: 1 }),
    /^test\/cluster\/ng: nodeCount = 1: is outside minNodeCount\.\.maxNodeCount \(2\.\.4\)/,
  ],
  [
    'cluster name Magnum refuses',
    (s) => cluster(s, { name: '1st cluster' }),
    /^test\/cluster: name = "1st cluster": is not a name Magnum accepts\. Fix: start with a letter/,
  ],
  ['create timeout of zero', (s) => cluster(s, { createTimeoutMinutes: 0 }), /^test\/cluster: createTimeoutMinutes = 0: is not a whole number >= 1/],
  [
    'docker volume below 1 GiB',
    (s) => template(s, { dockerVolumeSizeGiB: 0 }),
    /^test\/tpl: dockerVolumeSizeGiB = 0: is not a whole number >= 1\. Fix: give at least 1 GiB/,
  ],
  [
    'devicemapper below 3 GiB',
    (s) => template(s, { dockerStorageDriver: DockerStorageDriver.DEVICEMAPPER, dockerVolumeSizeGiB: 2 }),
    /^test\/tpl: dockerVolumeSizeGiB = 2: is below 3 GiB, the minimum Magnum requires with the devicemapper storage driver/,
  ],
  [
    'cinder volume driver with the cloud provider off',
    (s) => template(s, { volumeDriver: VolumeDriver.CINDER, cloudProviderEnabled: false }),
    /^test\/tpl: volumeDriver = "cinder": needs the cloud provider; Magnum refuses it .* Fix: set cloudProviderEnabled: true, or remove volumeDriver\.$/,
  ],
  [
    'cloud provider while trust is off',
    (s) => template(s, { serviceRequirements: new MagnumServiceRequirements(s, 'svc', { clusterUserTrust: false }) }),
    /^test\/tpl: cloudProviderEnabled = true: needs cluster_user_trust, which the service requirements say is off; every cluster would fail with "cluster_user_trust" must be set to True in magnum\.conf .* Fix: turn clusterUserTrust on/,
  ],
  [
    'master LB without Octavia',
    (s) => template(s, { serviceRequirements: new MagnumServiceRequirements(s, 'svc', { octaviaEnabled: false }) }),
    /^test\/tpl: masterLbEnabled = true: needs Octavia, which the service requirements say is not deployed/,
  ],
  [
    'network driver outside flannel/calico/cilium',
    (s) => template(s, { networkDriver: 'weave' as NetworkDriver }),
    /^test\/tpl: networkDriver = "weave": is not a network driver Magnum accepts\. Fix: use NetworkDriver\.FLANNEL, NetworkDriver\.CALICO or NetworkDriver\.CILIUM\.$/,
  ],
  [
    'label value not a string after conversion',
    (s) => template(s, { extraLabels: { prometheus_monitoring: { enabled: true } } }),
    /^test\/tpl: extraLabels\.prometheus_monitoring = \{"enabled":true\}: is not a string after conversion \(Magnum labels are strings\)/,
  ],
  [
    'typed label through the free map',
    (s) => template(s, { extraLabels: { cloud_provider_enabled: 'false' } }),
    /^test\/tpl: extraLabels\.cloud_provider_enabled = "false": has a typed prop\. Fix: use the cloudProviderEnabled prop instead\.$/,
  ],
  [
    'docker volume type without a docker volume',
    (s) => template(s, { dockerVolumeType: VolumeType.fromVolumeTypeName(s, 'vt', 'ssd') }),
    /^test\/tpl: dockerVolumeType = "ssd": has no effect without a Docker volume/,
  ],
  [
    'allowed CIDR with host bits',
    (s) => template(s, { masterLbAllowedCidrs: ['10.1.1.1/8'] }),
    /^test\/tpl: masterLbAllowedCidrs\[0\] = "10\.1\.1\.1\/8": is not a network CIDR/,
  ],
  [
    'vexxhost driver without kube_tag',
    (s) => {
      const parts = givenPlatformParts(s);
      const ubuntu = new MagnumImage(s, 'u', { source: file, osDistro: OsDistro.UBUNTU, driver: MagnumDriver.CLUSTER_API_VEXXHOST });
      return new ClusterTemplate(s, 'tpl', { image: ubuntu, externalNetwork: parts.external });
    },
    /^test\/tpl: kubeTag = \(not set\): is required by driver k8s_cluster_api/,
  ],
  [
    'volume type granted to no project',
    (s) => new VolumeType(s, 'vt', { grantedProjectIds: [] }),
    /^test\/vt: grantedProjectIds = \[\]: is empty, which would make the type usable by no project/,
  ],
  [
    'backend name through extra specs',
    (s) => new VolumeType(s, 'vt', { extraSpecs: { volume_backend_name: 'lvm-1' } }),
    /^test\/vt: extraSpecs\.volume_backend_name = "lvm-1": is set through the free map\. Fix: use the backendName prop\.$/,
  ],
  [
    'teardown cloud name that is no clouds.yaml entry',
    (s) => new ClusterTeardown(s, 'td', { cluster: { clusterId: 'x' }, cloudName: 'dev\ncloud' }),
    /^test\/td: cloudName = "dev\\ncloud": is not a clouds\.yaml entry name/,
  ],
  [
    'platform given a network to create and one to use',
    (s) =>
      new MagnumPlatform(s, 'p', {
        externalNetwork: lan,
        existingExternalNetwork: ExternalNetwork.fromNetworkId(s, 'e', 'id'),
        existingImage: MagnumImage.fromImageId(s, 'i', 'img'),
      }),
    /^test\/p: externalNetwork = "\(both set\)": is given together with existingExternalNetwork\. Fix: give either externalNetwork/,
  ],
  [
    'platform with no image',
    (s) => new MagnumPlatform(s, 'p', { externalNetwork: lan }),
    /^test\/p: image = \(not set\): is missing, and so is existingImage\. Fix: give image \(to create it\) or existingImage \(to use it\)\.$/,
  ],
];

describeRefusals('bad input fails at synth with the path, field, value and fix', cases);

// A caller without TypeScript's checks (plain JavaScript, or a cast) still gets the refusal the type expresses.
describeRefusals('an external network that is not one', [
  [
    "a private network as the template's external network",
    (s) => {
      const parts = givenPlatformParts(s);
      const priv = new ClusterNetwork(s, 'priv', { externalNetwork: parts.external });
      return new ClusterTemplate(s, 'tpl', { image: parts.image, externalNetwork: priv as unknown as IExternalNetwork });
    },
    /^test\/tpl: externalNetwork = <known at apply: openstack_networking_network_v2\.priv_[0-9A-F]+\.id>: is not an external network; Magnum would refuse it with "Unable to find external network"\. Fix: pass an ExternalNetwork/,
  ],
  [
    'a router gateway on a network that is not external',
    (s) => new ClusterNetwork(s, 'cn', { externalNetwork: { networkId: 'private-net', external: false } as unknown as IExternalNetwork }),
    /^test\/cn: externalNetwork = "private-net": is not an external network, so the router cannot use it as its gateway/,
  ],
]);

describe('values unknown until apply', () => {
  test('are neither validated nor rejected: they reach the JSON as the Terraform references they stand for', () => {
    // GIVEN a CIDR and counts known only at apply
    const stack = givenStack();
    const cidr = new TerraformVariable(stack, 'cidr', { type: 'string' }).stringValue;
    const count = new TerraformVariable(stack, 'masters', { type: 'number' }).numberValue;
    // WHEN the constructs that check them are built on them
    const external = new ExternalNetwork(stack, 'net', { cidr, floatingIpRanges: [{ start: '10.0.2.150', end: '10.0.2.199' }] });
    const img = new MagnumImage(stack, 'img', { source: file, osDistro: OsDistro.FEDORA_COREOS });
    const tpl = new ClusterTemplate(stack, 'tpl', { image: img, externalNetwork: external, dockerVolumeSizeGiB: count });
    new MagnumCluster(stack, 'c', { template: tpl, masterCount: count, nodeCount: count });
    // THEN Terraform gets the references, to check at apply
    expect(onlyResource(stack, 'openstack_networking_subnet_v2').cidr).toBe('${var.cidr}');
    expect(onlyResource(stack, 'openstack_containerinfra_clustertemplate_v1').docker_volume_size).toBe('${var.masters}');
    expect(onlyResource(stack, 'openstack_containerinfra_cluster_v1')).toMatchObject({ master_count: '${var.masters}', node_count: '${var.masters}' });
  });
});
