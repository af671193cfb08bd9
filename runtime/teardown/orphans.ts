import { Cluster, OpenStackClient, openStackTime } from '../openstack';
import { MagnumWaitOptions } from './magnum-delete';
import { runTeardown } from './run';

/**
 * Clock skew allowed between the machine that ran Terraform (which stamped the claim) and
 * Magnum's (which stamps `created_at`). A cluster the claim must not take, the one a
 * create-before-destroy replacement keeps until its successor runs, was made a whole create
 * (minutes) before the apply that stamped the new claim could even start.
 */
export const CLAIM_SKEW_SECONDS = 60;

/** What proves a cluster an orphan of the creation of `kept`. */
export interface OrphanQuery {
  /** The cluster Terraform created, which its state holds. */
  readonly kept: Cluster;
  /** When Terraform claimed that creation (RFC 3339). @default - no bound */
  readonly claimedAt?: string;
}

/**
 * The orphans of an interrupted create: clusters that a run killed while Magnum created them
 * (its state never got their UUID), and that the run which then created `kept` made again.
 * Anchored on what the state proves ours: the same project, exactly the same name, the same
 * template UUID (the template is in the state), made no earlier than the claim, before `kept`, and not `kept`.
 */
export function orphanClusters(clusters: readonly Cluster[], query: OrphanQuery): Cluster[] {
  const { kept, claimedAt } = query;
  const since = claimedAt === undefined ? -Infinity : Date.parse(claimedAt) - CLAIM_SKEW_SECONDS * 1000;
  const keptAt = openStackTime(kept.createdAt);
  return clusters.filter(
    (c) =>
      c.uuid !== kept.uuid &&
      c.name === kept.name &&
      c.projectId === kept.projectId &&
      kept.templateId !== undefined &&
      c.templateId === kept.templateId &&
      openStackTime(c.createdAt) >= since &&
      // A killed create came before the run that made `kept`: a cluster made later is not its orphan.
      openStackTime(c.createdAt) < keptAt,
  );
}

/** What {@link sweepOrphanClusters} did. */
export interface OrphanSweepResult {
  /** The orphans found, by UUID. */
  readonly found: string[];
  /** Those deleted and waited for (none in a dry run). */
  readonly deleted: string[];
  /** Those not deleted, with why. */
  readonly failed: { readonly uuid: string; readonly error: string }[];
}

/**
 * Deletes the orphans of `keptId`'s creation (see {@link orphanClusters}), each as a cluster is
 * deleted at destroy: its teardown first (what the cloud provider made for it, its node groups),
 * then the cluster, waited for until Magnum answers 404. Idempotent: a re-run finds nothing.
 */
export async function sweepOrphanClusters(
  client: OpenStackClient,
  keptId: string,
  claimedAt: string | undefined,
  options: MagnumWaitOptions = {},
): Promise<OrphanSweepResult> {
  const say = options.onLine ?? (() => undefined);
  const kept = await client.getCluster(keptId);
  if (kept === undefined) throw new Error(`cluster ${keptId} does not exist: nothing to tell its orphans by`);
  if (claimedAt === undefined) {
    // A guard made before claims were kept: without a bound, clusters made long before (another state's on an
    // imported template) would match.
    say(`cluster ${keptId}: its creation has no claim (a guard older than claims), so nothing can be proved an orphan of it`);
    return { found: [], deleted: [], failed: [] };
  }
  const orphans = orphanClusters(await client.listClusterDetails(), { kept, claimedAt });
  const found = orphans.map((c) => c.uuid);
  const why = `named ${JSON.stringify(kept.name)}, from template ${kept.templateId}, made since ${claimedAt ?? 'ever'}, in no state`;
  if (orphans.length === 0) say(`no orphan of cluster ${keptId}`);
  if (options.dryRun) {
    orphans.forEach((c) => say(`would delete orphan cluster ${c.uuid} (${c.status}; ${why})`));
    return { found, deleted: [], failed: [] };
  }
  return { found, ...(await deleteOrphanClusters(client, orphans, why, options)) };
}

/**
 * Deletes clusters proven orphans (by {@link orphanClusters}, or by their template: one that a killed run made and
 * no state held, scripts/lib/unsaved-objects.ts), each as a cluster is deleted at destroy: its teardown first,
 * then the cluster, waited for until Magnum answers 404. `why` says what proved them orphans, for the lines.
 */
export async function deleteOrphanClusters(
  client: OpenStackClient,
  orphans: readonly Cluster[],
  why: string,
  options: MagnumWaitOptions = {},
): Promise<Pick<OrphanSweepResult, 'deleted' | 'failed'>> {
  const say = options.onLine ?? (() => undefined);
  const deleted: string[] = [];
  const failed: { uuid: string; error: string }[] = [];
  for (const orphan of orphans) {
    say(`orphan cluster ${orphan.uuid} (${orphan.status}; ${why}): tearing it down`);
    try {
      const run = await runTeardown(
        client,
        {
          clusterId: orphan.uuid,
          deleteNodeGroups: true,
          deleteCluster: true,
          signal: options.signal,
          backoff: options.backoff,
          clusterTimeoutSeconds: options.timeoutSeconds,
        },
        (event) => {
          if (event.type === 'magnum') say(`  ${event.line}`);
        },
      );
      if (!run.ok) throw new Error(run.cluster?.error ?? (options.signal?.aborted ? 'interrupted' : 'its teardown left resources of it'));
      say(`deleted orphan cluster ${orphan.uuid}`);
      deleted.push(orphan.uuid);
    } catch (error) {
      say(`FAILED orphan cluster ${orphan.uuid}: ${(error as Error).message}`);
      failed.push({ uuid: orphan.uuid, error: (error as Error).message });
    }
  }
  return { deleted, failed };
}
