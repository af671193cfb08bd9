import { OpenStackClient, OpenStackHttpError, statusOf } from '../openstack';
import { deleteAndWaitGone, MagnumDeleteFailedError, MagnumWaitOptions } from './magnum-delete';
import { NodeGroupDeleteResult } from './node-groups';

/**
 * The statuses in which terraform-provider-openstack 3.4.0 cannot delete a cluster:
 * its delete reads the status right after the request, still the old one, and
 * takes it as an error (its `containerInfraClusterV1StateRefreshFunc`).
 */
export const FAILED_CLUSTER_STATUSES: readonly string[] = ['CREATE_FAILED', 'UPDATE_FAILED', 'DELETE_FAILED', 'RESUME_FAILED', 'ROLLBACK_FAILED'];

/**
 * Which cluster a teardown deletes after its sweep: `failed`, only one Magnum shows `*_FAILED`
 * (a healthy one is left alone); `any`, the cluster whatever its status.
 */
export type ClusterDeleteScope = 'failed' | 'any';

/** Seconds a teardown waits for Magnum to delete the cluster: terraform-provider-openstack's own default for it. */
export const CLUSTER_DELETE_TIMEOUT_SECONDS = 30 * 60;

/** Times the cluster is deleted again after Heat failed to delete it and a new sweep removed something. */
const CLUSTER_DELETE_ATTEMPTS = 3;

/** What {@link deleteCluster} found and did. */
export interface ClusterDeleteResult {
  /** The cluster's status before (undefined: Magnum did not know it). */
  readonly status?: string;
  /** True when this run deleted the cluster (false in a dry run, or when it was left alone). */
  readonly deleted: boolean;
  /** A dry run that would have deleted it. @default false */
  readonly wouldDelete?: boolean;
  /** Resources the sweeps run while Magnum deleted the cluster removed (see {@link ClusterDeleteOptions.resweep}). */
  readonly resweptResources: number;
  /** Why the delete did not complete. */
  readonly error?: string;
}

/** Options of {@link deleteCluster}. */
export interface ClusterDeleteOptions extends MagnumWaitOptions {
  readonly scope: ClusterDeleteScope;
  /**
   * The sweep again, run when Heat failed to delete the cluster: what a cloud provider still
   * running made since the first sweep (it re-creates a load balancer for a Service that is
   * still there) keeps Neutron from deleting the cluster's network. Resolves the number of
   * resources it deleted; when it deleted some, the cluster is deleted again.
   * @default - none: a DELETE_FAILED fails the delete
   */
  readonly resweep?: () => Promise<number>;
  /** Seconds to wait for the cluster to be gone, every attempt included. @default CLUSTER_DELETE_TIMEOUT_SECONDS */
  readonly clusterTimeoutSeconds?: number;
}

/**
 * Magnum 15's answer to reading a cluster in the last moment of its delete: its periodic job sets the
 * cluster DELETE_COMPLETE, destroys the node groups, then the cluster (service/periodic.py,
 * `ClusterUpdateJob.update_status`). Between the two the API computes `master_count` = 0 from no node
 * groups, and its own type (`IntegerType(minimum=1)`) refuses to render it: HTTP 400 "Invalid input for
 * field/attribute master_count". The cluster's status is DELETE_COMPLETE then.
 */
export function isClusterMidDelete(error: unknown): boolean {
  return statusOf(error) === 400 && error instanceof OpenStackHttpError && /field\/attribute master_count\b/.test(error.message);
}

/**
 * A cluster's status (and its reason) as Magnum holds it, undefined once Magnum no longer knows it;
 * DELETE_COMPLETE for the 400 of {@link isClusterMidDelete}. terraform-provider-openstack 3.4.0's delete
 * wait takes that 400 as a failure and stops `cdktf destroy` when its 10 s poll lands in that moment
 * (seen twice on the local cloud, 2026-12-03); every wait of the teardown reads the status through this instead.
 */
export async function clusterStatus(client: OpenStackClient, clusterId: string): Promise<{ status: string; reason?: string; updatedAt?: string } | undefined> {
  try {
    const cluster = await client.getCluster(clusterId);
    return cluster && { status: cluster.status, reason: cluster.statusReason, updatedAt: cluster.updatedAt };
  } catch (error) {
    if (isClusterMidDelete(error)) return { status: 'DELETE_COMPLETE' };
    throw error;
  }
}

/**
 * Deletes the cluster (per `scope`) and waits until Magnum no longer knows it; Magnum deletes
 * its node groups with it.
 *
 * Why `failed`: provider 3.4.0 deletes a failed cluster and then fails on the stale `*_FAILED`
 * status it reads at once, so `cdktf destroy` of a cluster whose update failed stops with an error.
 * Why `any`: the same provider fails on the 400 of {@link isClusterMidDelete}; and a cloud provider
 * still running while Heat deletes the cluster can re-create what the sweep removed, which this
 * delete answers with {@link ClusterDeleteOptions.resweep}. Run at destroy time before the provider
 * (by ClusterTeardown), this leaves it a 404, which it takes as already deleted.
 * A cluster Magnum is already deleting (a run interrupted while it waited) is only waited for.
 */
export async function deleteCluster(client: OpenStackClient, clusterId: string, options: ClusterDeleteOptions): Promise<ClusterDeleteResult> {
  const say = options.onLine ?? (() => undefined);
  const shown = await clusterStatus(client, clusterId);
  if (shown === undefined) {
    say(`cluster ${clusterId}: already gone`);
    return { deleted: false, resweptResources: 0 };
  }
  const status = shown.status;
  const failed = FAILED_CLUSTER_STATUSES.includes(status);
  if (options.scope === 'failed' && !failed) return { status, deleted: false, resweptResources: 0 };
  const because = failed ? ', which the provider cannot delete in that state' : '';
  if (options.dryRun) {
    say(`would delete cluster ${clusterId} (${describe(shown)})${because}`);
    return { status, deleted: false, wouldDelete: true, resweptResources: 0 };
  }
  // One deadline for every attempt: the wait never runs longer than the provider's own would.
  const timeoutSeconds = options.clusterTimeoutSeconds ?? CLUSTER_DELETE_TIMEOUT_SECONDS;
  const deadline = Date.now() + timeoutSeconds * 1000;
  let resweptResources = 0;
  let before: ShownStatus = shown;
  try {
    for (let attempt = 1; ; attempt++) {
      const busy = before.status === 'DELETE_IN_PROGRESS' || before.status === 'DELETE_COMPLETE';
      const again = attempt > 1 ? ' again' : '';
      const last = before;
      let progressed = false;
      try {
        const deleted = await deleteAndWaitGone(
          {
            label: `cluster ${clusterId}`,
            acceptedLine: busy
              ? `cluster ${clusterId}: Magnum is deleting it already; waiting…`
              : `deleting cluster ${clusterId}${again} (${describe(before)})${attempt === 1 ? because : ''}…`,
            // Deleting it again while Magnum deletes it would only be refused until the wait ends.
            delete: busy ? async () => true : () => client.deleteCluster(clusterId),
            // Magnum's conductor acts on the delete after the API accepted it: until it saves the cluster, a
            // DELETE_FAILED is the one from before (same reason, same update time). A save after it, or a
            // DELETE_FAILED after DELETE_IN_PROGRESS, is news.
            status: async () => {
              const now = await clusterStatus(client, clusterId);
              progressed ||= now?.status === 'DELETE_IN_PROGRESS';
              const stale = last.status === 'DELETE_FAILED' && now?.status === 'DELETE_FAILED' && !progressed && sameSave(now, last);
              return stale ? 'DELETE_IN_PROGRESS' : now?.status;
            },
          },
          { ...options, timeoutSeconds: Math.max(1, (deadline - Date.now()) / 1000) },
        );
        say(deleted ? `deleted cluster ${clusterId}` : `cluster ${clusterId}: already gone`);
        return { status, deleted, resweptResources };
      } catch (error) {
        if (!(error instanceof MagnumDeleteFailedError) || !options.resweep || attempt >= CLUSTER_DELETE_ATTEMPTS) throw error;
        const failedNow = (await clusterStatus(client, clusterId)) ?? { status: 'DELETE_FAILED' };
        say(`cluster ${clusterId}: Heat could not delete it${failedNow.reason ? ` (${failedNow.reason})` : ''}; sweeping again`);
        const removed = await options.resweep();
        resweptResources += removed;
        if (removed === 0) throw error;
        say(`cluster ${clusterId}: the sweep removed ${removed} more`);
        before = failedNow;
      }
    }
  } catch (error) {
    say(`FAILED cluster ${clusterId}: ${(error as Error).message}`);
    return { status, deleted: false, resweptResources, error: (error as Error).message };
  }
}

type ShownStatus = NonNullable<Awaited<ReturnType<typeof clusterStatus>>>;

const describe = (shown: ShownStatus) => `${shown.status}${shown.reason ? `: ${shown.reason}` : ''}`;

/** Whether Magnum has not saved the cluster since `before` was read. */
const sameSave = (now: ShownStatus, before: ShownStatus) => now.reason === before.reason && now.updatedAt === before.updatedAt;

/**
 * What became of the node groups when Magnum deletes them with the cluster (it was deleted,
 * or is gone), one line each: gone with a cluster that is gone, untouched by this run otherwise
 * (in a dry run that would delete the cluster, they would go with it).
 * Undefined when the cluster is healthy and was left alone, or was not checked: its groups are the caller's to delete.
 */
export function nodeGroupsWithCluster(
  cluster: ClusterDeleteResult | undefined,
  names: string[],
  say: (line: string) => void,
): NodeGroupDeleteResult | undefined {
  if (cluster === undefined) return undefined;
  if (cluster.wouldDelete) {
    names.forEach((name) => say(`node group ${name}: would go with the cluster`));
    return { gone: [], failed: [] };
  }
  if (cluster.deleted || cluster.status === undefined) {
    names.forEach((name) => say(`node group ${name}: gone with the cluster`));
    return { gone: names, failed: [] };
  }
  // One this run failed to delete, or a failed one (Magnum deletes its groups with it), keeps its groups as they are.
  if (cluster.error !== undefined || FAILED_CLUSTER_STATUSES.includes(cluster.status)) return { gone: [], failed: [] };
  return undefined;
}
