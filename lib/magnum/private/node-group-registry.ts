import type { IMagnumCluster } from '../magnum-cluster';
import type { NodeGroup } from '../node-group';

/**
 * The node groups made for each cluster object, in the order they were made: whether through
 * `MagnumCluster.addNodeGroup()` or `new NodeGroup(scope, id, { cluster })`, each group is known
 * to its cluster (for its teardown and floating-IP budget) and to its siblings (for unique names).
 */
const groupsByCluster = new WeakMap<IMagnumCluster, NodeGroup[]>();

/** Records `group` as one of `cluster`'s, after the ones made before it. */
export function registerNodeGroup(cluster: IMagnumCluster, group: NodeGroup): void {
  const groups = groupsByCluster.get(cluster) ?? [];
  groups.push(group);
  groupsByCluster.set(cluster, groups);
}

/** The node groups made for `cluster` so far, in order. */
export function nodeGroupsOf(cluster: IMagnumCluster): NodeGroup[] {
  return [...(groupsByCluster.get(cluster) ?? [])];
}
