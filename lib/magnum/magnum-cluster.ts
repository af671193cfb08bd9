import { Construct } from 'constructs';
import { ContainerinfraClusterV1 } from '../../.gen/providers/openstack/containerinfra-cluster-v1';
import { ValidationError } from '../core/validation-error';
import { isHeatDriver, MagnumDriver } from '../image/magnum-driver';
import { ISubnetNetwork } from '../network/network';
import { checkCount, checkIntegerLabel, toLabels } from '../private/labels';
import { etcdFaultTolerance, labelFlag } from '../private/magnum-checks';
import { checkEnum } from '../private/enums';
import { checkClusterName } from '../private/names';
import { nodeGroupsOf } from './private/node-group-registry';
import { checkMagnumUuid } from '../private/references';
import { ReplaceTrigger } from '../private/replace-trigger';
import { asText, isUnresolved } from '../private/tokens';
import { warn } from '../private/warn';
import { ClusterReplacement, DEFAULT_CLUSTER_REPLACEMENT } from './cluster-replacement';
import { IClusterTemplate } from './cluster-template';
import { KubeTagCheck } from './private/kube-tag-check';
import { RebuildGuard } from './private/rebuild-guard';
import { registerClaim } from '../private/cluster-claims';
import { INodeGroup, NodeGroup, NodeGroupOptions } from './node-group';
import { DEFAULT_CREATE_TIMEOUT_MINUTES, TERRAFORM_TIMEOUT_MARGIN_MINUTES } from './create-timeout';
import { VolumeDriver } from './template-drivers';

/** A Magnum cluster, as the teardown and node groups see it. */
export interface IMagnumCluster {
  /** Magnum's cluster UUID: what the cloud provider writes into its resources' descriptions. */
  readonly clusterId: string;
  /**
   * The node groups Terraform manages for the cluster (not the default ones).
   * @default - none (an imported cluster)
   */
  readonly nodeGroups?: readonly INodeGroup[];
  /**
   * The Magnum driver of the cluster's template, whose own node-group rules are then checked.
   * @default - unknown: only Magnum's API rules are checked
   */
  readonly driver?: MagnumDriver;
  /**
   * Whether the cluster runs the cluster autoscaler (its `auto_scaling_enabled` label, else its template's).
   * @default - unknown: node groups' minNodeCount and maxNodeCount are not checked against it
   */
  readonly autoScalingEnabled?: boolean;
}

/** Attributes of an existing cluster, for {@link MagnumCluster.fromClusterAttributes}. */
export interface MagnumClusterAttributes {
  /** Magnum's cluster UUID, as `openstack coe cluster show NAME -c uuid` prints it. */
  readonly clusterId: string;
  /**
   * The Magnum driver of the cluster's template.
   * @default - unknown: node groups added to it are checked against Magnum's API rules only
   */
  readonly driver?: MagnumDriver;
  /**
   * Whether the cluster runs the cluster autoscaler.
   * @default - unknown: node groups' minNodeCount and maxNodeCount are not checked against it
   */
  readonly autoScalingEnabled?: boolean;
}

/** Default of {@link MagnumClusterOptions.masterCount}: Magnum's (`master_count` of the cluster API). */
export const DEFAULT_MASTER_COUNT: number = 1;
/** Default of {@link MagnumClusterOptions.nodeCount}: Magnum's (`node_count` of the cluster API). */
export const DEFAULT_NODE_COUNT: number = 1;
export { DEFAULT_CREATE_TIMEOUT_MINUTES };

/** Settings of a {@link MagnumCluster} that do not reference other constructs. */
export interface MagnumClusterOptions {
  /**
   * Magnum name: a letter, then letters, digits, `_`, `-`, `.`; at most 242 characters.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Number of masters; more than one needs the master load balancer.
   * @default DEFAULT_MASTER_COUNT
   */
  readonly masterCount?: number;
  /**
   * Number of workers in the default node group; scales in place.
   * @default DEFAULT_NODE_COUNT
   */
  readonly nodeCount?: number;
  /**
   * Nova keypair for the nodes.
   * @default - the template's
   */
  readonly keypair?: string;
  /**
   * Worker flavor.
   * @default - the template's
   */
  readonly flavor?: string;
  /**
   * Master flavor.
   * @default - the template's
   */
  readonly masterFlavor?: string;
  /**
   * Docker volume size in GiB.
   * @default - the template's
   */
  readonly dockerVolumeSizeGiB?: number;
  /**
   * Minutes Magnum waits for the cluster to build before failing it.
   * @default DEFAULT_CREATE_TIMEOUT_MINUTES
   */
  readonly createTimeoutMinutes?: number;
  /**
   * Labels for this cluster, merged over the template's (`merge_labels`).
   * @default - the template's labels
   */
  readonly labels?: { [key: string]: string };
  /**
   * What a change that only a new cluster can take does once the cluster runs: a change of
   * its template's flavors, image, networks, volumes or labels (all but `kubeTag`), or of its
   * own name, keypair, flavors, labels or master count. Resizes (`nodeCount`, node groups)
   * and upgrades (a new `kubeTag`) are applied in place whatever this says.
   * @default DEFAULT_CLUSTER_REPLACEMENT - refused when Terraform plans
   */
  readonly replacement?: ClusterReplacement;
}

/** Props of {@link MagnumCluster}. */
export interface MagnumClusterProps extends MagnumClusterOptions {
  /** The template the cluster is built from. */
  readonly template: IClusterTemplate;
  /**
   * Private network and subnet for the nodes.
   * @default - the template's, else a network Magnum's Heat stack creates
   */
  readonly network?: ISubnetNetwork;
}

/**
 * A Magnum Kubernetes cluster. Its kubeconfig is available only as a
 * sensitive value; masters and workers are counted, node groups added with
 * `addNodeGroup()`.
 */
export class MagnumCluster extends Construct implements IMagnumCluster {
  /**
   * References a cluster that already exists in Magnum, e.g. to add node groups to it or to tear
   * down what the cloud provider made for it. Node groups added to an imported cluster are not
   * listed in its `nodeGroups`: its teardown never deletes node groups, as not all of them need be
   * this configuration's.
   */
  public static fromClusterAttributes(scope: Construct, id: string, attrs: MagnumClusterAttributes): IMagnumCluster {
    class Import extends Construct implements IMagnumCluster {
      public readonly clusterId = attrs.clusterId;
      public readonly driver = attrs.driver;
      public readonly autoScalingEnabled = attrs.autoScalingEnabled;
    }
    const cluster = new Import(scope, id);
    checkMagnumUuid(
      cluster,
      'clusterId',
      attrs.clusterId,
      'the cloud provider names what it creates for the cluster by its UUID, which the teardown matches, and node groups are created under it',
      "give the cluster's UUID (openstack coe cluster show NAME -f value -c uuid)",
    );
    return cluster;
  }

  /** References a cluster that already exists in Magnum, by UUID alone. */
  public static fromClusterId(scope: Construct, id: string, clusterId: string): IMagnumCluster {
    return MagnumCluster.fromClusterAttributes(scope, id, { clusterId });
  }

  /** The Magnum cluster. */
  public readonly resource: ContainerinfraClusterV1;
  public readonly clusterId: string;
  /** The Kubernetes API address (token). */
  public readonly apiAddress: string;
  /** Whether the cluster runs the autoscaler; undefined when unknown at synth. */
  public readonly autoScalingEnabled?: boolean;
  public readonly driver?: MagnumDriver;
  /** What a change that only a new cluster can take does (see {@link MagnumClusterOptions.replacement}). */
  public readonly replacement: ClusterReplacement;

  constructor(scope: Construct, id: string, props: MagnumClusterProps) {
    super(scope, id);
    const name = props.name ?? id;
    checkClusterName(this, 'name', name);
    checkOnePerNameOnTemplate(this, name, props.template);
    const masterCount = props.masterCount ?? DEFAULT_MASTER_COUNT;
    checkCount(this, 'masterCount', masterCount, 1, 'give at least 1 master');
    if (!isUnresolved(masterCount) && masterCount > 1 && props.template.masterLbEnabled === false) {
      throw new ValidationError(
        this,
        'masterCount',
        masterCount,
        'is more than one but the template has no master load balancer',
        'use a template with masterLbEnabled: true, or a single master',
      );
    }
    checkEtcdMembers(this, masterCount, props.template.driver);
    checkCount(this, 'nodeCount', props.nodeCount, 0, 'give a node count of 0 or more');
    checkCount(this, 'createTimeoutMinutes', props.createTimeoutMinutes, 1, 'give at least 1 minute');
    checkCount(this, 'dockerVolumeSizeGiB', props.dockerVolumeSizeGiB, 1, 'give at least 1 GiB, or leave it unset');
    // An external network has a subnet too, so the type admits it here: only its `external` flag tells.
    if (props.network && props.network.external) {
      throw new ValidationError(
        this,
        'network',
        props.network.networkId,
        'is an external network',
        'give the cluster a private network, e.g. a ClusterNetwork',
      );
    }
    const labels = toLabels(this, 'labels', props.labels);
    checkLabels(this, labels, props.template);
    // Cluster labels merge over the template's (merge_labels), so a cluster label decides.
    this.autoScalingEnabled = 'auto_scaling_enabled' in labels ? knownFlag(labels.auto_scaling_enabled) : props.template.autoScalingEnabled;
    this.driver = props.template.driver;
    const timeout = props.createTimeoutMinutes ?? DEFAULT_CREATE_TIMEOUT_MINUTES;
    const hasLabels = Object.keys(labels).length > 0;
    const network = props.network ?? props.template.network;
    const replacement = props.replacement ?? DEFAULT_CLUSTER_REPLACEMENT;
    checkEnum(this, 'replacement', replacement, ClusterReplacement, 'ClusterReplacement');
    this.replacement = replacement;
    this.resource = new ContainerinfraClusterV1(this, 'Resource', {
      name,
      clusterTemplateId: props.template.templateId,
      masterCount,
      nodeCount: props.nodeCount ?? DEFAULT_NODE_COUNT,
      keypair: props.keypair,
      flavor: props.flavor,
      masterFlavor: props.masterFlavor,
      dockerVolumeSize: props.dockerVolumeSizeGiB,
      fixedNetwork: props.network?.networkId,
      fixedSubnet: props.network?.subnetId,
      createTimeout: timeout,
      labels: hasLabels ? labels : undefined,
      // Without merge_labels, cluster labels replace the template's (cloud_provider_enabled included).
      mergeLabels: hasLabels ? true : undefined,
      timeouts: { create: `${timeout + TERRAFORM_TIMEOUT_MARGIN_MINUTES}m` },
      dependsOn: network?.readyWhen ? [network.readyWhen] : undefined,
      lifecycle: {
        // Magnum reads create_timeout only while it creates the cluster; the provider would replace it (ForceNew).
        ignoreChanges: ['create_timeout'],
        createBeforeDestroy: replacement === ClusterReplacement.CREATE_BEFORE_DESTROY || undefined,
      },
    });
    guardRebuild(this, replacement, props.template, {
      name,
      masterCount,
      keypair: props.keypair,
      flavor: props.flavor,
      masterFlavor: props.masterFlavor,
      dockerVolumeSizeGiB: props.dockerVolumeSizeGiB,
      network: props.network?.networkId,
      'network.subnet': props.network?.subnetId,
      labels: hasLabels ? JSON.stringify(labels, Object.keys(labels).sort()) : undefined,
    });
    this.clusterId = this.resource.id;
    this.apiAddress = this.resource.apiAddress;
  }

  /**
   * The cluster's kubeconfig (`raw_config`). The provider marks it sensitive:
   * publish it only through a `TerraformOutput` with `sensitive: true`.
   */
  public get kubeconfig(): string {
    return this.resource.kubeconfig.lookup('raw_config');
  }

  /** The node groups made for this cluster, with {@link addNodeGroup} or `new NodeGroup`, in order. */
  public get nodeGroups(): readonly NodeGroup[] {
    return nodeGroupsOf(this);
  }

  /** Adds a node group to this cluster; its Magnum name must differ from the other groups'. */
  public addNodeGroup(id: string, options: NodeGroupOptions = {}): NodeGroup {
    return new NodeGroup(this, id, { ...options, cluster: this });
  }
}

/**
 * Makes a change that only a new cluster can take do what `replacement` says. The cluster's own
 * settings (`own`) are the provider's ForceNew arguments (resource_openstack_containerinfra_cluster_v1.go,
 * 3.4.0); a new template reaches the cluster through its Update, which calls Magnum's upgrade API
 * for any new `cluster_template_id` (see ClusterReplacement for what Magnum does with it).
 */
function guardRebuild(
  cluster: MagnumCluster,
  replacement: ClusterReplacement,
  template: IClusterTemplate,
  own: Record<string, string | number | undefined>,
): void {
  const prefixed = (settings: Record<string, string> = {}) => Object.fromEntries(Object.entries(settings).map(([k, v]) => [`template.${k}`, v]));
  const rebuild = {
    ...prefixed(template.settings?.rebuild),
    // Every prop has a key, unset ones the empty string (see RebuildGuard).
    ...Object.fromEntries(Object.entries(own).map(([k, v]) => [k, v === undefined ? '' : asText(v)])),
  };
  const retemplate = { ...prefixed(template.settings?.upgrade), ...prefixed(template.settings?.template) };
  // An imported template's settings are unknown: a change of it is left to Magnum's upgrade API.
  const upgradable = template.settings === undefined || Object.values(template.settings.upgrade).some((v) => v !== '');
  // Without an upgrade label, even a retemplate change can reach the cluster only as a new cluster. Unset
  // props are left out: a setting a later version of this library adds then replaces no running cluster.
  const triggers = Object.entries(upgradable ? rebuild : { ...rebuild, ...retemplate }).filter(([, v]) => v !== '');
  // Guard and trigger exist whatever `replacement` says, so that a change of it in the same pull request
  // as a setting does what it says: Terraform fires `replace_triggered_by` only for a trigger that existed
  // and changed, and a guard created in that plan would hold the new settings.
  const trigger = new ReplaceTrigger(cluster, 'Rebuild', Object.fromEntries(triggers));
  const guard = new RebuildGuard(cluster, 'RebuildGuard', {
    cluster: cluster.resource,
    rebuild,
    retemplate,
    retemplateProps: (template.settings?.retemplateProps ?? []).map((p) => `template.${p}`),
    upgradable,
    refuse: replacement === ClusterReplacement.REFUSE,
  });
  // Create-before-destroy keeps the old cluster beside the new one, and a replacement Terraform is told to make
  // (`-replace`, a taint) keeps the old claim too: the old cluster would match. No sweep there (README, Reliability).
  // A template this stack made claims every cluster of this name on it, even one whose guard a kill lost with the
  // state (Terraform saves it only now and then while it applies); an imported one only those made since the guard.
  if (replacement !== ClusterReplacement.CREATE_BEFORE_DESTROY) registerClaim(cluster, template.createdAt ?? guard.claimedAt);
  if (replacement !== ClusterReplacement.REFUSE) {
    // The guard is replaced with the cluster: it then holds what the new cluster is made with.
    trigger.replaces(cluster.resource);
    trigger.replaces(guard.resource);
  }
  const kubeTag = template.settings?.upgrade.kubeTag;
  if (kubeTag) new KubeTagCheck(cluster, 'KubeTagCheck', { cluster: cluster.resource, kubeTag });
}

/** A boolean label's value, unless it is known only at apply. */
function knownFlag(value: string | undefined): boolean | undefined {
  return isUnresolved(value) ? undefined : labelFlag(value);
}

/** Every master runs one etcd member: an even count tolerates no more failures than one less. */
function checkEtcdMembers(scope: Construct, masters: number, driver: MagnumDriver | undefined): void {
  if (isUnresolved(masters) || !Number.isInteger(masters) || masters % 2 === 1) {
    return;
  }
  if (driver === MagnumDriver.CLUSTER_API_VEXXHOST) {
    // magnum_cluster_api/utils.py validate_cluster, at cluster create: ClusterMasterCountEven.
    throw new ValidationError(
      scope,
      'masterCount',
      masters,
      `is even, and driver ${driver} refuses even master counts (ClusterMasterCountEven)`,
      `use ${masters - 1} or ${masters + 1} masters`,
    );
  }
  // Zed accepts it; drivers/common/driver.py Driver.validate_master_size refuses it from 20.0.0 (2025.1) on.
  const tolerated = etcdFaultTolerance(masters);
  warn(
    scope,
    'masterCount',
    masters,
    `runs ${masters} etcd members (one per master), which survive ${tolerated} failed member${tolerated === 1 ? '' : 's'}: no more than ${masters - 1} would, with one more machine that can fail; Magnum 20.0.0 (2025.1) and later refuse even master counts`,
    `use ${masters - 1} or ${masters + 1} masters`,
  );
}

/** Cluster labels that Magnum's conductor or API would refuse, merged over the template's. */
function checkLabels(scope: Construct, labels: Record<string, string>, template: IClusterTemplate): void {
  // Zed: drivers/heat/k8s_fedora_template_def.py _set_volumes int(); master: api/attr_validator.py
  // validate_flavor_root_volume_size (strutils.validate_integer), for every driver.
  checkIntegerLabel(scope, 'labels', labels, 'boot_volume_size', 'Magnum');
  const heat = template.driver !== undefined && isHeatDriver(template.driver);
  if (!heat) {
    return;
  }
  // drivers/heat/k8s_fedora_template_def.py _set_volumes: int(etcd_volume_size).
  checkIntegerLabel(scope, 'labels', labels, 'etcd_volume_size', 'the Heat driver');
  const cloudProvider = labels.cloud_provider_enabled;
  if (template.volumeDriver === VolumeDriver.CINDER && knownFlag(cloudProvider) === false) {
    // drivers/heat/k8s_fedora_template_def.py K8sFedoraTemplateDefinition.get_params, at cluster create: `.lower() == 'false'`.
    throw new ValidationError(
      scope,
      'labels.cloud_provider_enabled',
      cloudProvider,
      'turns the cloud provider off for a template with the cinder volume driver; Magnum fails the cluster with "cinder" volume driver needs "cloud_provider_enabled" label to be true or unset',
      'remove the label, or use a template with cloudProviderEnabled: false, which has no volume driver',
    );
  }
}

/** The clusters of each template by Magnum name: the orphan sweep tells a killed create's cluster by name and template. */
const clustersOnTemplate = new WeakMap<IClusterTemplate, Map<string, string>>();

/**
 * Refuses a second cluster of the same Magnum name on one template, in any stack of the app: each cluster's
 * orphan sweep would take the other for the orphan of a killed create (names are not unique in Magnum).
 */
function checkOnePerNameOnTemplate(cluster: MagnumCluster, name: string, template: IClusterTemplate): void {
  if (isUnresolved(name)) return;
  const names = clustersOnTemplate.get(template) ?? new Map<string, string>();
  clustersOnTemplate.set(template, names);
  const other = names.get(name);
  if (other !== undefined) {
    throw new ValidationError(
      cluster,
      'name',
      name,
      `is also the name of ${other} on the same template, and the orphan sweep of each would delete the other as a killed create's cluster`,
      'give each cluster on a template its own name',
    );
  }
  names.set(name, cluster.node.path);
}
