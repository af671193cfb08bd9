import { Construct } from 'constructs';
import { NetworkingNetworkV2 } from '../../.gen/providers/openstack/networking-network-v2';
import { NetworkingSubnetV2 } from '../../.gen/providers/openstack/networking-subnet-v2';
import { ValidationError } from '../core/validation-error';
import { checkName } from '../private/names';
import { checkSubnet } from '../private/subnet-checks';
import { isUnresolved } from '../private/tokens';
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
export interface IExternalNetwork extends INetwork {}

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
   * @default - the first host address of `cidr`, as Neutron chooses
   */
  readonly gatewayIp?: string;
  /**
   * DNS resolvers announced on the subnet.
   * @default - none
   */
  readonly dnsNameservers?: string[];
  /**
   * Name of the physical network in Neutron's ML2 config
   * (`[ml2_type_flat] flat_networks`, Kolla-Ansible's `physnet1`).
   * @default 'physnet1' - Kolla-Ansible's default
   */
  readonly physicalNetwork?: string;
  /**
   * Provider network type.
   * @default ProviderNetworkType.FLAT - as Kolla-Ansible's all-in-one
   */
  readonly networkType?: ProviderNetworkType;
  /**
   * VLAN id, required for `ProviderNetworkType.VLAN`.
   * @default - none (flat networks have no segmentation id)
   */
  readonly segmentationId?: number;
  /**
   * Whether every project may attach ports (not only floating IPs) to the network.
   * @default false
   */
  readonly shared?: boolean;
  /**
   * Network MTU in bytes.
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
    }
    return new Import(scope, id);
  }

  /** The Neutron network. */
  public readonly resource: NetworkingNetworkV2;
  /** The subnet carrying the floating-IP ranges. */
  public readonly subnet: NetworkingSubnetV2;
  public readonly networkId: string;
  public readonly subnetId: string;
  public readonly external = true;

  constructor(scope: Construct, id: string, props: ExternalNetworkProps) {
    super(scope, id);
    const name = props.name ?? id;
    checkName(this, 'name', name);
    validate(this, props);

    const networkType = props.networkType ?? ProviderNetworkType.FLAT;
    this.resource = new NetworkingNetworkV2(this, 'Resource', {
      name,
      external: true,
      shared: props.shared ?? false,
      mtu: props.mtuBytes,
      segments: [{
        networkType,
        physicalNetwork: props.physicalNetwork ?? 'physnet1',
        segmentationId: props.segmentationId,
      }],
    });
    this.subnet = new NetworkingSubnetV2(this, 'Subnet', {
      name: `${name}-subnet`,
      networkId: this.resource.id,
      cidr: props.cidr,
      gatewayIp: props.gatewayIp,
      // init-runonce creates the external subnet with --no-dhcp: nothing boots on it.
      enableDhcp: false,
      dnsNameservers: props.dnsNameservers,
      allocationPool: props.floatingIpRanges.map((r) => ({ start: r.start, end: r.end })),
    });
    this.networkId = this.resource.id;
    this.subnetId = this.subnet.id;
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

function validate(scope: Construct, props: ExternalNetworkProps): void {
  if (!isUnresolved(props.floatingIpRanges) && props.floatingIpRanges.length === 0) {
    throw new ValidationError(scope, 'floatingIpRanges', props.floatingIpRanges, 'is empty', 'give at least one { start, end } range inside the cidr, or no floating IP can ever be allocated');
  }
  checkSubnet(scope, {
    cidr: props.cidr,
    gatewayIp: props.gatewayIp,
    pools: props.floatingIpRanges,
    poolsField: 'floatingIpRanges',
    dnsNameservers: props.dnsNameservers,
  });
  const networkType = props.networkType ?? ProviderNetworkType.FLAT;
  const vlan = props.segmentationId;
  if (networkType === ProviderNetworkType.VLAN && !isUnresolved(vlan) && (vlan === undefined || !Number.isInteger(vlan) || vlan < 1 || vlan > 4094)) {
    throw new ValidationError(scope, 'segmentationId', vlan, 'is not a VLAN id', 'give an integer from 1 to 4094 for a VLAN provider network');
  }
  if (networkType === ProviderNetworkType.FLAT && vlan !== undefined) {
    throw new ValidationError(scope, 'segmentationId', vlan, 'is set on a flat network', 'remove it, or set networkType: ProviderNetworkType.VLAN');
  }
  const mtu = props.mtuBytes;
  if (mtu !== undefined && !isUnresolved(mtu) && (!Number.isInteger(mtu) || mtu < 68 || mtu > 9216)) {
    throw new ValidationError(scope, 'mtuBytes', mtu, 'is out of range', 'give an MTU from 68 to 9216 bytes, or leave it unset');
  }
}
