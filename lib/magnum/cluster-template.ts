import { Construct } from 'constructs';
import { IResolveContext, ITerraformDependable, Lazy } from 'cdktf';
import { ContainerinfraClustertemplateV1, ContainerinfraClustertemplateV1Config } from '../../.gen/providers/openstack/containerinfra-clustertemplate-v1';
import { ValidationError } from '../core/validation-error';
import { IMagnumImage } from '../image/magnum-image';
import { isHeatDriver, MagnumDriver } from '../image/magnum-driver';
import { IExternalNetwork } from '../network/external-network';
import { ISubnetNetwork } from '../network/network';
import { DIGEST_LENGTH, digestOf } from '../private/digest';
import { parseCidr } from '../private/ip';
import { checkCount, toLabels } from '../private/labels';
import { isMagnumDnsList } from '../private/magnum-checks';
import { checkName } from '../private/names';
import { lengthInCodePoints, MAX_STRING_LENGTH } from '../private/openstack-strings';
import { checkExternalNetwork, checkMagnumUuid } from '../private/references';
import { ReplaceTrigger } from '../private/replace-trigger';
import { asText, isUnresolved } from '../private/tokens';
import { warn } from '../private/warn';
import { IVolumeType, VolumeType } from '../storage/volume-type';
import { IMagnumServiceRequirements } from './service-requirements';
import { networkDriverSupportOf } from './private/network-driver-support';
import { DockerStorageDriver, NetworkDriver, VolumeDriver } from './template-drivers';

/** A cluster template, as clusters see it. */
export interface IClusterTemplate {
  /** Magnum's template UUID. */
  readonly templateId: string;
  /**
   * Whether clusters get a load balancer in front of their masters.
   * @default - unknown: a cluster's masterCount is not checked against it
   */
  readonly masterLbEnabled?: boolean;
  /**
   * The private network the template puts clusters on.
   * @default - none: Magnum's Heat stack creates one per cluster
   */
  readonly network?: ISubnetNetwork;
  /**
   * The Magnum driver of the template's image, whose own rules clusters are checked against.
   * @default - unknown: driver-specific rules are not checked
   */
  readonly driver?: MagnumDriver;
  /**
   * The template's volume driver.
   * @default - unknown
   */
  readonly volumeDriver?: VolumeDriver;
  /**
   * Whether the template runs the cluster autoscaler (`auto_scaling_enabled` label).
   * @default - unknown: node-group bounds are not checked against it
   */
  readonly autoScalingEnabled?: boolean;
  /**
   * The template's settings, sorted by how a change of each reaches a running cluster.
   * @default - unknown (an imported template): a change of template is left to Magnum's upgrade API
   */
  readonly settings?: ClusterTemplateSettings;
  /**
   * When Magnum created the template (RFC 3339; a Terraform expression), if this stack did: no cluster
   * on it is older, so a cluster of this stack's name on it that the state lacks is a killed create's.
   * @default - unknown (an imported template, which other stacks' clusters may use)
   */
  readonly createdAt?: string;
}

/**
 * A template's settings by prop (`flavor`, `extraLabels.foo`), as strings or references,
 * sorted by how a change of each reaches a running cluster (see {@link ClusterReplacement}).
 */
export interface ClusterTemplateSettings {
  /** What only a new cluster takes: flavors, image, networks, volumes, every label but the upgrade labels. */
  readonly rebuild: { [prop: string]: string };
  /**
   * What Magnum's upgrade API applies to a running cluster: the {@link UPGRADE_LABELS}. A template
   * without any of them cannot be an upgrade's target, so a cluster can then take no new template at all.
   */
  readonly upgrade: { [prop: string]: string };
  /** The template's own: its name and visibility, which no cluster sees but which make a new template. */
  readonly template: { [prop: string]: string };
  /** Every prop of `upgrade` and `template`, set or not: a prop unset since the cluster was made is a change too. */
  readonly retemplateProps: readonly string[];
}

/**
 * The labels Magnum's upgrade API applies to a running cluster of the Heat drivers, and the only
 * ones it accepts in the new template: drivers/heat/driver.py FedoraKubernetesDriver.get_heat_params
 * (`upgrade_labels`, Zed to 2024.1) refuses a template with none of them (InvalidClusterTemplateForUpgrade),
 * and the conductor then leaves the cluster UPDATE_FAILED.
 */
export const UPGRADE_LABELS: readonly string[] = ['kube_tag', 'ostree_remote', 'ostree_commit'];

/** Attributes of an existing template, for {@link ClusterTemplate.fromClusterTemplateAttributes}. */
export interface ClusterTemplateAttributes {
  /** Magnum's template UUID, as `openstack coe cluster template show NAME -c uuid` prints it. */
  readonly templateId: string;
  /**
   * Whether the template puts a load balancer in front of the masters.
   * @default - unknown: clusters' masterCount is not checked against it
   */
  readonly masterLbEnabled?: boolean;
  /**
   * The private network the template puts clusters on; clusters then wait for it.
   * @default - none
   */
  readonly network?: ISubnetNetwork;
  /**
   * The Magnum driver of the template's image.
   * @default - unknown: driver-specific rules are not checked
   */
  readonly driver?: MagnumDriver;
  /**
   * The template's volume driver.
   * @default - unknown
   */
  readonly volumeDriver?: VolumeDriver;
  /**
   * Whether the template runs the cluster autoscaler.
   * @default - unknown: node-group bounds are not checked against it
   */
  readonly autoScalingEnabled?: boolean;
}

/**
 * Default of {@link ClusterTemplateOptions.masterLbEnabled}: this library's choice, an Octavia load
 * balancer in front of the Kubernetes API so that a cluster may have several masters (Magnum's own default is off).
 */
export const DEFAULT_MASTER_LB_ENABLED: boolean = true;
/** Default of {@link ClusterTemplateOptions.floatingIpEnabled}: Magnum's (the template API's `floating_ip_enabled` default). */
export const DEFAULT_FLOATING_IP_ENABLED: boolean = true;
/**
 * Default of {@link ClusterTemplateOptions.cloudProviderEnabled}: this library's choice, so that LoadBalancer
 * Services and Cinder volumes work; it needs `cluster_user_trust` on the service (see MagnumServiceRequirements).
 */
export const DEFAULT_CLOUD_PROVIDER_ENABLED: boolean = true;
/** Default of {@link ClusterTemplateOptions.dockerStorageDriver}: Magnum's since Victoria. */
export const DEFAULT_DOCKER_STORAGE_DRIVER: DockerStorageDriver = DockerStorageDriver.OVERLAY2;
/** Default of {@link ClusterTemplateOptions.public}: Magnum's, a template only its project sees (a public one needs admin). */
export const DEFAULT_TEMPLATE_PUBLIC: boolean = false;

/** Settings of a {@link ClusterTemplate} that do not reference other constructs. */
export interface ClusterTemplateOptions {
  /**
   * Base of the Magnum name. The template's name is this plus a hash of its
   * settings, because a change rolls out as a new template.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Nova flavor of the worker nodes. Site-specific.
   * @default - Magnum's default, `m1.small`
   */
  readonly flavor?: string;
  /**
   * Nova flavor of the masters. Site-specific.
   * @default - Magnum's default, `m1.small`
   */
  readonly masterFlavor?: string;
  /**
   * Nova keypair injected into the nodes.
   * @default - none: no SSH access to nodes
   */
  readonly keypair?: string;
  /**
   * Put an Octavia load balancer in front of the Kubernetes API (needed for more than one master).
   * @default DEFAULT_MASTER_LB_ENABLED
   */
  readonly masterLbEnabled?: boolean;
  /**
   * Give nodes floating IPs.
   * @default DEFAULT_FLOATING_IP_ENABLED
   */
  readonly floatingIpEnabled?: boolean;
  /**
   * Give the master load balancer a floating IP (`master_lb_floating_ip_enabled` label).
   * @default - follows floatingIpEnabled, as Magnum does
   */
  readonly masterLbFloatingIpEnabled?: boolean;
  /**
   * CIDRs allowed to reach the API load balancer (`master_lb_allowed_cidrs` label).
   * @default - anywhere
   */
  readonly masterLbAllowedCidrs?: string[];
  /**
   * Size of the Cinder volume for Docker's storage on each node, in GiB.
   * @default - no volume: Docker uses the root disk
   */
  readonly dockerVolumeSizeGiB?: number;
  /**
   * Docker storage driver.
   * @default DEFAULT_DOCKER_STORAGE_DRIVER
   */
  readonly dockerStorageDriver?: DockerStorageDriver;
  /**
   * Persistent-volume driver.
   * @default VolumeDriver.CINDER when the cloud provider is enabled, else none
   */
  readonly volumeDriver?: VolumeDriver;
  /**
   * Kubernetes network driver; checked against the image's driver.
   * @default - the driver's: NetworkDriver.FLANNEL (Magnum's default) on the Heat drivers, NetworkDriver.CALICO on the Cluster API drivers
   */
  readonly networkDriver?: NetworkDriver;
  /**
   * Run Kubernetes' OpenStack cloud provider (`cloud_provider_enabled` label):
   * LoadBalancer Services, Cinder volumes. Needs `cluster_user_trust` on the service.
   * @default DEFAULT_CLOUD_PROVIDER_ENABLED
   */
  readonly cloudProviderEnabled?: boolean;
  /**
   * Run the Cinder CSI plugin (`cinder_csi_enabled` label).
   * @default - Magnum's default (on since Wallaby)
   */
  readonly cinderCsiEnabled?: boolean;
  /**
   * Kubernetes version tag (`kube_tag` label), e.g. `v1.23.3-rancher1`.
   * @default - the driver's default
   */
  readonly kubeTag?: string;
  /**
   * Replace unhealthy nodes (`auto_healing_enabled` label).
   * @default - off
   */
  readonly autoHealingEnabled?: boolean;
  /**
   * Run the cluster autoscaler (`auto_scaling_enabled` label).
   * @default - off
   */
  readonly autoScalingEnabled?: boolean;
  /**
   * Boot nodes from a Cinder volume of this size in GiB (`boot_volume_size` label).
   * @default - boot from the image on local disk
   */
  readonly bootVolumeSizeGiB?: number;
  /**
   * Volume type of boot volumes (`boot_volume_type` label).
   * @default - magnum.conf's `default_boot_volume_type`
   */
  readonly bootVolumeType?: IVolumeType;
  /**
   * Put etcd on a Cinder volume of this size in GiB (`etcd_volume_size` label).
   * @default - etcd on the root disk
   */
  readonly etcdVolumeSizeGiB?: number;
  /**
   * Volume type of etcd volumes (`etcd_volume_type` label).
   * @default - magnum.conf's `default_etcd_volume_type`
   */
  readonly etcdVolumeType?: IVolumeType;
  /**
   * Octavia provider for the cluster's load balancers (`octavia_provider` label), e.g. `ovn`.
   * @default - Octavia's default provider (amphora)
   */
  readonly octaviaProvider?: string;
  /**
   * DNS server the nodes use: an IPv4 address, or several separated by commas (Magnum takes no IPv6 here).
   * @default - Magnum's default, 8.8.8.8
   */
  readonly dnsNameserver?: string;
  /**
   * Make the template visible to every project (needs admin).
   * @default DEFAULT_TEMPLATE_PUBLIC
   */
  readonly public?: boolean;
  /**
   * Other labels, for everything without a typed prop. Typed props win; setting
   * one of their labels here is refused.
   * @default - none
   */
  readonly extraLabels?: { [key: string]: string };
}

/** Props of {@link ClusterTemplate}. */
export interface ClusterTemplateProps extends ClusterTemplateOptions {
  /** The image the nodes boot; its `os_distro` selects Magnum's driver. */
  readonly image: IMagnumImage;
  /** The external network floating IPs and the cluster's router gateway come from. */
  readonly externalNetwork: IExternalNetwork;
  /**
   * An existing private network and subnet for the nodes (`fixed_network`/`fixed_subnet`).
   * @default - Magnum's Heat stack creates a private network per cluster
   */
  readonly network?: ISubnetNetwork;
  /**
   * Volume type of the Docker volume (`docker_volume_type` label).
   * @default - magnum.conf's `default_docker_volume_type`, else Cinder's first type
   */
  readonly dockerVolumeType?: IVolumeType;
  /**
   * The service-side settings to check the template against.
   * @default - not checked
   */
  readonly serviceRequirements?: IMagnumServiceRequirements;
}

/** A label with a typed prop: the prop, and how the label's value is read from the props. */
interface TypedLabel {
  readonly prop: keyof ClusterTemplateProps;
  readonly value: (props: ClusterTemplateProps, template: ClusterTemplate) => string | number | boolean | undefined;
}

/** The labels that have a typed prop, in the order they are written; the free map may not set them. */
const TYPED_LABELS: Record<string, TypedLabel> = {
  cloud_provider_enabled: { prop: 'cloudProviderEnabled', value: (_, t) => t.cloudProviderEnabled },
  cinder_csi_enabled: { prop: 'cinderCsiEnabled', value: (p) => p.cinderCsiEnabled },
  docker_volume_type: { prop: 'dockerVolumeType', value: (p) => p.dockerVolumeType?.volumeTypeName },
  kube_tag: { prop: 'kubeTag', value: (p) => p.kubeTag },
  master_lb_floating_ip_enabled: { prop: 'masterLbFloatingIpEnabled', value: (p) => p.masterLbFloatingIpEnabled },
  master_lb_allowed_cidrs: { prop: 'masterLbAllowedCidrs', value: (p) => p.masterLbAllowedCidrs?.join(',') },
  auto_healing_enabled: { prop: 'autoHealingEnabled', value: (p) => p.autoHealingEnabled },
  auto_scaling_enabled: { prop: 'autoScalingEnabled', value: (p) => p.autoScalingEnabled },
  boot_volume_size: { prop: 'bootVolumeSizeGiB', value: (p) => p.bootVolumeSizeGiB },
  boot_volume_type: { prop: 'bootVolumeType', value: (p) => p.bootVolumeType?.volumeTypeName },
  etcd_volume_size: { prop: 'etcdVolumeSizeGiB', value: (p) => p.etcdVolumeSizeGiB },
  etcd_volume_type: { prop: 'etcdVolumeType', value: (p) => p.etcdVolumeType?.volumeTypeName },
  octavia_provider: { prop: 'octaviaProvider', value: (p) => p.octaviaProvider },
};

/**
 * A Magnum Kubernetes cluster template with the master load balancer and the
 * cloud provider on. Magnum refuses to update a template a cluster uses, so
 * every change rolls out as a new template: the name carries a hash of the
 * settings and the old one is destroyed only after the new one exists.
 */
export class ClusterTemplate extends Construct implements IClusterTemplate {
  /** References a template that already exists in Magnum, with what is known of its settings. */
  public static fromClusterTemplateAttributes(scope: Construct, id: string, attrs: ClusterTemplateAttributes): IClusterTemplate {
    class Import extends Construct implements IClusterTemplate {
      public readonly templateId = attrs.templateId;
      public readonly masterLbEnabled = attrs.masterLbEnabled;
      public readonly network = attrs.network;
      public readonly driver = attrs.driver;
      public readonly volumeDriver = attrs.volumeDriver;
      public readonly autoScalingEnabled = attrs.autoScalingEnabled;
    }
    const template = new Import(scope, id);
    // resource_openstack_containerinfra_cluster_v1.go (3.4.0): Read sets cluster_template_id from Magnum's answer.
    checkMagnumUuid(
      template,
      'templateId',
      attrs.templateId,
      'a cluster names its template by UUID, which the provider compares with what Magnum returns at every plan',
      "give the template's UUID (openstack coe cluster template show NAME -f value -c uuid)",
    );
    return template;
  }

  /** References a template that already exists in Magnum, by UUID alone (its settings unknown). */
  public static fromClusterTemplateId(scope: Construct, id: string, templateId: string): IClusterTemplate {
    return ClusterTemplate.fromClusterTemplateAttributes(scope, id, { templateId });
  }

  /** The Magnum cluster template. */
  public readonly resource: ContainerinfraClustertemplateV1;
  public readonly templateId: string;
  public readonly createdAt: string;
  public readonly masterLbEnabled: boolean;
  public readonly network?: ISubnetNetwork;
  public readonly driver?: MagnumDriver;
  public readonly volumeDriver?: VolumeDriver;
  public readonly autoScalingEnabled: boolean;
  /** Whether the cloud provider runs in clusters of this template. */
  public readonly cloudProviderEnabled: boolean;
  public readonly settings: ClusterTemplateSettings;

  constructor(scope: Construct, id: string, props: ClusterTemplateProps) {
    super(scope, id);
    const baseName = props.name ?? id;
    checkName(this, 'name', baseName);
    const room = MAX_STRING_LENGTH - SETTINGS_SUFFIX_LENGTH;
    if (!isUnresolved(baseName) && lengthInCodePoints(baseName) > room) {
      throw new ValidationError(
        this,
        'name',
        baseName,
        `leaves no room for the ${SETTINGS_SUFFIX_LENGTH}-character settings hash within ${MAX_STRING_LENGTH} characters`,
        `shorten it to at most ${room} characters`,
      );
    }
    this.masterLbEnabled = props.masterLbEnabled ?? DEFAULT_MASTER_LB_ENABLED;
    this.network = props.network;
    this.cloudProviderEnabled = props.cloudProviderEnabled ?? DEFAULT_CLOUD_PROVIDER_ENABLED;
    this.driver = props.image.driver;
    this.volumeDriver = props.volumeDriver ?? (this.cloudProviderEnabled ? VolumeDriver.CINDER : undefined);
    this.autoScalingEnabled = autoscalerRuns(props);
    validate(this, props);

    const labels = this.labels(props);
    const config: Omit<ContainerinfraClustertemplateV1Config, 'name'> = {
      coe: 'kubernetes',
      image: props.image.imageId,
      externalNetworkId: props.externalNetwork.externalNetworkId,
      fixedNetwork: props.network?.networkId,
      fixedSubnet: props.network?.subnetId,
      flavor: props.flavor,
      masterFlavor: props.masterFlavor,
      keypairId: props.keypair,
      masterLbEnabled: this.masterLbEnabled,
      floatingIpEnabled: props.floatingIpEnabled ?? DEFAULT_FLOATING_IP_ENABLED,
      dockerVolumeSize: props.dockerVolumeSizeGiB,
      dockerStorageDriver: props.dockerStorageDriver ?? DEFAULT_DOCKER_STORAGE_DRIVER,
      volumeDriver: this.volumeDriver,
      networkDriver: props.networkDriver ?? defaultNetworkDriver(props.image.driver),
      dnsNameserver: props.dnsNameserver,
      public: props.public ?? DEFAULT_TEMPLATE_PUBLIC,
      labels,
    };
    // Anything that would be an in-place PATCH of a template in use replaces it instead.
    const settings = new ReplaceTrigger(this, 'Settings', { settings: config });
    const name = Lazy.stringValue({ produce: (context) => `${baseName}-${settingsHash(context, config)}` });
    this.resource = new ContainerinfraClustertemplateV1(this, 'Resource', {
      ...config,
      name,
      lifecycle: { createBeforeDestroy: true },
      dependsOn: dependencies(props),
    });
    settings.replaces(this.resource);
    this.templateId = this.resource.id;
    this.createdAt = this.resource.createdAt;
    this.settings = sortSettings(config, props, baseName);
  }

  private labels(props: ClusterTemplateProps): Record<string, string> {
    for (const key of Object.keys(props.extraLabels ?? {})) {
      if (key in TYPED_LABELS) {
        throw new ValidationError(this, `extraLabels.${key}`, props.extraLabels![key], 'has a typed prop', `use the ${TYPED_LABELS[key].prop} prop instead`);
      }
    }
    const typed = Object.fromEntries(Object.entries(TYPED_LABELS).map(([key, label]) => [key, label.value(props, this)]));
    return toLabels(this, 'extraLabels', { ...props.extraLabels, ...typed });
  }
}

/** The props of the template's arguments whose name differs from the argument's. */
const ARGUMENT_PROPS: Partial<Record<keyof ContainerinfraClustertemplateV1Config, string>> = {
  externalNetworkId: 'externalNetwork',
  fixedNetwork: 'network',
  fixedSubnet: 'network.subnet',
  keypairId: 'keypair',
  dockerVolumeSize: 'dockerVolumeSizeGiB',
};
/** The template's own settings: no cluster sees them, but a change makes a new template. */
const TEMPLATE_ONLY_PROPS: readonly string[] = ['name', 'public'];

/** The prop that sets a label: its typed prop, else its key in `extraLabels`. */
const labelProp = (label: string): string => TYPED_LABELS[label]?.prop ?? `extraLabels.${label}`;

/** The template's arguments and labels, by prop, sorted by how a running cluster takes a change of each. */
function sortSettings(config: Omit<ContainerinfraClustertemplateV1Config, 'name'>, props: ClusterTemplateProps, name: string): ClusterTemplateSettings {
  // The Cluster API drivers roll the template's image out to the machines on an upgrade, which is how
  // they move to another Kubernetes version (magnum_cluster_api driver.py upgrade_cluster applies the
  // cluster again from the new template); the Heat drivers take none of it (see UPGRADE_LABELS).
  const upgrades = [...UPGRADE_LABELS.map(labelProp), ...(props.image.driver && !isHeatDriver(props.image.driver) ? ['image'] : [])];
  const out: ClusterTemplateSettings = { rebuild: {}, upgrade: {}, template: {}, retemplateProps: [...upgrades, ...TEMPLATE_ONLY_PROPS] };
  // Every prop this version knows has a key, unset ones the empty string: a prop set since is then a
  // change, while a key a later version adds is simply not compared with what an older one stored.
  const put = (prop: string, value: unknown) => {
    const group = upgrades.includes(prop) ? 'upgrade' : TEMPLATE_ONLY_PROPS.includes(prop) ? 'template' : 'rebuild';
    out[group][prop] = value === undefined ? '' : asText(value as string | number | boolean);
  };
  const { labels = {}, coe: _coe, image: _image, ...args } = config;
  put('name', name);
  put('image', props.image.identity ?? props.image.imageId);
  for (const [arg, value] of Object.entries(args)) put(ARGUMENT_PROPS[arg as keyof typeof ARGUMENT_PROPS] ?? arg, value);
  // Labels with a prop of their own (and the upgrade labels) one by one, the free ones as one map.
  const named = [...Object.keys(TYPED_LABELS), ...UPGRADE_LABELS];
  for (const label of named) put(labelProp(label), labels[label]);
  const free = Object.keys(labels)
    .filter((label) => !named.includes(label))
    .sort();
  put('extraLabels', free.length > 0 ? JSON.stringify(labels, free) : undefined);
  // Cinder refuses any change of a type's extra specs while a volume of it exists (api/contrib/types_extra_specs.py
  // _allow_update, "Volume Type is currently in use.", Zed): the nodes' volumes are, while the cluster runs.
  const sized: [keyof ClusterTemplateProps, IVolumeType | undefined, number | undefined][] = [
    ['dockerVolumeType', props.dockerVolumeType, props.dockerVolumeSizeGiB],
    ['bootVolumeType', props.bootVolumeType, props.bootVolumeSizeGiB],
    ['etcdVolumeType', props.etcdVolumeType, props.etcdVolumeSizeGiB],
  ];
  for (const [prop, type, size] of sized) {
    const specs = type instanceof VolumeType && size !== undefined ? type.extraSpecs : undefined;
    put(`${prop}.extraSpecs`, specs && JSON.stringify(specs, Object.keys(specs).sort()));
  }
  return out;
}

/**
 * Eight hex digits of the resolved settings (references resolve to stable
 * `${type.id.attr}` strings, unlike token ids): stable across synths, new on any change.
 */
function settingsHash(context: IResolveContext, config: object): string {
  return digestOf(context.resolve(config));
}

/** What the settings hash adds to the name: `-` and its digits. */
const SETTINGS_SUFFIX_LENGTH = DIGEST_LENGTH + 1;

/**
 * What the template's clusters need beyond what its arguments reference: owned volume
 * types (the labels carry their names, not references), and the external network's
 * subnet, from which the clusters' floating IPs come (the template names only the network).
 */
function dependencies(props: ClusterTemplateProps): ITerraformDependable[] | undefined {
  const owned: ITerraformDependable[] = [props.dockerVolumeType, props.bootVolumeType, props.etcdVolumeType]
    .filter((t): t is VolumeType => t instanceof VolumeType)
    .map((t) => t.resource);
  if (props.externalNetwork.readyWhen) owned.push(props.externalNetwork.readyWhen);
  return owned.length > 0 ? owned : undefined;
}

function validate(scope: ClusterTemplate, props: ClusterTemplateProps): void {
  checkExternalNetwork(
    scope,
    'externalNetwork',
    props.externalNetwork,
    '; Magnum would refuse it with "Unable to find external network"',
    'pass an ExternalNetwork (router:external), e.g. ExternalNetwork.fromNetworkId(...) for public1',
  );
  const { masterLbEnabled: masterLb, cloudProviderEnabled: cloudProvider } = scope;
  const image = props.image;
  if (image.osDistro === undefined) {
    warn(
      scope,
      'image',
      image.imageId,
      'has no known os_distro (imported by id); Magnum refuses the template with "Cluster type (vm, None, kubernetes) not supported" if the image lacks the property',
      'import it with MagnumImage.fromImageAttributes and its osDistro, or check the image has os_distro set',
    );
  }
  if (image.driver === MagnumDriver.HEAT_FEDORA_ATOMIC) {
    // magnum/drivers/heat/k8s_template_def.py passes octavia_provider since 15.0.0; the Atomic templates never declared it.
    warn(
      scope,
      'image.osDistro',
      image.osDistro,
      'is Fedora Atomic, whose clusters build only on Magnum <= 14 (Yoga): from 15.0.0 Magnum passes octavia_provider to every Kubernetes Heat template and the Atomic templates do not declare it, so cluster create fails with "The Parameter (octavia_provider) was not defined in template."; the driver is gone in 18.0.0',
      'use an image with OsDistro.FEDORA_COREOS',
    );
  }
  if (image.driver === MagnumDriver.CLUSTER_API_VEXXHOST && props.kubeTag === undefined) {
    throw new ValidationError(
      scope,
      'kubeTag',
      props.kubeTag,
      `is required by driver ${image.driver}, which takes the Kubernetes version from the kube_tag label`,
      'set kubeTag, e.g. "v1.30.4"',
    );
  }
  // An external network has a subnet too, so the type admits it here: only its `external` flag tells.
  if (props.network && props.network.external) {
    throw new ValidationError(scope, 'network', props.network.networkId, 'is an external network', 'give the cluster a private network, e.g. a ClusterNetwork');
  }
  const networkDriver = props.networkDriver;
  if (networkDriver !== undefined && !Object.values(NetworkDriver).includes(networkDriver)) {
    throw new ValidationError(
      scope,
      'networkDriver',
      networkDriver,
      'is not a network driver Magnum accepts',
      'use NetworkDriver.FLANNEL, NetworkDriver.CALICO or NetworkDriver.CILIUM',
    );
  }
  if (networkDriver !== undefined && image.driver !== undefined) {
    checkNetworkDriver(scope, networkDriver, image.driver);
  }
  // api/validation.py K8sValidator._validate_volume_driver_supported (Zed and master): Kubernetes takes only cinder.
  if (props.volumeDriver !== undefined && !isUnresolved(props.volumeDriver) && !Object.values(VolumeDriver).includes(props.volumeDriver)) {
    throw new ValidationError(
      scope,
      'volumeDriver',
      props.volumeDriver,
      'is not a volume driver Magnum accepts for Kubernetes ("Volume driver type ... is not supported, expecting a cinder volume driver")',
      'use VolumeDriver.CINDER, or leave it unset',
    );
  }
  // api/controllers/v1/types.py DNSListType -> common/utils.py validate_dns (Zed and master). An empty string is never sent.
  const dns = props.dnsNameserver;
  if (dns !== undefined && dns !== '' && !isUnresolved(dns) && !isMagnumDnsList(dns)) {
    throw new ValidationError(
      scope,
      'dnsNameserver',
      dns,
      'is not what Magnum takes ("Expected a single dns address or comma separated dns list"): IPv4 addresses only, written plainly',
      'give one IPv4 address, or several separated by commas, e.g. "8.8.8.8,1.1.1.1"',
    );
  }
  if (props.dockerStorageDriver === DockerStorageDriver.DEVICEMAPPER) {
    // api/controllers/v1/cluster_template.py post(): logs _devicemapper_overlay_deprecation_note (Zed and master).
    warn(
      scope,
      'dockerStorageDriver',
      props.dockerStorageDriver,
      'is deprecated in favour of overlay2 by Docker and by Magnum ("will be removed in a future release from docker")',
      "use DockerStorageDriver.OVERLAY2, Magnum's default since Victoria",
    );
  }
  if (props.cinderCsiEnabled === false && scope.volumeDriver === VolumeDriver.CINDER) {
    // api/controllers/v1/cluster.py post(): logs _in_tree_cinder_volume_driver_deprecation_note (Zed and master).
    warn(
      scope,
      'cinderCsiEnabled',
      false,
      'leaves the cinder volume driver to the in-tree Cinder plugin, which Magnum deprecates ("The in-tree Cinder volume driver is deprecated ... in favour of out-of-tree Cinder CSI driver")',
      'leave cinderCsiEnabled unset (the Cinder CSI plugin is on by default)',
    );
  }
  checkCount(scope, 'dockerVolumeSizeGiB', props.dockerVolumeSizeGiB, 1, 'give at least 1 GiB, or leave it unset to use the root disk');
  const size = props.dockerVolumeSizeGiB;
  if (props.dockerStorageDriver === DockerStorageDriver.DEVICEMAPPER && !isUnresolved(size) && (size === undefined || size < 3)) {
    throw new ValidationError(
      scope,
      'dockerVolumeSizeGiB',
      size,
      'is below 3 GiB, the minimum Magnum requires with the devicemapper storage driver',
      'set dockerVolumeSizeGiB to 3 or more, or use DockerStorageDriver.OVERLAY2',
    );
  }
  if (props.dockerVolumeType && size === undefined) {
    throw new ValidationError(
      scope,
      'dockerVolumeType',
      props.dockerVolumeType.volumeTypeName,
      'has no effect without a Docker volume',
      'set dockerVolumeSizeGiB, or remove dockerVolumeType',
    );
  }
  checkCount(scope, 'bootVolumeSizeGiB', props.bootVolumeSizeGiB, 1, 'give at least 1 GiB, or leave it unset to boot from local disk');
  checkCount(scope, 'etcdVolumeSizeGiB', props.etcdVolumeSizeGiB, 1, 'give at least 1 GiB, or leave it unset to keep etcd on the root disk');
  if (props.volumeDriver === VolumeDriver.CINDER && !cloudProvider) {
    throw new ValidationError(
      scope,
      'volumeDriver',
      props.volumeDriver,
      'needs the cloud provider; Magnum refuses it with "cinder" volume driver needs "cloud_provider_enabled" label to be true or unset',
      'set cloudProviderEnabled: true, or remove volumeDriver',
    );
  }
  (props.masterLbAllowedCidrs ?? []).forEach((cidr, i) => {
    if (!isUnresolved(cidr) && typeof parseCidr(cidr) === 'string') {
      throw new ValidationError(
        scope,
        `masterLbAllowedCidrs[${i}]`,
        cidr,
        'is not a network CIDR',
        'write it as address/prefix with the host bits zero, e.g. "203.0.113.0/24"',
      );
    }
  });
  const service = props.serviceRequirements;
  if (service && cloudProvider && !service.clusterUserTrust) {
    throw new ValidationError(
      scope,
      'cloudProviderEnabled',
      cloudProvider,
      'needs cluster_user_trust, which the service requirements say is off; every cluster would fail with "cluster_user_trust" must be set to True in magnum.conf when "cloud_provider_enabled" label is set to true',
      'turn clusterUserTrust on in MagnumServiceRequirements (enable_cluster_user_trust in Kolla-Ansible), or set cloudProviderEnabled: false',
    );
  }
  if (service && masterLb && !service.octaviaEnabled) {
    throw new ValidationError(
      scope,
      'masterLbEnabled',
      masterLb,
      'needs Octavia, which the service requirements say is not deployed',
      'enable Octavia (enable_octavia), or set masterLbEnabled: false with a single master',
    );
  }
  const ingress = props.extraLabels?.ingress_controller;
  if (
    service &&
    !service.octaviaEnabled &&
    image.driver !== undefined &&
    isHeatDriver(image.driver) &&
    !isUnresolved(ingress) &&
    ingress?.toLowerCase() === 'octavia'
  ) {
    // drivers/heat/k8s_template_def.py K8sTemplateDefinition.get_params, at cluster create (Zed to 21.x; master has no Heat driver).
    throw new ValidationError(
      scope,
      'extraLabels.ingress_controller',
      ingress,
      'needs Octavia, which the service requirements say is not deployed; Magnum fails every cluster with "Octavia service needs to be deployed for octavia ingress controller."',
      'enable Octavia (enable_octavia), or use another ingress controller, e.g. "nginx"',
    );
  }
  if (service && size !== undefined && !props.dockerVolumeType && !service.defaultDockerVolumeType) {
    warn(
      scope,
      'dockerVolumeType',
      undefined,
      `leaves the Docker volumes (${size} GiB) without a volume type: Magnum takes Cinder's first type or fails with "Valid volume type could not be found."`,
      'set dockerVolumeType, or defaultDockerVolumeType in MagnumServiceRequirements',
    );
  }
}

/** The network driver the image's driver runs by default (flannel when the driver is unknown: Magnum's default). */
function defaultNetworkDriver(driver: MagnumDriver | undefined): NetworkDriver {
  return driver === undefined ? NetworkDriver.FLANNEL : networkDriverSupportOf(driver).runs[0];
}

/** Refuses a network driver the cluster driver refuses, and warns about one it would build without a pod network. */
function checkNetworkDriver(scope: Construct, networkDriver: NetworkDriver, driver: MagnumDriver): void {
  const support = networkDriverSupportOf(driver);
  if (support.runs.includes(networkDriver)) {
    return;
  }
  const names = support.runs.map((d) => `NetworkDriver.${Object.entries(NetworkDriver).find(([, v]) => v === d)![0]}`);
  const fix = `use ${names.join(' or ')}, or leave networkDriver unset for ${names[0]}`;
  if (support.refusesOthers) {
    throw new ValidationError(scope, 'networkDriver', networkDriver, `is not run by driver ${driver}: ${support.why}`, fix);
  }
  warn(scope, 'networkDriver', networkDriver, `is not run by driver ${driver}: ${support.why}`, fix);
}

/**
 * Whether clusters of the template run the cluster autoscaler: off unless asked (the Heat drivers'
 * default and magnum-capi-helm's shipped one). The Heat drivers also deploy it for auto-healing
 * with the draino controller (enable-auto-scaling.sh).
 */
function autoscalerRuns(props: ClusterTemplateProps): boolean {
  const controller = props.extraLabels?.auto_healing_controller;
  const draino =
    props.autoHealingEnabled === true &&
    !isUnresolved(controller) &&
    controller?.toLowerCase() === 'draino' &&
    props.image.driver !== undefined &&
    isHeatDriver(props.image.driver);
  return props.autoScalingEnabled === true || draino;
}
