import { Construct } from 'constructs';
import { ContainerinfraNodegroupV1 } from '../../.gen/providers/openstack/containerinfra-nodegroup-v1';
import { ValidationError } from '../core/validation-error';
import { IMagnumImage } from '../image/magnum-image';
import { checkCount, toLabels } from '../private/labels';
import { checkName } from '../private/names';
import { isUnresolved } from '../private/tokens';

/** Options of {@link MagnumCluster.addNodeGroup}. */
export interface NodeGroupOptions {
  /**
   * Magnum name of the node group.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Number of nodes.
   * @default 1
   */
  readonly nodeCount?: number;
  /**
   * Lower bound for the autoscaler.
   * @default - none
   */
  readonly minNodeCount?: number;
  /**
   * Upper bound for the autoscaler.
   * @default - none
   */
  readonly maxNodeCount?: number;
  /**
   * Nova flavor of the group's nodes.
   * @default - the cluster's worker flavor
   */
  readonly flavor?: string;
  /**
   * Image of the group's nodes.
   * @default - the template's image
   */
  readonly image?: IMagnumImage;
  /**
   * Role label of the nodes (`worker`, or e.g. `infra`).
   * @default 'worker'
   */
  readonly role?: string;
  /**
   * Size of the Docker volume, in GiB.
   * @default - the template's
   */
  readonly dockerVolumeSizeGiB?: number;
  /**
   * Labels merged over the cluster's.
   * @default - the cluster's labels
   */
  readonly labels?: { [key: string]: string };
}

/** Props of {@link NodeGroup}. */
export interface NodeGroupProps extends NodeGroupOptions {
  /** Id of the cluster the group belongs to. */
  readonly clusterId: string;
}

/** A Magnum node group: extra workers with their own flavor, image or size. */
export class NodeGroup extends Construct {
  /** The Magnum node group. */
  public readonly resource: ContainerinfraNodegroupV1;
  /** Its Magnum name, unique within the cluster. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: NodeGroupProps) {
    super(scope, id);
    const name = props.name ?? id;
    checkName(this, 'name', name);
    this.name = name;
    checkCount(this, 'nodeCount', props.nodeCount, 0, 'give a node count of 0 or more');
    checkCount(this, 'minNodeCount', props.minNodeCount, 0, 'give a minimum of 0 or more');
    checkCount(this, 'maxNodeCount', props.maxNodeCount, 1, 'give a maximum of 1 or more');
    const { minNodeCount: min, maxNodeCount: max } = props;
    const count = props.nodeCount ?? 1;
    const known = (v: number | undefined): v is number => v !== undefined && !isUnresolved(v);
    if (known(min) && known(max) && min > max) {
      throw new ValidationError(this, 'minNodeCount', min, `is above maxNodeCount (${max})`, 'make minNodeCount <= maxNodeCount');
    }
    if (!isUnresolved(count) && ((known(min) && count < min) || (known(max) && count > max))) {
      throw new ValidationError(this, 'nodeCount', count, `is outside minNodeCount..maxNodeCount (${min ?? 0}..${max ?? '∞'})`, 'pick a node count within the bounds');
    }
    checkCount(this, 'dockerVolumeSizeGiB', props.dockerVolumeSizeGiB, 1, 'give at least 1 GiB, or leave it unset');
    const labels = toLabels(this, 'labels', props.labels);
    this.resource = new ContainerinfraNodegroupV1(this, 'Resource', {
      clusterId: props.clusterId,
      name,
      nodeCount: count,
      minNodeCount: min,
      maxNodeCount: max,
      flavorId: props.flavor,
      imageId: props.image?.imageId,
      role: props.role ?? 'worker',
      dockerVolumeSize: props.dockerVolumeSizeGiB,
      labels: Object.keys(labels).length > 0 ? labels : undefined,
      mergeLabels: Object.keys(labels).length > 0 ? true : undefined,
    });
  }
}
