import { Construct } from 'constructs';
import { Fn, TerraformOutput } from 'cdktf';
import { ImageVisibility, MagnumPlatform, OsDistro } from '../lib';
import { ExampleSite, imageSourceOf, teardownOf } from './example-site';
import { ExampleStack } from './example-stack';

/** Props of {@link AllInOneStack}. */
export interface AllInOneStackProps {
  /** The site-specific values. */
  readonly site: ExampleSite;
}

/**
 * Kolla-Ansible's all-in-one as the Magnum guide builds it by hand: external
 * network `public1` on a flat physical network, volume type `ssdvolume`,
 * Fedora Atomic image `atomic27`, a template with the master load balancer and
 * the cloud provider, a cluster of one master and two workers.
 */
export class AllInOneStack extends ExampleStack {
  /** The platform the stack builds. */
  public readonly platform: MagnumPlatform;

  constructor(scope: Construct, id: string, props: AllInOneStackProps) {
    super(scope, id);
    const site = props.site;

    this.platform = new MagnumPlatform(this, 'Platform', {
      externalNetwork: {
        name: 'public1',
        cidr: site.externalCidr,
        gatewayIp: site.externalGateway,
        floatingIpRanges: site.floatingIpRanges,
        physicalNetwork: site.physicalNetwork,
      },
      image: {
        // The Magnum guide's Fedora Atomic image, unless the site's Magnum is too new for Atomic.
        name: site.osDistro === OsDistro.FEDORA_COREOS ? 'fedora-coreos' : 'atomic27',
        source: imageSourceOf(site),
        osDistro: (site.osDistro ?? OsDistro.FEDORA_ATOMIC) as OsDistro,
        visibility: ImageVisibility.PUBLIC,
      },
      dockerVolumeType: { name: 'ssdvolume' },
      template: {
        name: site.osDistro === OsDistro.FEDORA_COREOS ? 'k8s-aio' : 'k8s-atomic',
        flavor: site.flavor,
        masterFlavor: site.masterFlavor,
        dockerVolumeSizeGiB: 5,
        public: true,
      },
      cluster: { name: 'k8s-aio', masterCount: 1, nodeCount: 2 },
      teardown: teardownOf(site),
    });

    this.addPlatformOutputs(this.platform);
    // Read from the asset file: the string itself has newlines, which `cdktf synth --hcl` (0.21)
    // writes into a quoted HCL string that Terraform cannot parse.
    new TerraformOutput(this, 'magnum_conf', { value: Fn.file(this.platform.serviceRequirements.magnumConfAsset.path) });
  }
}
