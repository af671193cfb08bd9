import { Construct } from 'constructs';
import { LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { OpenstackProvider } from '../.gen/providers/openstack/provider';
import { ExternalNetwork } from '../lib';

/** Overrides of the all-in-one stack's site-specific values. */
export interface AllInOneStackProps {
  /** CIDR of the operator's LAN that carries floating IPs. */
  readonly externalCidr: string;
  /** Floating-IP range inside `externalCidr`, kept clear of the LAN's DHCP. */
  readonly floatingIpStart: string;
  /** Last floating IP of the range. */
  readonly floatingIpEnd: string;
  /** The LAN's gateway. */
  readonly externalGateway: string;
}

/**
 * Kolla-Ansible's all-in-one, as `init-runonce` and the Magnum guide build it
 * by hand: external network `public1` on a flat physical network.
 */
export class AllInOneStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: AllInOneStackProps) {
    super(scope, id);
    // Relative, so state paths do not leak the author's machine into the output.
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    // Credentials come from clouds.yaml / OS_CLOUD / OS_* at plan time, never from here.
    new OpenstackProvider(this, 'openstack', {});

    const external = new ExternalNetwork(this, 'public1', {
      cidr: props.externalCidr,
      gatewayIp: props.externalGateway,
      floatingIpRanges: [{ start: props.floatingIpStart, end: props.floatingIpEnd }],
    });

    new TerraformOutput(this, 'external_network_id', { value: external.networkId });
  }
}
