import { Construct } from 'constructs';
import { ContainerinfraClusterV1 } from '../../.gen/providers/openstack/containerinfra-cluster-v1';
import { ValidationError } from '../core/validation-error';
import { isHeatDriver, MagnumDriver } from '../image/magnum-driver';
import { ISubnetNetwork } from '../network/network';
import { checkCount, checkIntegerLabel, toLabels } from '../private/labels';
import { etcdFaultTolerance, labelFlag } from '../private/magnum-checks';
import { checkClusterName } from '../private/names';
import { isUnresolved } from '../private/tokens';
import { warn } from '../private/warn';
import { IClusterTemplate } from './cluster-template';
import { NodeGroup, NodeGroupOptions } from './node-group';
import { VolumeDriver } from './template-drivers';

/** A Magnum cluster, as the teardown and node groups see it. */
export interface IMagnumCluster {
  /** Magnum's cluster UUID: what the cloud provider writes into its resources' descriptions. */
  readonly clusterId: string;
  /**
   * The node groups Terraform manages for the cluster (not the default ones).
   * @default - none (a cluster imported by id)
   */
  readonly nodeGroups?: readonly NodeGroup[];
}

/** Settings of a {@link MagnumCluster} that do not reference other constructs. */
export interface MagnumClusterOptions {
  /**
   * Magnum name: a letter, then letters, digits, `_`, `-`, `.`; at most 242 characters.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Number of masters; more than one needs the master load balancer.
   * @default 1
   */
  readonly masterCount?: number;
  /**
   * Number of workers in the default node group; scales in place.
   * @default 1
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
   * @default 60 - Magnum's default
   */
  readonly createTimeoutMinutes?: number;
  /**
   * Labels for this cluster, merged over the template's (`merge_labels`).
   * @default - the template's labels
   */
  readonly labels?: { [key: string]: string };
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
  /** The Magnum cluster. */
  public readonly resource: ContainerinfraClusterV1;
  public readonly clusterId: string;
  /** The Kubernetes API address (token). */
  public readonly apiAddress: string;

  constructor(scope: Construct, id: string, props: MagnumClusterProps) {
    super(scope, id);
    const name = props.name ?? id;
    checkClusterName(this, 'name', name);
    const masterCount = props.masterCount ?? 1;
    checkCount(this, 'masterCount', masterCount, 1, 'give at least 1 master');
    if (!isUnresolved(masterCount) && masterCount > 1 && !props.template.masterLbEnabled) {
      throw new ValidationError(this, 'masterCount', masterCount, 'is more than one but the template has no master load balancer', 'use a template with masterLbEnabled: true, or a single master');
    }
    checkEtcdMembers(this, masterCount, props.template.driver);
    checkCount(this, 'nodeCount', props.nodeCount, 0, 'give a node count of 0 or more');
    checkCount(this, 'createTimeoutMinutes', props.createTimeoutMinutes, 1, 'give at least 1 minute');
    checkCount(this, 'dockerVolumeSizeGiB', props.dockerVolumeSizeGiB, 1, 'give at least 1 GiB, or leave it unset');
    if (props.network && props.network.external) {
      throw new ValidationError(this, 'network', props.network.networkId, 'is an external network', 'give the cluster a private network, e.g. a ClusterNetwork');
    }
    const labels = toLabels(this, 'labels', props.labels);
    checkLabels(this, labels, props.template);
    // Cluster labels merge over the template's (merge_labels), so a cluster label decides.
    this.autoScalingEnabled = 'auto_scaling_enabled' in labels ? knownFlag(labels.auto_scaling_enabled) : props.template.autoScalingEnabled;
    this.driver = props.template.driver;
    const timeout = props.createTimeoutMinutes ?? 60;
    const hasLabels = Object.keys(labels).length > 0;
    const network = props.network ?? props.template.network;
    this.resource = new ContainerinfraClusterV1(this, 'Resource', {
      name,
      clusterTemplateId: props.template.templateId,
      masterCount,
      nodeCount: props.nodeCount ?? 1,
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
      // Terraform waits a little longer than Magnum, so Magnum's own timeout is what reports.
      timeouts: { create: `${timeout + 5}m` },
      dependsOn: network?.readyWhen ? [network.readyWhen] : undefined,
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

  private readonly groups: NodeGroup[] = [];
  /** Whether the cluster runs the autoscaler; undefined when unknown at synth. */
  private readonly autoScalingEnabled?: boolean;
  private readonly driver?: MagnumDriver;

  /** The node groups added with {@link addNodeGroup}, in order. */
  public get nodeGroups(): readonly NodeGroup[] {
    return [...this.groups];
  }

  /** Adds a node group to this cluster; its Magnum name must differ from the other groups'. */
  public addNodeGroup(id: string, options: NodeGroupOptions = {}): NodeGroup {
    const group = new NodeGroup(this, id, {
      ...options,
      clusterId: this.clusterId,
      driver: this.driver,
      clusterAutoScalingEnabled: this.autoScalingEnabled,
    });
    // api/controllers/v1/nodegroup.py NodeGroupController.post: NodeGroupAlreadyExists (and the DB's uniq_nodegroup0cluster_id0name).
    const twin = isUnresolved(group.name) ? undefined : this.groups.find((g) => g.name === group.name);
    if (twin) {
      throw new ValidationError(group, 'name', group.name, `is already the name of node group ${twin.node.path}; Magnum refuses a second group of that name in one cluster ("A node group with name ${group.name} already exists")`,
        'give each node group of the cluster its own name');
    }
    this.groups.push(group);
    return group;
  }
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
    throw new ValidationError(scope, 'masterCount', masters, `is even, and driver ${driver} refuses even master counts (ClusterMasterCountEven)`, `use ${masters - 1} or ${masters + 1} masters`);
  }
  // Zed accepts it; drivers/common/driver.py Driver.validate_master_size refuses it from 20.0.0 (2025.1) on.
  const tolerated = etcdFaultTolerance(masters);
  warn(scope, 'masterCount', masters, `runs ${masters} etcd members (one per master), which survive ${tolerated} failed member${tolerated === 1 ? '' : 's'}: no more than ${masters - 1} would, with one more machine that can fail; Magnum 20.0.0 (2025.1) and later refuse even master counts`,
    `use ${masters - 1} or ${masters + 1} masters`);
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
    throw new ValidationError(scope, 'labels.cloud_provider_enabled', cloudProvider, 'turns the cloud provider off for a template with the cinder volume driver; Magnum fails the cluster with "cinder" volume driver needs "cloud_provider_enabled" label to be true or unset',
      'remove the label, or use a template with cloudProviderEnabled: false, which has no volume driver');
  }
}
