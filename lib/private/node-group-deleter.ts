import { Lazy, TerraformIterator, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { flag, NODE_GROUP_ENV, TeardownCommand } from '../../runtime/teardown/flags';
import { teardownProvisioner } from './teardown-registry';
import { TriggersResource } from './triggers-resource';

/** The CLI's subcommand that deletes one node group and waits until it is gone. */
const DELETE_NODE_GROUP: TeardownCommand = 'delete-node-group';

/** A cluster as the deleter knows it: the object (IMagnumCluster) that its node groups and its teardown name. */
export interface DeleterCluster {
  readonly clusterId: string;
}

/** The deleter of each cluster, per stack (the node groups of an imported cluster may live in any stack). */
const deleters = new WeakMap<object, Map<TerraformStack, NodeGroupDeleter>>();
/** Deleters of clusters given as plain objects, which have no construct path to be named by, per stack. */
const unnamed = new WeakMap<TerraformStack, number>();

/**
 * Deletes a node group and waits until Magnum no longer knows it, when Terraform removes or
 * replaces it on a running platform: before terraform-provider-openstack's own delete, which
 * cannot finish on Magnum 15 (Zed). Magnum shows a deleted node group as `CREATE_COMPLETE`
 * until it is gone, and provider 3.4.0's `resourceContainerInfraNodeGroupV1Delete` waits
 * with Pending `DELETE_IN_PROGRESS`, Target `DELETE_COMPLETE`, so it fails with "unexpected
 * state 'CREATE_COMPLETE'". After this deleter the provider reads a 404, which its
 * `CheckDeleted` takes as deleted. (At stack destroy the cluster's `ClusterTeardown` is ordered
 * before this deleter and deletes an owned cluster's groups first, as before: the deleter then
 * finds them gone.)
 *
 * One `terraform_data` per cluster, with one instance per node group (`for_each`, keyed by
 * the group's construct path): `triggers_replace = { node_group = <the group's id> }`
 * (`<cluster UUID>/<node group UUID>`), a reference, so each instance is destroyed before
 * its group, when the group is removed or replaced (ForceNew of flavor, image, labels, role,
 * docker volume size). Its destroy-time `local-exec` runs the teardown CLI's
 * `delete-node-group`. A group's own resource cannot carry it: Terraform runs a destroy-time
 * provisioner only while its resource block is in the configuration, and a group removed from
 * the code takes its block along; this block stays while its cluster has a `ClusterTeardown`,
 * or any node group in the stack (removing a cluster's last group works only with the former).
 *
 * The command line holds only the teardown command and fixed words: the id pair travels in
 * the provisioner's environment (`MAGNUM_CDKTF_TEARDOWN_NODE_GROUP`, from `self`), and so
 * does the cloud name (`OS_CLOUD`), which Terraform hands to the process without a shell.
 * Command and cloud are the cluster's `ClusterTeardown`'s, read at synth, whichever is made
 * first; without one, DEFAULT_TEARDOWN_COMMAND and the environment's `OS_CLOUD` / `OS_*`.
 * They are not triggers: changing them replaces nothing (which would delete live groups).
 */
export class NodeGroupDeleter extends Construct {
  /** The deleter of `cluster`'s node groups in `stack`, made on first use (under the cluster, when it is a construct of that stack). */
  public static of(cluster: DeleterCluster, stack: TerraformStack): NodeGroupDeleter {
    const byStack = deleters.get(cluster) ?? new Map<TerraformStack, NodeGroupDeleter>();
    deleters.set(cluster, byStack);
    const found = byStack.get(stack);
    if (found) return found;
    let made: NodeGroupDeleter;
    if (Construct.isConstruct(cluster) && TerraformStack.of(cluster) === stack) {
      made = new NodeGroupDeleter(cluster, 'NodeGroupDeleter', cluster);
    } else if (Construct.isConstruct(cluster)) {
      made = new NodeGroupDeleter(stack, `NodeGroupDeleter-${cluster.node.path.split('/').join('-')}`, cluster);
    } else {
      const n = (unnamed.get(stack) ?? 0) + 1;
      unnamed.set(stack, n);
      made = new NodeGroupDeleter(stack, `NodeGroupDeleter-${n}`, cluster);
    }
    byStack.set(stack, made);
    return made;
  }

  /** The `terraform_data` carrying the destroy-time provisioner, one instance per node group. */
  public readonly resource: TriggersResource;
  private readonly groups = new Map<string, string>();

  private constructor(scope: Construct, id: string, cluster: DeleterCluster) {
    super(scope, id);
    // Groups may be added, and the cluster's ClusterTeardown made, after this construct: all is read at synth.
    const each = TerraformIterator.fromMap(Lazy.anyValue({ produce: () => Object.fromEntries(this.groups) }));
    this.resource = new TriggersResource(
      this,
      'Resource',
      { node_group: each.value },
      {
        forEach: each,
        // Destroy-time provisioners may only read `self`: the id pair is taken from the trigger.
        provisioners: [
          teardownProvisioner(cluster, DELETE_NODE_GROUP, flag('nodeGroupFromEnv'), { [NODE_GROUP_ENV]: '${self.triggers_replace.node_group}' }, 'destroy'),
        ],
      },
    );
  }

  /** The address for `depends_on`: whatever depends on it is destroyed before any of its instances. */
  public get address(): string {
    return `${this.resource.terraformResourceType}.${this.resource.friendlyUniqueId}`;
  }

  /** Deletes `group` (a construct of this deleter's stack) before Terraform does; `nodeGroupId` is the provider's id of it. */
  public add(group: Construct, nodeGroupId: string): void {
    const stackPath = TerraformStack.of(this).node.path;
    this.groups.set(group.node.path.slice(stackPath.length + 1), nodeGroupId);
  }
}
