import { Construct } from 'constructs';
import { ImageVisibility, MagnumPlatform, NetworkDriver, OsDistro } from '../lib';
import { ExampleSite, imageSourceOf, teardownOf } from './example-site';
import { ExampleStack } from './example-stack';

/** Props of {@link FedoraCoreosStack}. */
export interface FedoraCoreosStackProps {
  /** The site-specific values. */
  readonly site: ExampleSite;
}

/**
 * A current Heat-driver platform: Fedora CoreOS, three masters behind the
 * Octavia load balancer, Calico, a Terraform-owned cluster network, and an
 * extra node group.
 */
export class FedoraCoreosStack extends ExampleStack {
  /** The platform the stack builds. */
  public readonly platform: MagnumPlatform;

  constructor(scope: Construct, id: string, props: FedoraCoreosStackProps) {
    super(scope, id);
    const site = props.site;

    this.platform = new MagnumPlatform(this, 'Platform', {
      externalNetwork: {
        name: 'public2',
        cidr: site.externalCidr,
        gatewayIp: site.externalGateway,
        floatingIpRanges: site.floatingIpRanges,
        physicalNetwork: site.physicalNetwork,
      },
      image: {
        name: 'fedora-coreos-35',
        source: imageSourceOf(site),
        osDistro: OsDistro.FEDORA_COREOS,
        visibility: ImageVisibility.PUBLIC,
      },
      dockerVolumeType: { name: 'docker-ssd' },
      clusterNetwork: { name: 'k8s-fcos-net', cidr: '10.0.10.0/24' },
      template: {
        name: 'k8s-fcos',
        flavor: site.flavor,
        masterFlavor: site.masterFlavor,
        dockerVolumeSizeGiB: 10,
        networkDriver: NetworkDriver.CALICO,
        kubeTag: 'v1.23.3-rancher1',
        masterLbFloatingIpEnabled: true,
      },
      cluster: { name: 'k8s-fcos', masterCount: 3, nodeCount: 2 },
      teardown: teardownOf(site),
    });
    this.platform.cluster.addNodeGroup('Infra', { name: 'infra', nodeCount: 1, role: 'infra' });

    this.addPlatformOutputs(this.platform);
  }
}
