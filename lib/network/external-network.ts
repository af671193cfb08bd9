import { Construct } from 'constructs';
import { NetworkingNetworkV2 } from '../../.gen/providers/openstack/networking-network-v2';
import { NetworkingSubnetV2 } from '../../.gen/providers/openstack/networking-subnet-v2';
import { ValidationError } from '../core/validation-error';
import { Cidr } from '../private/ip';
import { checkName } from '../private/names';
import { describeOwner } from '../private/owner-marks';
import { checkReference } from '../private/references';
import { checkSubnet } from '../private/subnet-checks';
import { isUnresolved } from '../private/tokens';
import { warn } from '../private/warn';
import { INetwork, ISubnetNetwork } from './network';
import { ProviderNetworkType } from './provider-network-type';

/** An inclusive range of addresses Neutron hands out as floating IPs. */
export interface FloatingIpRange {
  /** First address of the range, inside the subnet's CIDR. */
  readonly start: string;
  /** Last address of the range, not before `start`. */
  readonly end: string;
}

/** An external network the cluster template can use, owned or imported. */
export interface IExternalNetwork extends INetwork {
  /**
   * The id a router gateway and a cluster template take (`external_gateway_info.network_id`,
   * `external_network_id`): the `networkId`, under a name that only external networks carry,
   * so that a private network cannot be passed where an external one is required.
   */
  readonly externalNetworkId: string;
}

/**
 * Default of {@link ExternalNetworkProps.networkType}: Kolla-Ansible's init-runonce creates
 * `public1` as a flat provider network.
 */
export const DEFAULT_PROVIDER_NETWORK_TYPE: ProviderNetworkType = ProviderNetworkType.FLAT;

/**
 * Default of {@link ExternalNetworkProps.physicalNetwork} for flat and VLAN networks: Kolla-Ansible
 * names the physical network of its first external bridge `physnet1`, and init-runonce puts `public1` on it.
 */
export const DEFAULT_PHYSICAL_NETWORK = 'physnet1';

/**
 * Default of {@link ExternalNetworkProps.shared}: other projects use the network through
 * floating IPs and router gateways, which need no sharing (Neutron's own default, too).
 */
export const DEFAULT_EXTERNAL_NETWORK_SHARED: boolean = false;

/** Props of {@link ExternalNetwork}. */
export interface ExternalNetworkProps {
  /**
   * Neutron name of the network (Kolla-Ansible's `init-runonce` calls it `public1`).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * CIDR of the external subnet, the operator's LAN or a routed public block
   * (`EXT_NET_CIDR` in `init-runonce`). Site-specific, so there is no default.
   */
  readonly cidr: string;
  /**
   * Ranges Neutron allocates floating IPs and router gateways from
   * (`EXT_NET_RANGE`). They must lie inside `cidr`, not overlap each other and
   * leave out addresses other hosts on the LAN use.
   */
  readonly floatingIpRanges: FloatingIpRange[];
  /**
   * The upstream gateway of the external subnet (`EXT_NET_GATEWAY`).
   * @default - Neutron's choice: the first host of an IPv4 `cidr`, the network address
   * of an IPv6 one; it must then lie outside `floatingIpRanges` too
   */
  readonly gatewayIp?: string;
  /**
   * DNS resolvers announced on the subnet.
   * @default - none
   */
  readonly dnsNameservers?: string[];
  /**
   * Name of the physical network in Neutron's ML2 config
   * (`[ml2_type_flat] flat_networks`, Kolla-Ansible's `physnet1`). Flat and VLAN
   * networks only: the overlay types have none.
   * @default DEFAULT_PHYSICAL_NETWORK for flat and VLAN networks; none for the overlay types
   */
  readonly physicalNetwork?: string;
  /**
   * Provider network type.
   * @default DEFAULT_PROVIDER_NETWORK_TYPE
   */
  readonly networkType?: ProviderNetworkType;
  /**
   * VLAN id, required for `ProviderNetworkType.VLAN`; the VNI or GRE key of an overlay type.
   * @default - none: flat networks have none, Neutron picks one from its ranges for the overlay types
   */
  readonly segmentationId?: number;
  /**
   * Whether every project may attach ports (not only floating IPs) to the network.
   * @default DEFAULT_EXTERNAL_NETWORK_SHARED
   */
  readonly shared?: boolean;
  /**
   * Network MTU in bytes; at least 1280 for an IPv6 `cidr`.
   * @default - Neutron's default for the physical network
   */
  readonly mtuBytes?: number;
}

/**
 * The external (`router:external`) provider network with its subnet and
 * floating-IP ranges: what `init-runonce` creates, checked before it is applied.
 */
export class ExternalNetwork extends Construct implements IExternalNetwork, ISubnetNetwork {
  /**
   * References an external network that already exists, e.g. one `init-runonce`
   * created. The caller vouches that it is external.
   */
  public static fromNetworkId(scope: Construct, id: string, networkId: string): IExternalNetwork {
    class Import extends Construct implements IExternalNetwork {
      public readonly networkId = networkId;
      public readonly external = true;
      public get externalNetworkId(): string {
        return this.networkId;
      }
    }
    const imported = new Import(scope, id);
    // magnum/api/controllers/v1/cluster_template.py: external_network_id is StringType(min_length=1, max_length=255).
    checkReference(imported, 'networkId', networkId, 'give the UUID of the network (openstack network show public1 -f value -c id)');
    return imported;
  }

  /** The Neutron network. */
  public readonly resource: NetworkingNetworkV2;
  /** The subnet carrying the floating-IP ranges. */
  public readonly subnet: NetworkingSubnetV2;
  /** CIDR of the subnet, as given. */
  public readonly cidr: string;
  /** The ranges floating IPs and router gateways take their addresses from, as given. */
  public readonly floatingIpRanges: FloatingIpRange[];
  public readonly networkId: string;
  public readonly subnetId: string;
  public readonly external = true;

  constructor(scope: Construct, id: string, props: ExternalNetworkProps) {
    super(scope, id);
    const name = props.name ?? id;
    checkName(this, 'name', name);
    const cidr = validate(this, props);
    this.cidr = props.cidr;
    this.floatingIpRanges = props.floatingIpRanges;

    const networkType = props.networkType ?? DEFAULT_PROVIDER_NETWORK_TYPE;
    this.resource = new NetworkingNetworkV2(this, 'Resource', {
      name,
      external: true,
      shared: props.shared ?? DEFAULT_EXTERNAL_NETWORK_SHARED,
      mtu: props.mtuBytes,
      segments: [
        {
          networkType,
          physicalNetwork: props.physicalNetwork ?? (networkType in TUNNEL_MAX_ID ? undefined : DEFAULT_PHYSICAL_NETWORK),
          segmentationId: props.segmentationId,
        },
      ],
    });
    this.subnet = new NetworkingSubnetV2(this, 'Subnet', {
      name: `${name}-subnet`,
      networkId: this.resource.id,
      cidr: props.cidr,
      // The provider sends ip_version 4 unless told, and Neutron refuses an IPv6 cidr with it.
      ipVersion: cidr?.version === 6 ? 6 : undefined,
      gatewayIp: props.gatewayIp,
      // init-runonce creates the external subnet with --no-dhcp: nothing boots on it.
      enableDhcp: false,
      dnsNameservers: props.dnsNameservers,
      allocationPool: props.floatingIpRanges.map((r) => ({ start: r.start, end: r.end })),
    });
    [this.resource, this.subnet].forEach((resource) => describeOwner(resource));
    this.networkId = this.resource.id;
    this.subnetId = this.subnet.id;
  }

  public get externalNetworkId(): string {
    return this.networkId;
  }

  /**
   * Floating IPs and router gateways take their addresses from the subnet: what uses
   * them waits for it, and destroy deletes it only after them (else Neutron answers
   * 409 "IP allocation on subnet" until the provider's timeout).
   */
  public get readyWhen(): NetworkingSubnetV2 {
    return this.subnet;
  }
}

/**
 * The overlay types and the largest id their header carries (neutron_lib/constants.py
 * MAX_VXLAN_VNI, MAX_GENEVE_VNI, MAX_GRE_ID).
 */
const TUNNEL_MAX_ID: Partial<Record<ProviderNetworkType, number>> = {
  [ProviderNetworkType.VXLAN]: 2 ** 24 - 1,
  [ProviderNetworkType.GENEVE]: 2 ** 24 - 1,
  [ProviderNetworkType.GRE]: 2 ** 32 - 1,
};

/** Refuses what Neutron would refuse for the network and its subnet; returns the parsed CIDR when known. */
function validate(scope: Construct, props: ExternalNetworkProps): Cidr | undefined {
  if (!isUnresolved(props.floatingIpRanges) && props.floatingIpRanges.length === 0) {
    throw new ValidationError(
      scope,
      'floatingIpRanges',
      props.floatingIpRanges,
      'is empty',
      'give at least one { start, end } range inside the cidr, or no floating IP can ever be allocated',
    );
  }
  const cidr = checkSubnet(scope, {
    cidr: props.cidr,
    gatewayIp: props.gatewayIp,
    pools: props.floatingIpRanges,
    poolsField: 'floatingIpRanges',
    dnsNameservers: props.dnsNameservers,
    dhcpEnabled: false,
  });
  checkSegment(scope, props);
  const mtu = props.mtuBytes;
  if (mtu !== undefined && !isUnresolved(mtu) && (!Number.isInteger(mtu) || mtu < 68 || mtu > 9216)) {
    throw new ValidationError(scope, 'mtuBytes', mtu, 'is out of range', 'give an MTU from 68 to 9216 bytes, or leave it unset');
  }
  // neutron/db/db_base_plugin_v2.py _validate_subnet_network_mtu (2023.2 on); Zed takes it, and Linux then turns IPv6 off on the link.
  if (mtu !== undefined && !isUnresolved(mtu) && cidr?.version === 6 && mtu < 1280) {
    throw new ValidationError(
      scope,
      'mtuBytes',
      mtu,
      'is below 1280, the IPv6 minimum, on a network with an IPv6 subnet',
      'give at least 1280 bytes, or leave it unset',
    );
  }
  return cidr;
}

/** neutron/plugins/ml2/drivers/type_{flat,vlan,tunnel}.py validate_provider_segment, at synth time. */
function checkSegment(scope: Construct, props: ExternalNetworkProps): void {
  const networkType = props.networkType ?? DEFAULT_PROVIDER_NETWORK_TYPE;
  const id = props.segmentationId;
  const physnet = props.physicalNetwork;
  const tunnelMax = TUNNEL_MAX_ID[networkType];
  if (tunnelMax !== undefined) {
    if (physnet !== undefined && physnet !== '' && !isUnresolved(physnet)) {
      throw new ValidationError(
        scope,
        'physicalNetwork',
        physnet,
        `is set on a ${networkType} network; Neutron refuses a physical network for overlay types`,
        `remove it, or use ProviderNetworkType.FLAT or VLAN to put the network on ${JSON.stringify(physnet)}`,
      );
    }
    // Neutron stores any id for an overlay, but the header has no room for more.
    if (id !== undefined && !isUnresolved(id) && (!Number.isInteger(id) || id < 1 || id > tunnelMax)) {
      warn(
        scope,
        'segmentationId',
        id,
        `is outside 1..${tunnelMax}, the ids a ${networkType} header carries; Neutron accepts it but no traffic can use it`,
        `give an id from 1 to ${tunnelMax}, or leave it unset for Neutron to pick one`,
      );
    }
    return;
  }
  if (physnet === '') {
    throw new ValidationError(
      scope,
      'physicalNetwork',
      physnet,
      `is empty; Neutron needs the physical network of a ${networkType} network`,
      'name the physical network of the ML2 config, e.g. "physnet1", or leave it unset for that default',
    );
  }
  if (networkType === ProviderNetworkType.VLAN && !isUnresolved(id) && (id === undefined || !Number.isInteger(id) || id < 1 || id > 4094)) {
    throw new ValidationError(
      scope,
      'segmentationId',
      id,
      'is not a VLAN id',
      'give an integer from 1 to 4094 for a VLAN provider network: the tag the external LAN uses (left out, Neutron would pick a tag from its own ranges for the physical network)',
    );
  }
  if (networkType === ProviderNetworkType.FLAT && id !== undefined) {
    throw new ValidationError(scope, 'segmentationId', id, 'is set on a flat network', 'remove it, or set networkType: ProviderNetworkType.VLAN');
  }
}
