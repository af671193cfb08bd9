import { TerraformResource, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { ContainerinfraNodegroupV1 } from '../../.gen/providers/openstack/containerinfra-nodegroup-v1';
import { flag, NODE_BOUNDS_ENV, NODE_COUNT_ENV, NODE_GROUP_ENV, RESIZER_TRIGGERS, TeardownCommand } from '../../runtime/teardown/flags';
import { ValidationError } from '../core/validation-error';
import { isHeatDriver, MagnumDriver } from '../image/magnum-driver';
import { IMagnumImage } from '../image/magnum-image';
import { renderLifecycleForHcl } from '../private/hcl-lifecycle';
import { checkCount, toLabels } from '../private/labels';
import { isClusterApiMachineName, isKubernetesLabelValue } from '../private/magnum-checks';
import { checkNodeGroupName } from '../private/names';
import { NodeGroupDeleter } from '../private/node-group-deleter';
import { nodeGroupsOf, registerNodeGroup } from './private/node-group-registry';
import { lengthInCodePoints, MAX_STRING_LENGTH } from '../private/openstack-strings';
import { teardownProvisioner } from '../private/teardown-registry';
import { escapeTemplate } from '../private/template-escape';
import { isUnresolved } from '../private/tokens';
import { TriggersResource } from '../private/triggers-resource';
import { warn } from '../private/warn';
import type { IMagnumCluster } from './magnum-cluster';

/** A node group of a Magnum cluster, as other constructs see it. */
export interface INodeGroup {
  /** Its Magnum name, unique within the cluster. */
  readonly nodeGroupName: string;
  /** The cluster it belongs to. */
  readonly cluster: IMagnumCluster;
}

/** Default of {@link NodeGroupOptions.nodeCount}: Magnum's (`node_count` of the node-group API). */
export const DEFAULT_NODE_GROUP_NODE_COUNT: number = 1;
/** Default of {@link NodeGroupOptions.role}: Magnum's (`role` of the node-group API). */
export const DEFAULT_NODE_GROUP_ROLE: string = 'worker';

/** How long a resize may take: provider 3.4.0's update timeout of a node group (Timeouts.Update, 30 min). */
const RESIZE_TIMEOUT_SECONDS = 30 * 60;
/** The CLI's subcommand that gives a node group its count and waits until Magnum has. */
const RESIZE_NODE_GROUP: TeardownCommand = 'resize-node-group';

/** What Magnum stores for a group created without `min_node_count` (api/controllers/v1/nodegroup.py: default=0, Zed; master same). */
const MAGNUM_MIN_NODE_COUNT = 0;

/** Options of {@link MagnumCluster.addNodeGroup}. */
export interface NodeGroupOptions {
  /**
   * Magnum name of the node group: any 1 to 255 characters, unique within the cluster and
   * neither `default-master` nor `default-worker` (the groups Magnum creates).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Number of nodes.
   * @default DEFAULT_NODE_GROUP_NODE_COUNT
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
   * Role label of the nodes (`worker`, or e.g. `infra`; Magnum refuses `master`).
   * @default DEFAULT_NODE_GROUP_ROLE
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
  /**
   * The cluster the group belongs to, owned or imported; the group is checked against its
   * driver's rules and its autoscaler, when known.
   */
  readonly cluster: IMagnumCluster;
}

/**
 * A Magnum node group: extra workers with their own flavor, image or size. Made with
 * `MagnumCluster.addNodeGroup()`, or with `new NodeGroup(scope, id, { cluster })`, e.g.
 * for a cluster imported with `MagnumCluster.fromClusterId()`. Removed from the code or
 * replaced, it is deleted first by a destroy-time run of the teardown CLI (`delete-node-group`),
 * as provider 3.4.0 cannot wait for that delete on Magnum 15. A change of `nodeCount` is a run of
 * its `resize-node-group` (the group's `node_count` is in `ignore_changes`): provider 3.4.0 polls a
 * resize before Magnum's conductor has taken it up, reads the group's old `CREATE_COMPLETE` and
 * fails the apply ("unexpected state") while Magnum goes on resizing.
 */
export class NodeGroup extends Construct implements INodeGroup {
  /** The Magnum node group. */
  public readonly resource: ContainerinfraNodegroupV1;
  /**
   * The `terraform_data` that gives the group its node count: replaced when `nodeCount` (or a bound)
   * changes, it runs the teardown CLI's `resize-node-group`, which waits until Magnum shows the group resized.
   */
  public readonly resizer: TerraformResource;
  public readonly nodeGroupName: string;
  public readonly cluster: IMagnumCluster;

  constructor(scope: Construct, id: string, props: NodeGroupProps) {
    super(scope, id);
    const name = props.name ?? id;
    checkNodeGroupName(this, 'name', name);
    this.nodeGroupName = name;
    this.cluster = props.cluster;
    const role = props.role ?? DEFAULT_NODE_GROUP_ROLE;
    checkRole(this, role);
    checkCount(this, 'nodeCount', props.nodeCount, 0, 'give a node count of 0 or more');
    checkCount(this, 'minNodeCount', props.minNodeCount, 0, 'give a minimum of 0 or more');
    checkCount(this, 'maxNodeCount', props.maxNodeCount, 1, 'give a maximum of 1 or more');
    const { minNodeCount: min, maxNodeCount: max } = props;
    const count = props.nodeCount ?? DEFAULT_NODE_GROUP_NODE_COUNT;
    const known = (v: number | undefined): v is number => v !== undefined && !isUnresolved(v);
    if (known(min) && known(max) && min > max) {
      throw new ValidationError(this, 'minNodeCount', min, `is above maxNodeCount (${max})`, 'make minNodeCount <= maxNodeCount');
    }
    if (!isUnresolved(count) && ((known(min) && count < min) || (known(max) && count > max))) {
      throw new ValidationError(
        this,
        'nodeCount',
        count,
        `is outside minNodeCount..maxNodeCount (${min ?? MAGNUM_MIN_NODE_COUNT}..${max ?? '∞'})`,
        'pick a node count within the bounds',
      );
    }
    checkCount(this, 'dockerVolumeSizeGiB', props.dockerVolumeSizeGiB, 1, 'give at least 1 GiB, or leave it unset');
    checkDriverRules(this, props, name, role);
    warnAboutBounds(this, props);
    const labels = toLabels(this, 'labels', props.labels);
    this.resource = new ContainerinfraNodegroupV1(this, 'Resource', {
      clusterId: props.cluster.clusterId,
      // Any text is a name to Magnum, `${` included, which Terraform would read as a template.
      name: isUnresolved(name) ? name : escapeTemplate(name),
      nodeCount: count,
      minNodeCount: min,
      maxNodeCount: max,
      flavorId: props.flavor,
      imageId: props.image?.imageId,
      role: isUnresolved(role) ? role : escapeTemplate(role),
      dockerVolumeSize: props.dockerVolumeSizeGiB,
      labels: Object.keys(labels).length > 0 ? labels : undefined,
      mergeLabels: Object.keys(labels).length > 0 ? true : undefined,
      // The count is given at create; later it is the resizer's (below), and the autoscaler's.
      lifecycle: { ignoreChanges: ['node_count'] },
    });
    // `cdktf synth --hcl` writes ignore_changes' names bare only through this (as for every lifecycle here).
    renderLifecycleForHcl(this.resource);
    this.resizer = resizerOf(this, props.cluster, count, min, max);
    checkUniqueName(this);
    checkSameStack(this, props.cluster);
    registerNodeGroup(props.cluster, this);
    // Provider 3.4.0 cannot wait for a node group's delete on Magnum 15: its deleter deletes it first.
    NodeGroupDeleter.of(props.cluster, TerraformStack.of(this)).add(this, this.resource.id);
  }
}

/**
 * The group's resizer: `triggers_replace` holds the group's id, its count and (when the code gives
 * one) its bounds as `<min>..<max>`, so that a change of any replaces it and its create-time
 * `local-exec` runs `resize-node-group`, which first waits for Magnum to show the bounds the
 * provider has just patched (asynchronously applied), then resizes and waits. The values reach the
 * CLI in the environment, from `self`; the command line is fixed words.
 */
function resizerOf(group: NodeGroup, cluster: IMagnumCluster, count: number, min?: number, max?: number): TerraformResource {
  const { nodeGroup, nodeCount, nodeBounds } = RESIZER_TRIGGERS;
  const bounded = min !== undefined || max !== undefined;
  const fromSelf = (key: string) => `\${self.triggers_replace.${key}}`;
  const bounds = `${min === undefined ? '' : Token.asString(min)}..${max === undefined ? '' : Token.asString(max)}`;
  return new TriggersResource(
    group,
    'Resizer',
    { [nodeGroup]: group.resource.id, [nodeCount]: count, ...(bounded ? { [nodeBounds]: bounds } : {}) },
    {
      provisioners: [
        teardownProvisioner(
          cluster,
          RESIZE_NODE_GROUP,
          `${flag('nodeGroupFromEnv')} ${flag('nodeCountFromEnv')} ${flag('timeoutSeconds')} ${RESIZE_TIMEOUT_SECONDS}`,
          {
            [NODE_GROUP_ENV]: fromSelf(nodeGroup),
            [NODE_COUNT_ENV]: fromSelf(nodeCount),
            ...(bounded ? { [NODE_BOUNDS_ENV]: fromSelf(nodeBounds) } : {}),
          },
        ),
      ],
    },
  );
}

/**
 * A group of an owned cluster lives in the cluster's stack: the cluster's teardown deletes the
 * groups and is ordered before them (`depends_on`), which Terraform resolves within one stack only.
 * A cluster imported by id (`fromClusterId`) may get groups in any stack; its teardown leaves them alone.
 */
function checkSameStack(group: NodeGroup, cluster: IMagnumCluster): void {
  if (cluster.nodeGroups !== undefined && Construct.isConstruct(cluster) && TerraformStack.of(cluster) !== TerraformStack.of(group)) {
    throw new ValidationError(
      group,
      'cluster',
      cluster.clusterId,
      `belongs to stack ${TerraformStack.of(cluster).node.path}, and its teardown could neither order itself before this group nor reach it from there`,
      `create the group in that stack (cluster.addNodeGroup), or import the cluster there with MagnumCluster.fromClusterId`,
    );
  }
}

/** api/controllers/v1/nodegroup.py NodeGroupController.post: NodeGroupAlreadyExists (and the DB's uniq_nodegroup0cluster_id0name). */
function checkUniqueName(group: NodeGroup): void {
  const name = group.nodeGroupName;
  const twin = isUnresolved(name) ? undefined : nodeGroupsOf(group.cluster).find((g) => g.nodeGroupName === name);
  if (twin) {
    throw new ValidationError(
      group,
      'name',
      name,
      `is already the name of node group ${twin.node.path}; Magnum refuses a second group of that name in one cluster ("A node group with name ${name} already exists")`,
      'give each node group of the cluster its own name',
    );
  }
}

/** api/controllers/v1/nodegroup.py: `role` is `StringType(min_length=1, max_length=255)`, and `post()` refuses "master". */
function checkRole(scope: Construct, role: string): void {
  if (isUnresolved(role)) {
    return;
  }
  if (role === 'master') {
    throw new ValidationError(
      scope,
      'role',
      role,
      'is refused for added node groups ("Creating master nodegroups is currently not supported"): Magnum creates the masters with the cluster',
      'size the masters with the cluster\'s masterCount, and give this group another role, e.g. "worker" or "infra"',
    );
  }
  const length = lengthInCodePoints(role);
  if (length > MAX_STRING_LENGTH) {
    throw new ValidationError(
      scope,
      'role',
      role,
      `is ${length} characters long; Magnum takes at most ${MAX_STRING_LENGTH}`,
      `shorten it to at most ${MAX_STRING_LENGTH} characters`,
    );
  }
}

/** The node-group rules of the cluster's driver, beyond Magnum's API. */
function checkDriverRules(scope: Construct, props: NodeGroupProps, name: string, role: string): void {
  const driver = props.cluster.driver;
  if (driver === MagnumDriver.CLUSTER_API_VEXXHOST && !isUnresolved(name) && !isClusterApiMachineName(name)) {
    // magnum_cluster_api/utils.py validate_nodegroup_name, at create_nodegroup: the name becomes a Cluster API Machine name.
    throw new ValidationError(
      scope,
      'name',
      name,
      `is not a lowercase RFC 1123 name, which driver ${driver} requires of node groups ("Expected a lowercase RFC 1123 subdomain name")`,
      'use lowercase letters, digits and "-", beginning and ending with a letter or digit (parts may be joined by ".")',
    );
  }
  const min = props.minNodeCount ?? MAGNUM_MIN_NODE_COUNT;
  if (driver === MagnumDriver.CLUSTER_API_HELM && props.cluster.autoScalingEnabled === true && !isUnresolved(min) && min < 1) {
    // magnum_capi_helm/driver.py create_nodegroup -> _validate_allowed_node_counts, when the autoscaler is on.
    throw new ValidationError(
      scope,
      'minNodeCount',
      props.minNodeCount,
      `is below 1 while the cluster autoscaler is on; driver ${driver} refuses the group ("Min node count must be greater than or equal to 1 for all node groups")`,
      'set minNodeCount to 1 or more',
    );
  }
  if (driver !== undefined && isHeatDriver(driver)) {
    // drivers/common/templates/kubernetes/fragments/configure-kubernetes-minion.sh: kubelet --node-labels
    // magnum.openstack.org/nodegroup=<name> and magnum.openstack.org/role=<role>, unquoted.
    for (const [field, value, label] of [
      ['name', name, 'nodegroup'],
      ['role', role, 'role'],
    ]) {
      if (!isUnresolved(value) && !isKubernetesLabelValue(value)) {
        warn(
          scope,
          field,
          value,
          `is not a Kubernetes label value, yet the Heat drivers give every node of the group the label magnum.openstack.org/${label}=<${field}> through kubelet's --node-labels: the nodes would not register with Kubernetes`,
          'use at most 63 letters, digits, "-", "_" and ".", beginning and ending with a letter or digit',
        );
      }
    }
  }
}

/** Autoscaler bounds that nothing will use (min/max still limit Magnum's resize API). */
function warnAboutBounds(scope: Construct, props: NodeGroupProps): void {
  const { minNodeCount: min, maxNodeCount: max } = props;
  if (min === undefined && max === undefined) {
    return;
  }
  const [field, value] = max !== undefined ? ['maxNodeCount', max] : ['minNodeCount', min];
  const { autoScalingEnabled, driver } = props.cluster;
  if (autoScalingEnabled === false) {
    warn(
      scope,
      field,
      value,
      'bounds the cluster autoscaler, which is off for this cluster (auto_scaling_enabled label): the group keeps nodeCount, and the bounds only limit resizes',
      "turn the autoscaler on (the template's autoScalingEnabled, or the cluster label auto_scaling_enabled), or remove minNodeCount and maxNodeCount",
    );
  } else if (autoScalingEnabled === true && driver !== undefined && isHeatDriver(driver)) {
    // drivers/common/templates/kubernetes/fragments/enable-auto-scaling.sh, Zed to 21.x: --nodes=<min>:<max>:default-worker only.
    warn(
      scope,
      field,
      value,
      'bounds the cluster autoscaler, but the one the Heat drivers deploy scales only the default-worker group: this group keeps nodeCount, and the bounds only limit resizes',
      'resize the group by its nodeCount, or use a Cluster API driver, whose autoscaler scales every node group',
    );
  }
}
