import { Construct } from 'constructs';
import { NetworkingNetworkV2 } from '../../.gen/providers/openstack/networking-network-v2';
import { NetworkingRouterInterfaceV2 } from '../../.gen/providers/openstack/networking-router-interface-v2';
import { NetworkingRouterV2 } from '../../.gen/providers/openstack/networking-router-v2';
import { NetworkingSubnetV2 } from '../../.gen/providers/openstack/networking-subnet-v2';
import { ValidationError } from '../core/validation-error';
import { checkName } from '../private/names';
import { checkSubnet } from '../private/subnet-checks';
import { INetwork, ISubnetNetwork } from './network';

/** Settings of a {@link ClusterNetwork} that do not reference other constructs. */
export interface ClusterNetworkOptions {
  /**
   * Name of the network; the subnet and router get it with `-subnet` and `-router`.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * CIDR of the private subnet.
   * @default '10.0.0.0/24' - Magnum's `fixed_network_cidr` default
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
  readonly externalNetwork: INetwork;
}

/**
 * The private network a cluster lives on — network, subnet, router with the
 * external gateway, router interface — owned by Terraform rather than by
 * Magnum's Heat stack, for templates that use `fixed_network`/`fixed_subnet`.
 */
export class ClusterNetwork extends Construct implements ISubnetNetwork {
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
    if (!props.externalNetwork.external) {
      throw new ValidationError(this, 'externalNetwork', props.externalNetwork.networkId, 'is not an external network, so the router cannot use it as its gateway', 'pass an ExternalNetwork (router:external)');
    }
    const cidr = props.cidr ?? '10.0.0.0/24';
    checkSubnet(this, { cidr, dnsNameservers: props.dnsNameservers });

    this.resource = new NetworkingNetworkV2(this, 'Resource', { name });
    this.subnet = new NetworkingSubnetV2(this, 'Subnet', {
      name: `${name}-subnet`,
      networkId: this.resource.id,
      cidr,
      dnsNameservers: props.dnsNameservers,
    });
    this.router = new NetworkingRouterV2(this, 'Router', {
      name: `${name}-router`,
      externalNetworkId: props.externalNetwork.networkId,
      dependsOn: props.externalNetwork.readyWhen ? [props.externalNetwork.readyWhen] : undefined,
    });
    this.routerInterface = new NetworkingRouterInterfaceV2(this, 'RouterInterface', {
      routerId: this.router.id,
      subnetId: this.subnet.id,
    });
    this.networkId = this.resource.id;
    this.subnetId = this.subnet.id;
  }

  /** Servers need the router interface to reach the external network and to get floating IPs. */
  public get readyWhen(): NetworkingRouterInterfaceV2 {
    return this.routerInterface;
  }
}
