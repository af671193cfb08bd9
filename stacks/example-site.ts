import { FloatingIpRange, ImageSource, ClusterTeardownOptions } from '../lib';

/**
 * The site-specific values of an example stack: what differs between the
 * operator's LAN and the local test cloud. Every field has an embedded default
 * (stacks/config.ts) and can be overridden from a config file or cdktf context.
 */
export interface ExampleSite {
  /** CIDR of the network that carries floating IPs. */
  readonly externalCidr: string;
  /** Its upstream gateway. */
  readonly externalGateway: string;
  /** Floating-IP ranges inside `externalCidr`. */
  readonly floatingIpRanges: FloatingIpRange[];
  /** ML2 physical network name of the external network. */
  readonly physicalNetwork: string;
  /** The image's os_distro where a stack lets the site choose (`fedora-atomic` or `fedora-coreos`). */
  readonly osDistro?: string;
  /** Image URL (ignored when `imageFile` is set). */
  readonly imageUrl: string;
  /** Local image file to upload instead of downloading `imageUrl`. */
  readonly imageFile?: string;
  /** Nova flavor of the workers. */
  readonly flavor: string;
  /** Nova flavor of the masters. */
  readonly masterFlavor: string;
  /** clouds.yaml entry the destroy-time teardown uses. */
  readonly cloudName?: string;
  /** Command that runs the teardown CLI. */
  readonly teardownCommand?: string;
  /**
   * Whether the destroy-time teardown also deletes the cluster's Cinder volumes (its persistent
   * volumes' data). @default false - they outlive the cluster
   */
  readonly teardownIncludeVolumes?: boolean;
}

/** The image source a site asks for: the local file when given, else the URL. */
export function imageSourceOf(site: ExampleSite): ImageSource {
  return site.imageFile ? ImageSource.fromFile(site.imageFile) : ImageSource.fromUrl(site.imageUrl, { decompress: site.imageUrl.endsWith('.xz') });
}

/** The teardown options a site asks for. */
export function teardownOf(site: ExampleSite): ClusterTeardownOptions {
  return { cloudName: site.cloudName, command: site.teardownCommand, includeVolumes: site.teardownIncludeVolumes };
}
