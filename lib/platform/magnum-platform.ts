import { Construct } from 'constructs';
import { ValidationError } from '../core/validation-error';
import { IMagnumImage, MagnumImage, MagnumImageProps } from '../image/magnum-image';
import { ClusterNetwork, ClusterNetworkOptions } from '../network/cluster-network';
import { ExternalNetwork, ExternalNetworkProps, IExternalNetwork } from '../network/external-network';
import { checkFloatingIpBudget } from './private/floating-ip-budget';
import { VolumeType, VolumeTypeProps } from '../storage/volume-type';
import { ClusterTeardown, ClusterTeardownOptions } from '../teardown/cluster-teardown';
import { ClusterTemplate, ClusterTemplateOptions } from '../magnum/cluster-template';
import { MagnumCluster, MagnumClusterOptions } from '../magnum/magnum-cluster';
import { MagnumServiceRequirements, MagnumServiceRequirementsProps } from '../magnum/service-requirements';

/** Default of {@link MagnumPlatformProps.teardownEnabled}: the cluster's cloud-provider leftovers go with it. */
export const DEFAULT_TEARDOWN_ENABLED: boolean = true;

/** Props of {@link MagnumPlatform}. */
export interface MagnumPlatformProps {
  /**
   * The external network to create. Give this or `existingExternalNetwork`.
   * @default - none
   */
  readonly externalNetwork?: ExternalNetworkProps;
  /**
   * An external network that already exists (e.g. `public1` from `init-runonce`).
   * @default - none
   */
  readonly existingExternalNetwork?: IExternalNetwork;
  /**
   * The image to upload. Give this or `existingImage`.
   * @default - none
   */
  readonly image?: MagnumImageProps;
  /**
   * An image that already exists in Glance.
   * @default - none
   */
  readonly existingImage?: IMagnumImage;
  /**
   * The volume type for Docker volumes; also stated as magnum.conf's `default_docker_volume_type`.
   * @default - no volume type is created
   */
  readonly dockerVolumeType?: VolumeTypeProps;
  /**
   * A Terraform-owned private network for the cluster.
   * @default - Magnum's Heat stack creates the cluster's network
   */
  readonly clusterNetwork?: ClusterNetworkOptions;
  /**
   * Template settings.
   * @default - the ClusterTemplate defaults: master LB and cloud provider on
   */
  readonly template?: ClusterTemplateOptions;
  /**
   * Cluster settings.
   * @default - one master, one worker
   */
  readonly cluster?: MagnumClusterOptions;
  /**
   * Service-side settings the template is checked against.
   * @default - the MagnumServiceRequirements defaults (trust and Octavia on)
   */
  readonly serviceRequirements?: MagnumServiceRequirementsProps;
  /**
   * Destroy-time teardown of what the cloud provider created for the cluster.
   * @default - on, with the ClusterTeardown defaults
   */
  readonly teardown?: ClusterTeardownOptions;
  /**
   * Set to false to leave cloud-provider leftovers to the operator.
   * @default DEFAULT_TEARDOWN_ENABLED
   */
  readonly teardownEnabled?: boolean;
}

/**
 * A whole Magnum platform for the common case, wired in dependency order:
 * external network, image, volume type, service requirements, optional
 * cluster network, template, cluster and its destroy-time teardown.
 */
export class MagnumPlatform extends Construct {
  /** The external network, created or imported. */
  public readonly externalNetwork: IExternalNetwork;
  /** The image, uploaded or imported. */
  public readonly image: IMagnumImage;
  /** The Docker volume type, when one was asked for. */
  public readonly dockerVolumeType?: VolumeType;
  /** The service-side settings. */
  public readonly serviceRequirements: MagnumServiceRequirements;
  /** The Terraform-owned cluster network, when one was asked for. */
  public readonly clusterNetwork?: ClusterNetwork;
  /** The cluster template. */
  public readonly template: ClusterTemplate;
  /** The cluster. */
  public readonly cluster: MagnumCluster;
  /** The destroy-time teardown, unless disabled. */
  public readonly teardown?: ClusterTeardown;

  constructor(scope: Construct, id: string, props: MagnumPlatformProps) {
    super(scope, id);
    this.externalNetwork = exactlyOne(
      this,
      'externalNetwork',
      props.externalNetwork,
      props.existingExternalNetwork,
      (p) => new ExternalNetwork(this, 'ExternalNetwork', p),
    );
    this.image = exactlyOne(this, 'image', props.image, props.existingImage, (p) => new MagnumImage(this, 'Image', p));
    this.dockerVolumeType = props.dockerVolumeType ? new VolumeType(this, 'DockerVolumeType', props.dockerVolumeType) : undefined;
    this.serviceRequirements = new MagnumServiceRequirements(this, 'ServiceRequirements', {
      ...props.serviceRequirements,
      defaultDockerVolumeType: this.dockerVolumeType,
    });
    this.clusterNetwork = props.clusterNetwork
      ? new ClusterNetwork(this, 'ClusterNetwork', { ...props.clusterNetwork, externalNetwork: this.externalNetwork })
      : undefined;
    this.template = new ClusterTemplate(this, 'Template', {
      ...props.template,
      image: this.image,
      externalNetwork: this.externalNetwork,
      network: this.clusterNetwork,
      dockerVolumeType: this.dockerVolumeType,
      serviceRequirements: this.serviceRequirements,
    });
    this.cluster = new MagnumCluster(this, 'Cluster', { ...props.cluster, template: this.template });
    checkFloatingIpBudget(this, this.externalNetwork, this.template, this.cluster);
    if (props.teardownEnabled ?? DEFAULT_TEARDOWN_ENABLED) {
      this.teardown = new ClusterTeardown(this, 'Teardown', { ...props.teardown, cluster: this.cluster });
    }
  }
}

/** Builds from `props` or takes `existing`; refuses both and neither. */
function exactlyOne<P, T>(scope: Construct, field: string, props: P | undefined, existing: T | undefined, build: (p: P) => T): T {
  const existingField = `existing${field[0].toUpperCase()}${field.slice(1)}`;
  if (props !== undefined && existing !== undefined) {
    throw new ValidationError(
      scope,
      field,
      '(both set)',
      `is given together with ${existingField}`,
      `give either ${field} (to create it) or ${existingField} (to use it), not both`,
    );
  }
  if (props !== undefined) {
    return build(props);
  }
  if (existing === undefined) {
    throw new ValidationError(
      scope,
      field,
      undefined,
      `is missing, and so is ${existingField}`,
      `give ${field} (to create it) or ${existingField} (to use it)`,
    );
  }
  return existing;
}
