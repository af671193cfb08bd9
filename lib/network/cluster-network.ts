import { Construct } from 'constructs';
import { NetworkingNetworkV2 } from '../../.gen/providers/openstack/networking-network-v2';
import { NetworkingRouterInterfaceV2 } from '../../.gen/providers/openstack/networking-router-interface-v2';
import { NetworkingRouterV2 } from '../../.gen/providers/openstack/networking-router-v2';
import { NetworkingSubnetV2 } from '../../.gen/providers/openstack/networking-subnet-v2';
import { ValidationError } from '../core/validation-error';
import { Cidr, cidrsOverlap, parseCidr } from '../private/ip';
import { checkName } from '../private/names';
import { isUuidLike } from '../private/openstack-strings';
import { describeOwner } from '../private/owner-marks';
import { checkExternalNetwork, checkReference } from '../private/references';
import { checkSubnet } from '../private/subnet-checks';
import { isUnresolved } from '../private/tokens';
import { ExternalNetwork, IExternalNetwork } from './external-network';
import { ISubnetNetwork } from './network';

/**
 * Default of {@link ClusterNetworkOptions.cidr}: Magnum's `fixed_network_cidr` default, the
 * private network its Heat templates create for a cluster when none is given.
 */
export const DEFAULT_CLUSTER_NETWORK_CIDR: string = '10.0.0.0/24';

/** Attributes of an existing private network, for {@link ClusterNetwork.fromClusterNetworkAttributes}. */
export interface ClusterNetworkAttributes {
  /** The Neutron network's id (Magnum also takes a unique name): 1 to 255 characters. */
  readonly networkId: string;
  /** The id of its subnet the nodes get their addresses from (Magnum also takes a unique name): 1 to 255 characters. */
  readonly subnetId: string;
}

/** Settings of a {@link ClusterNetwork} that do not reference other constructs. */
export interface ClusterNetworkOptions {
  /**
   * Name of the network; the subnet and router get it with `-subnet` and `-router`.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * CIDR of the private subnet; it must not overlap the external network's, which
   * the router also connects.
   * @default DEFAULT_CLUSTER_NETWORK_CIDR
   */
  readonly cidr?: string;
  /**
   * Resolvers handed to the nodes by DHCP.
   * @default - none
   */
  readonly dnsNameservers?: string[];
}

/** Props of {@link ClusterNetwork}. */
export interface ClusterNetworkProps extends ClusterNetworkOptions {
  /** The external network the router's gateway sits on. */
  readonly externalNetwork: IExternalNetwork;
}

/**
 * The private network a cluster lives on — network, subnet, router with the
 * external gateway, router interface — owned by Terraform rather than by
 * Magnum's Heat stack, for templates that use `fixed_network`/`fixed_subnet`.
 */
export class ClusterNetwork extends Construct implements ISubnetNetwork {
  /**
   * References a private network and subnet that already exist, for templates and clusters
   * (`fixed_network`/`fixed_subnet`). Imported networks are private: nothing waits on their router.
   */
  public static fromClusterNetworkAttributes(scope: Construct, id: string, attrs: ClusterNetworkAttributes): ISubnetNetwork {
    class Import extends Construct implements ISubnetNetwork {
      public readonly networkId = attrs.networkId;
      public readonly subnetId = attrs.subnetId;
      public readonly external = false;
    }
    const imported = new Import(scope, id);
    checkReference(imported, 'networkId', attrs.networkId, 'give the id of the private network (openstack network show NAME -f value -c id)');
    checkReference(imported, 'subnetId', attrs.subnetId, 'give the id of its subnet (openstack subnet show NAME -f value -c id)');
    return imported;
  }

  /** The private network. */
  public readonly resource: NetworkingNetworkV2;
  /** Its subnet. */
  public readonly subnet: NetworkingSubnetV2;
  /** The router to the external network. */
  public readonly router: NetworkingRouterV2;
  /**
   * The router's port on the subnet. Neutron refuses to delete it while floating
   * IPs use it, which is why the cluster teardown must finish first.
   */
  public readonly routerInterface: NetworkingRouterInterfaceV2;
  public readonly networkId: string;
  public readonly subnetId: string;
  public readonly external = false;

  constructor(scope: Construct, id: string, props: ClusterNetworkProps) {
    super(scope, id);
    const name = props.name ?? id;
    checkName(this, 'name', name);
    checkExternalNetwork(
      this,
      'externalNetwork',
      props.externalNetwork,
      ', so the router cannot use it as its gateway',
      'pass an ExternalNetwork (router:external)',
    );
    const externalId = props.externalNetwork.externalNetworkId;
    // neutron_lib/api/definitions/l3.py: external_gateway_info.network_id is validated as type:uuid.
    if (!isUnresolved(externalId) && !isUuidLike(externalId)) {
      throw new ValidationError(
        this,
        'externalNetwork',
        externalId,
        'is not a network UUID; Neutron takes only an id for a router gateway (Magnum alone also takes a name)',
        'import the network by its UUID (openstack network show <name> -f value -c id)',
      );
    }
    const cidr = props.cidr ?? DEFAULT_CLUSTER_NETWORK_CIDR;
    // The provider's enable_dhcp defaults to true: the nodes get their addresses by DHCP.
    const parsed = checkSubnet(this, { cidr, dnsNameservers: props.dnsNameservers, dhcpEnabled: true });
    checkOverlap(this, cidr, parsed, props.externalNetwork);

    this.resource = new NetworkingNetworkV2(this, 'Resource', { name });
    this.subnet = new NetworkingSubnetV2(this, 'Subnet', {
      name: `${name}-subnet`,
      networkId: this.resource.id,
      cidr,
      // The provider sends ip_version 4 unless told, and Neutron refuses an IPv6 cidr with it.
      ipVersion: parsed?.version === 6 ? 6 : undefined,
      dnsNameservers: props.dnsNameservers,
    });
    this.router = new NetworkingRouterV2(this, 'Router', {
      name: `${name}-router`,
      externalNetworkId: externalId,
      dependsOn: props.externalNetwork.readyWhen ? [props.externalNetwork.readyWhen] : undefined,
    });
    this.routerInterface = new NetworkingRouterInterfaceV2(this, 'RouterInterface', {
      routerId: this.router.id,
      subnetId: this.subnet.id,
    });
    [this.resource, this.subnet, this.router].forEach((resource) => describeOwner(resource));
    this.networkId = this.resource.id;
    this.subnetId = this.subnet.id;
  }

  /** Servers need the router interface to reach the external network and to get floating IPs. */
  public get readyWhen(): NetworkingRouterInterfaceV2 {
    return this.routerInterface;
  }
}

/**
 * neutron/db/l3_db.py _check_for_dup_router_subnets: the router interface is refused
 * when its subnet overlaps a subnet of the network the router's gateway is on.
 */
function checkOverlap(scope: ClusterNetwork, text: string, cidr: Cidr | undefined, external: IExternalNetwork): void {
  if (!cidr || !(external instanceof ExternalNetwork) || isUnresolved(external.cidr)) {
    return;
  }
  const other = parseCidr(external.cidr);
  if (typeof other !== 'string' && cidrsOverlap(cidr, other)) {
    throw new ValidationError(
      scope,
      'cidr',
      text,
      `overlaps ${external.cidr}, the cidr of ${external.node.path}, which the router's gateway is on; Neutron refuses the router interface ("overlaps with cidr")`,
      `pick a block outside ${external.cidr}`,
    );
  }
}
