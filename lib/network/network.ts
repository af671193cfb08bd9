import { ITerraformDependable } from 'cdktf';

/**
 * A Neutron network that other constructs attach to: an owned one
 * (`ExternalNetwork`, `ClusterNetwork`) or one imported by id.
 */
export interface INetwork {
  /** The Neutron network id (a token until apply for owned networks). */
  readonly networkId: string;
  /**
   * Whether the network is external (`router:external`): only external networks
   * can serve floating IPs and router gateways.
   */
  readonly external: boolean;
  /**
   * What attachments to the network need to exist first and to outlive them: the
   * router interface of an owned cluster network, the subnet floating IPs and router
   * gateways take their addresses from on an owned external network. What attaches
   * depends on it, so destroy removes the attachments before it.
   * @default - nothing beyond the network itself (imported networks)
   */
  readonly readyWhen?: ITerraformDependable;
}

/** A network with one subnet that the library created or imported. */
export interface ISubnetNetwork extends INetwork {
  /** The Neutron subnet id. */
  readonly subnetId: string;
}
