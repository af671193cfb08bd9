import { OpenStackClient } from '../openstack';
import { deleteAndWaitGone, MagnumDeleteOptions } from './magnum-delete';
import { NodeGroupDeleteResult } from './node-groups';

/**
 * The statuses in which terraform-provider-openstack 3.4.0 cannot delete a cluster:
 * its delete reads the status right after the request, still the old one, and
 * takes it as an error (its `containerInfraClusterV1StateRefreshFunc`).
 */
export const FAILED_CLUSTER_STATUSES: readonly string[] = ['CREATE_FAILED', 'UPDATE_FAILED', 'DELETE_FAILED', 'RESUME_FAILED', 'ROLLBACK_FAILED'];

/** What {@link deleteFailedCluster} found and did. */
export interface FailedClusterDeleteResult {
  /** The cluster's status before (undefined: Magnum did not know it). */
  readonly status?: string;
  /** True when the cluster was failed and this run deleted it (false in a dry run). */
  readonly deleted: boolean;
  /** Why the delete did not complete. */
  readonly error?: string;
}

/**
 * Deletes a cluster that Magnum shows in a failed state, and waits until it is gone;
 * leaves a healthy cluster alone (Terraform deletes that one itself).
 *
 * Why this exists: provider 3.4.0 deletes a failed cluster and then fails on the
 * stale `*_FAILED` status it reads at once, so `cdktf destroy` of a cluster whose
 * update failed stops with an error. Run at destroy time before the provider
 * (by ClusterTeardown), this leaves it a 404, which it takes as already deleted.
 * Magnum deletes the cluster's node groups with it.
 */
export async function deleteFailedCluster(client: OpenStackClient, clusterId: string, options: MagnumDeleteOptions = {}): Promise<FailedClusterDeleteResult> {
  const say = options.onLine ?? (() => undefined);
  const cluster = await client.getCluster(clusterId);
  if (cluster === undefined) {
    say(`cluster ${clusterId}: already gone`);
    return { deleted: false };
  }
  const status = cluster.status;
  if (!FAILED_CLUSTER_STATUSES.includes(status)) return { status, deleted: false };
  const why = `${status}${cluster.statusReason ? `: ${cluster.statusReason}` : ''}`;
  if (options.dryRun) {
    say(`would delete cluster ${clusterId} (${why}), which the provider cannot delete in that state`);
    return { status, deleted: false };
  }
  try {
    const deleted = await deleteAndWaitGone(
      {
        label: `cluster ${clusterId}`,
        acceptedLine: `deleting cluster ${clusterId} (${why}), which the provider cannot delete in that state…`,
        delete: () => client.deleteCluster(clusterId),
        status: async () => (await client.getCluster(clusterId))?.status,
        statusBefore: status,
      },
      options,
    );
    say(deleted ? `deleted cluster ${clusterId}` : `cluster ${clusterId}: already gone`);
    return { status, deleted };
  } catch (error) {
    say(`FAILED cluster ${clusterId}: ${(error as Error).message}`);
    return { status, deleted: false, error: (error as Error).message };
  }
}

/**
 * What became of the node groups when Magnum deletes them with the cluster (it is
 * failed, or gone): gone with a cluster that is gone, untouched by this run otherwise.
 * Undefined when the cluster is healthy, or was not checked: its groups are the caller's to delete.
 */
export function nodeGroupsWithCluster(cluster: FailedClusterDeleteResult | undefined, names: string[]): NodeGroupDeleteResult | undefined {
  if (cluster === undefined) return undefined;
  const gone = cluster.deleted || cluster.status === undefined;
  if (!gone && !FAILED_CLUSTER_STATUSES.includes(cluster.status!)) return undefined;
  return { gone: gone ? names : [], failed: [] };
}
