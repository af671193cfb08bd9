import { OpenStackClient } from './openstack-client';
import { BackoffPolicy } from './private/backoff';
import { deleteAndWaitGone } from './private/magnum-delete';

/**
 * The statuses in which terraform-provider-openstack 3.4.0 cannot delete a cluster:
 * its delete reads the status right after the request, still the old one, and
 * takes it as an error (its `containerInfraClusterV1StateRefreshFunc`).
 */
export const FAILED_CLUSTER_STATUSES: readonly string[] = ['CREATE_FAILED', 'UPDATE_FAILED', 'DELETE_FAILED', 'RESUME_FAILED', 'ROLLBACK_FAILED'];

/** Options of {@link deleteFailedCluster}. */
export interface FailedClusterDeleteOptions {
  /** Report what would be deleted, delete nothing. @default false */
  readonly dryRun?: boolean;
  /** Seconds to wait for the cluster to be gone. @default 600 */
  readonly timeoutSeconds?: number;
  /** Waits between polls and between retries of a refused delete. @default - 1 s doubling to 10 s, with jitter */
  readonly backoff?: BackoffPolicy;
  /** One line per step. @default - none */
  readonly onLine?: (line: string) => void;
  /** Stops waiting; a re-run converges. @default - never */
  readonly signal?: AbortSignal;
}

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
export async function deleteFailedCluster(client: OpenStackClient, clusterId: string, options: FailedClusterDeleteOptions = {}): Promise<FailedClusterDeleteResult> {
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
  const timeoutSeconds = options.timeoutSeconds ?? 600;
  try {
    const deleted = await deleteAndWaitGone({
      delete: () => client.deleteCluster(clusterId),
      status: async () => (await client.getCluster(clusterId))?.status,
      statusBefore: status,
    }, {
      deadline: Date.now() + timeoutSeconds * 1000, timeoutSeconds, backoff: options.backoff ?? { baseMs: 1_000, maxMs: 10_000 }, signal: options.signal,
      onRefused: (error) => say(`  cluster ${clusterId}: Magnum refused the delete for now (${error.message}); retrying`),
      onAccepted: () => say(`deleting cluster ${clusterId} (${why}), which the provider cannot delete in that state…`),
    });
    say(deleted ? `deleted cluster ${clusterId}` : `cluster ${clusterId}: already gone`);
    return { status, deleted };
  } catch (error) {
    say(`FAILED cluster ${clusterId}: ${(error as Error).message}`);
    return { status, deleted: false, error: (error as Error).message };
  }
}
