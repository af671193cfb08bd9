import { Construct } from 'constructs';
import { ContainerinfraClusterV1 } from '../../.gen/providers/openstack/containerinfra-cluster-v1';
import { ValidationError } from '../core/validation-error';
import { ISubnetNetwork } from '../network/network';
import { checkCount, toLabels } from '../private/labels';
import { checkClusterName } from '../private/names';
import { isUnresolved } from '../private/tokens';
import { IClusterTemplate } from './cluster-template';
import { NodeGroup, NodeGroupOptions } from './node-group';

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
    checkCount(this, 'nodeCount', props.nodeCount, 0, 'give a node count of 0 or more');
    checkCount(this, 'createTimeoutMinutes', props.createTimeoutMinutes, 1, 'give at least 1 minute');
    checkCount(this, 'dockerVolumeSizeGiB', props.dockerVolumeSizeGiB, 1, 'give at least 1 GiB, or leave it unset');
    if (props.network && props.network.external) {
      throw new ValidationError(this, 'network', props.network.networkId, 'is an external network', 'give the cluster a private network, e.g. a ClusterNetwork');
    }
    const labels = toLabels(this, 'labels', props.labels);
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

  /** The node groups added with {@link addNodeGroup}, in order. */
  public get nodeGroups(): readonly NodeGroup[] {
    return [...this.groups];
  }

  /** Adds a node group to this cluster. */
  public addNodeGroup(id: string, options: NodeGroupOptions = {}): NodeGroup {
    const group = new NodeGroup(this, id, { ...options, clusterId: this.clusterId });
    this.groups.push(group);
    return group;
  }
}
