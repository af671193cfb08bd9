import { Construct } from 'constructs';
import { ImagesImageV2 } from '../../.gen/providers/openstack/images-image-v2';
import { ValidationError } from '../core/validation-error';
import { digestOf } from '../private/digest';
import { checkGlanceProperties, checkGlanceText, checkImageFile, checkImageUrl, DISK_FORMATS } from '../private/glance';
import { members } from '../private/enums';
import { checkName } from '../private/names';
import { tagOwner } from '../private/owner-marks';
import { checkReference } from '../private/references';
import { ReplaceTrigger } from '../private/replace-trigger';
import { isUnresolved } from '../private/tokens';
import { ImageSource, ImageTransfer } from './image-source';
import { defaultDriverFor, distrosAcceptedBy, driverNeedsKubeVersion, isHeatDriver, MagnumDriver, OsDistro } from './magnum-driver';

/** Glance disk formats Magnum images come in. */
export enum DiskFormat {
  /** QEMU copy-on-write, how Fedora publishes its cloud images. */
  QCOW2 = 'qcow2',
  /** Raw disk, e.g. for Ceph-backed Glance. */
  RAW = 'raw',
}

/** Who may use an image. */
export enum ImageVisibility {
  /** Only the owning project. */
  PRIVATE = 'private',
  /** Every project; publicizing needs the admin role. */
  PUBLIC = 'public',
  /** Projects the owner shares it with. */
  SHARED = 'shared',
  /** Every project, but unlisted. */
  COMMUNITY = 'community',
}

/** Default of {@link MagnumImageProps.diskFormat}: the format Fedora publishes its cloud images in. */
export const DEFAULT_DISK_FORMAT: DiskFormat = DiskFormat.QCOW2;
/**
 * Default of {@link MagnumImageProps.visibility}: the owning project only, stated because Glance's own
 * default has changed across releases (`shared` since community images came in).
 */
export const DEFAULT_IMAGE_VISIBILITY: ImageVisibility = ImageVisibility.PRIVATE;

/** An image a cluster template can boot, owned or imported. */
export interface IMagnumImage {
  /** Glance image id. */
  readonly imageId: string;
  /** The `os_distro` property, when known: what Magnum picks its driver by. */
  readonly osDistro?: OsDistro;
  /** The driver the image is meant for, when known. */
  readonly driver?: MagnumDriver;
  /**
   * A string, known at synth, that changes exactly when a new Glance image takes this one's
   * place: what a cluster compares to tell that its template now boots another image,
   * before Terraform knows the new image's id.
   * @default - the image id
   */
  readonly identity?: string;
}

/** Attributes of an existing image, for {@link MagnumImage.fromImageAttributes}. */
export interface MagnumImageAttributes {
  /** Glance image id (Magnum also takes a unique image name): 1 to 255 characters. */
  readonly imageId: string;
  /**
   * Its `os_distro` property, so templates can be checked against it.
   * @default - unknown: templates using it are not checked for driver support
   */
  readonly osDistro?: OsDistro;
  /**
   * The driver it is meant for.
   * @default - the only driver that accepts `osDistro`, if there is one
   */
  readonly driver?: MagnumDriver;
}

/** Props of {@link MagnumImage}. */
export interface MagnumImageProps {
  /**
   * Glance name (the Magnum guide's Fedora Atomic image is `atomic27`): at most 255 characters, none outside the BMP.
   * @default - the construct id
   */
  readonly name?: string;
  /** Where the bits come from; site-specific, so there is no default. */
  readonly source: ImageSource;
  /**
   * The `os_distro` property. Without it Magnum refuses every template using the
   * image with `Cluster type (vm, None, kubernetes) not supported`.
   */
  readonly osDistro: OsDistro;
  /**
   * The driver the image is for; checked against `osDistro`.
   * @default - the only driver that accepts `osDistro` (required for Ubuntu and Flatcar, which two drivers accept)
   */
  readonly driver?: MagnumDriver;
  /**
   * Kubernetes version baked into the image (`kube_version` property), e.g. `v1.30.4`.
   * @default - none; required by MagnumDriver.CLUSTER_API_HELM
   */
  readonly kubeVersion?: string;
  /**
   * Disk format.
   * @default DEFAULT_DISK_FORMAT
   */
  readonly diskFormat?: DiskFormat;
  /**
   * Visibility.
   * @default DEFAULT_IMAGE_VISIBILITY
   */
  readonly visibility?: ImageVisibility;
  /**
   * Minimum root disk for servers booting it, in GiB.
   * @default - no minimum
   */
  readonly minDiskGiB?: number;
  /**
   * Other Glance properties (e.g. `hw_rng_model`). `os_distro` and `kube_version` have their own props;
   * Glance's image attributes (`min_disk`, `status`…) and its `os_glance*` names are refused.
   * @default - none
   */
  readonly properties?: { [key: string]: string };
}

/**
 * A Glance image for Magnum with its `os_distro` property, checked against the
 * driver that will boot it. A change of `os_distro` replaces the image: provider
 * 3.4.0 silently ignores updates of `os_*` properties.
 */
export class MagnumImage extends Construct implements IMagnumImage {
  /** References an image that already exists in Glance. */
  public static fromImageAttributes(scope: Construct, id: string, attrs: MagnumImageAttributes): IMagnumImage {
    class Import extends Construct implements IMagnumImage {
      public readonly imageId = attrs.imageId;
      public readonly osDistro = attrs.osDistro;
      public readonly driver = attrs.driver ?? (attrs.osDistro ? defaultDriverFor(attrs.osDistro) : undefined);
    }
    const image = new Import(scope, id);
    checkImageReference(image, attrs.imageId);
    return image;
  }

  /** References an image that already exists, by id alone (its `os_distro` unknown). */
  public static fromImageId(scope: Construct, id: string, imageId: string): IMagnumImage {
    return MagnumImage.fromImageAttributes(scope, id, { imageId });
  }

  /** The Glance image. */
  public readonly resource: ImagesImageV2;
  public readonly imageId: string;
  public readonly osDistro: OsDistro;
  public readonly driver: MagnumDriver;
  public readonly identity: string;

  constructor(scope: Construct, id: string, props: MagnumImageProps) {
    super(scope, id);
    const name = props.name ?? id;
    checkName(this, 'name', name);
    this.osDistro = props.osDistro;
    this.driver = checkDriver(this, props);
    checkGlanceText(this, 'name', name);
    checkGlanceText(this, 'kubeVersion', props.kubeVersion);
    checkProperties(this, props.properties);
    const diskFormat = props.diskFormat ?? DEFAULT_DISK_FORMAT;
    // resource_openstack_images_image_v2.go: ValidateFunc of disk_format and visibility; Glance's schema, the same lists.
    if (!isUnresolved(diskFormat) && !DISK_FORMATS.includes(diskFormat)) {
      throw new ValidationError(
        this,
        'diskFormat',
        diskFormat,
        'is not a disk format Glance and the provider accept',
        'use DiskFormat.QCOW2 or DiskFormat.RAW',
      );
    }
    const visibility = props.visibility ?? DEFAULT_IMAGE_VISIBILITY;
    if (!isUnresolved(visibility) && !Object.values(ImageVisibility).includes(visibility)) {
      throw new ValidationError(
        this,
        'visibility',
        visibility,
        'is not a visibility Glance and the provider accept',
        `use one of ${members('ImageVisibility', ImageVisibility)}`,
      );
    }
    if (props.minDiskGiB !== undefined && !isUnresolved(props.minDiskGiB) && (!Number.isInteger(props.minDiskGiB) || props.minDiskGiB < 0)) {
      throw new ValidationError(this, 'minDiskGiB', props.minDiskGiB, 'is not a whole number of GiB', 'give an integer >= 0, or leave it unset');
    }

    const properties: Record<string, string> = { ...props.properties, os_distro: props.osDistro };
    if (props.kubeVersion !== undefined) {
      properties.kube_version = props.kubeVersion;
    }
    if (!isHeatDriver(this.driver)) {
      // Newer Magnum picks among drivers that accept the same os_distro by this property.
      properties.magnum_driver = this.driver;
    }
    // The provider ignores updates of os_* properties (terraform-provider-openstack#1994):
    // tie the image's life to them so a change replaces it instead of silently drifting.
    const osProperties = new ReplaceTrigger(this, 'OsProperties', Object.fromEntries(Object.entries(properties).filter(([k]) => k.startsWith('os_'))));
    const source = props.source;
    if (source.url !== undefined) {
      checkImageUrl(this, 'source', source.url, source.transfer === ImageTransfer.WEB_DOWNLOAD, source.decompress);
    } else if (source.path !== undefined) {
      checkImageFile(this, 'source', source.path);
    }
    this.resource = new ImagesImageV2(this, 'Resource', {
      name,
      containerFormat: 'bare',
      diskFormat,
      visibility,
      imageSourceUrl: source.url,
      // The schema refuses web_download next to decompress even when false: send it only when on.
      webDownload: source.transfer === ImageTransfer.WEB_DOWNLOAD ? true : undefined,
      localFilePath: source.localFilePathFor(this),
      decompress: source.decompress || undefined,
      minDiskGb: props.minDiskGiB,
      properties,
    });
    tagOwner(this.resource);
    osProperties.replaces(this.resource);
    this.imageId = this.resource.id;
    // What replaces the image: the provider's ForceNew arguments (resource_openstack_images_image_v2.go,
    // 3.4.0: container_format, disk_format, image_source_url, local_file_path, decompress) and the os_* properties.
    const replacedBy = [diskFormat, source.url, source.path, source.decompress, ...Object.entries(osProperties.values).flat()];
    this.identity = isUnresolved(replacedBy) ? this.imageId : `glance-image-${digestOf(replacedBy)}`;
  }
}

function checkDriver(scope: Construct, props: MagnumImageProps): MagnumDriver {
  const distro = props.osDistro;
  if (distro === undefined || !Object.values(OsDistro).includes(distro)) {
    throw new ValidationError(
      scope,
      'osDistro',
      distro,
      'is not an os_distro Magnum knows; Magnum would refuse every template with "Cluster type (vm, None, kubernetes) not supported"',
      `set osDistro to one of ${Object.values(OsDistro)
        .map((d) => `OsDistro.${d.toUpperCase().replace('-', '_')}`)
        .join(', ')}`,
    );
  }
  const driver = props.driver ?? defaultDriverFor(distro);
  if (driver === undefined) {
    throw new ValidationError(
      scope,
      'driver',
      props.driver,
      `is needed: more than one Magnum driver accepts os_distro "${distro}"`,
      'set driver to MagnumDriver.CLUSTER_API_HELM or MagnumDriver.CLUSTER_API_VEXXHOST',
    );
  }
  if (!Object.values(MagnumDriver).includes(driver)) {
    throw new ValidationError(scope, 'driver', driver, 'is not a Magnum driver this library knows', `use one of ${members('MagnumDriver', MagnumDriver)}`);
  }
  if (!distrosAcceptedBy(driver).includes(distro)) {
    throw new ValidationError(
      scope,
      'osDistro',
      distro,
      `is not accepted by driver ${driver}`,
      `use os_distro ${distrosAcceptedBy(driver)
        .map((d) => `"${d}"`)
        .join(' or ')} for that driver, or pick the driver for "${distro}"`,
    );
  }
  if (driverNeedsKubeVersion(driver) && (props.kubeVersion === undefined || props.kubeVersion === '')) {
    throw new ValidationError(
      scope,
      'kubeVersion',
      props.kubeVersion,
      `is required by driver ${driver}`,
      'set kubeVersion to the Kubernetes version built into the image, e.g. "v1.30.4"',
    );
  }
  return driver;
}

function checkProperties(scope: Construct, properties: { [key: string]: string } | undefined): void {
  for (const key of ['os_distro', 'kube_version', 'magnum_driver']) {
    if (properties && key in properties) {
      const prop = key === 'os_distro' ? 'osDistro' : key === 'kube_version' ? 'kubeVersion' : 'driver';
      throw new ValidationError(
        scope,
        `properties.${key}`,
        properties[key],
        'is set through the free map',
        `use the ${prop} prop, which is checked against the driver`,
      );
    }
  }
  checkGlanceProperties(scope, 'properties', properties);
}

/**
 * Magnum takes a template's or node group's image as a Glance id or unique name of 1 to 255
 * characters (magnum/api/controllers/v1/cluster_template.py: ClusterTemplate.image_id, Zed; master same).
 */
function checkImageReference(scope: Construct, imageId: string): void {
  checkReference(scope, 'imageId', imageId, 'give the Glance image id');
}
