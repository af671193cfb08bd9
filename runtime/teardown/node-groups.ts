import { backoffDelayMs, NodeGroupSummary, OpenStackClient, sleep } from '../openstack';
import { TEARDOWN_DEFAULTS } from './execute';
import { deleteAndWaitGone, MAGNUM_POLL_BACKOFF, MagnumWaitOptions } from './magnum-delete';

/** What became of each node group. */
export interface NodeGroupDeleteResult {
  /** Gone now (deleted by this run, or already absent). */
  readonly gone: string[];
  readonly failed: { readonly name: string; readonly error: string }[];
}

/** A node group to delete: its name for the progress lines, and how Magnum's API addresses it (UUID, else the name). */
export interface NodeGroupRef {
  readonly name: string;
  readonly ref: string;
}

/**
 * The node groups a teardown deletes: with `added`, every group of the cluster that is not
 * one of its defaults (Magnum's `is_default`: the master and worker groups the cluster was
 * created with, which Magnum refuses to delete), plus the groups named. Read from Magnum, so
 * no name ever passes through a configuration or a shell; addressed by UUID where Magnum
 * listed it. None when Magnum no longer knows the cluster.
 */
export async function selectNodeGroups(
  client: OpenStackClient,
  clusterId: string,
  selection: { added: boolean; names: readonly string[] },
): Promise<NodeGroupRef[]> {
  if (!selection.added && selection.names.length === 0) return [];
  const listed: NodeGroupSummary[] = await client.listNodeGroups(clusterId);
  const chosen = [
    ...(selection.added ? listed.filter((g) => !g.isDefault) : []),
    ...selection.names.map((name) => listed.find((g) => g.name === name) ?? { name, uuid: undefined }),
  ];
  const refs = chosen.map((g) => ({ name: g.name, ref: g.uuid ?? g.name }));
  return refs.filter((g, i) => refs.findIndex((o) => o.ref === g.ref) === i);
}

/**
 * Deletes node groups of a cluster and waits until Magnum no longer knows them.
 *
 * Why this exists: Magnum 15 (Zed) keeps reporting a deleted node group as
 * CREATE_COMPLETE until it disappears, and terraform-provider-openstack 3.4.0 waits
 * for DELETE_IN_PROGRESS/DELETE_COMPLETE only, so its own delete fails with an
 * unexpected state. Run before the provider's delete, this leaves the provider a
 * 404, which it takes as already deleted. Idempotent: absent groups count as gone.
 */
export async function deleteNodeGroups(
  client: OpenStackClient,
  clusterId: string,
  groups: readonly NodeGroupRef[],
  options: MagnumWaitOptions = {},
): Promise<NodeGroupDeleteResult> {
  const say = options.onLine ?? (() => undefined);
  const outcomes = await Promise.all(
    groups.map(async ({ name, ref }) => {
      try {
        if (options.dryRun) {
          const status = await client.getNodeGroupStatus(clusterId, ref);
          say(status === undefined ? `node group ${name}: already gone` : `would delete node group ${name} (${status})`);
          return { name };
        }
        const deleted = await deleteAndWaitGone(
          {
            label: `node group ${name}`,
            acceptedLine: `deleting node group ${name}…`,
            delete: () => client.deleteNodeGroup(clusterId, ref),
            status: () => client.getNodeGroupStatus(clusterId, ref),
          },
          options,
        );
        say(deleted ? `deleted node group ${name}` : `node group ${name}: already gone`);
        return { name };
      } catch (error) {
        say(`FAILED node group ${name}: ${(error as Error).message}`);
        return { name, error: (error as Error).message };
      }
    }),
  );
  return {
    gone: options.dryRun ? [] : outcomes.filter((o) => o.error === undefined).map((o) => o.name),
    failed: outcomes.filter((o): o is { name: string; error: string } => o.error !== undefined),
  };
}

/**
 * The cluster statuses in which Magnum's conductor takes a resize up (`cluster_resize`'s
 * `allow_update_status`, conductor/handlers/cluster_conductor.py, Zed). In any other it refuses
 * after the API's 202, leaving the group as it was: a resize there is refused here, at once.
 */
const RESIZABLE_CLUSTER_STATUSES: readonly string[] = [
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'RESUME_COMPLETE',
  'RESTORE_COMPLETE',
  'ROLLBACK_COMPLETE',
  'SNAPSHOT_COMPLETE',
  'CHECK_COMPLETE',
  'ADOPT_COMPLETE',
  'UPDATE_FAILED',
  'UPDATE_IN_PROGRESS',
];

/** The autoscaler bounds a node group must show before it is resized; an undefined side is not waited for. */
export interface NodeBounds {
  readonly min?: number;
  readonly max?: number;
}

/** What a resize did. */
export interface NodeGroupResizeResult {
  /** The group's node count before. */
  readonly from: number;
  readonly to: number;
  /** Whether Magnum was asked to resize (false: it had the count already, or a dry run). */
  readonly resized: boolean;
}

/**
 * Gives a node group `nodeCount` nodes and waits until Magnum shows it `UPDATE_COMPLETE` with
 * that count.
 *
 * Why this exists: terraform-provider-openstack 3.4.0 resizes a node group and polls it at
 * once (no delay) for Pending `UPDATE_IN_PROGRESS`, Target `UPDATE_COMPLETE`. Magnum's API
 * answers 202 and its conductor marks the group only later, so a poll that comes first reads
 * the group's old status (`CREATE_COMPLETE` after its create) and the apply fails with
 * "unexpected state 'CREATE_COMPLETE'" while the resize goes on. Here the end is told apart
 * from the start without timing: the conductor saves the new count with `UPDATE_IN_PROGRESS` in
 * one write, so `UPDATE_COMPLETE` with the new count is this resize done. It fails as
 * `UPDATE_FAILED`: with the old count back when the conductor's own step fails, with the new
 * one when Heat fails and Magnum's periodic job says so.
 *
 * First waits until the group shows `bounds` (Magnum applies a new bound asynchronously, and its
 * resize API checks the saved ones) and neither the cluster nor the group is in progress (a
 * resize taken while Heat updates the stack fails it); last, until the cluster is done too (the
 * next change must not meet it busy). Idempotent: a group that has the count, and did not fail,
 * is not resized again, so a re-run after an interruption waits for the resize in flight.
 */
export async function resizeNodeGroup(
  client: OpenStackClient,
  clusterId: string,
  nodeGroupId: string,
  nodeCount: number,
  options: MagnumWaitOptions & { readonly bounds?: NodeBounds } = {},
): Promise<NodeGroupResizeResult> {
  const say = options.onLine ?? (() => undefined);
  const timeoutSeconds = options.timeoutSeconds ?? TEARDOWN_DEFAULTS.timeoutSeconds;
  const deadline = Date.now() + timeoutSeconds * 1000;
  const backoff = options.backoff ?? MAGNUM_POLL_BACKOFF;
  const gone = () => new Error(`Magnum does not know node group ${nodeGroupId} of cluster ${clusterId} (or the cluster): nothing to resize`);
  let label = `node group ${nodeGroupId} of cluster ${clusterId}`;
  const shown = (min?: number, max?: number) => `${min ?? ''}..${max ?? ''}`;
  /** Polls until the group shows the bounds and nothing is in progress; `then` says where things stand at the timeout. */
  const settled = async (then: string, bounds: NodeBounds = {}) => {
    for (let attempt = 0; ; attempt++) {
      const [group, cluster] = await Promise.all([client.getNodeGroup(clusterId, nodeGroupId), client.getCluster(clusterId)]);
      if (!group || !cluster) throw gone();
      label = `node group ${group.name} (${group.uuid}) of cluster ${clusterId}`;
      const busy = [cluster.status, group.status].find((s) => /_IN_PROGRESS$/.test(s ?? ''));
      const boundsPending = [
        bounds.min === undefined || bounds.min === group.minNodeCount,
        bounds.max === undefined || bounds.max === group.maxNodeCount,
      ].includes(false);
      const waitingFor =
        busy ?? (boundsPending ? `bounds ${shown(group.minNodeCount, group.maxNodeCount)}, not yet ${shown(bounds.min, bounds.max)}` : undefined);
      if (!waitingFor) return { group, cluster };
      if (Date.now() > deadline) throw new Error(`${label}: still ${waitingFor} after ${timeoutSeconds} s; ${then}`);
      if (attempt === 0) say(`  ${label}: waiting until Magnum has finished (${waitingFor})`);
      await sleep(backoffDelayMs(attempt, backoff), options.signal);
    }
  };
  const { group, cluster } = await settled('nothing resized', options.bounds);
  const result = { from: group.nodeCount, to: nodeCount };
  if (group.nodeCount === nodeCount && !/_FAILED$/.test(group.status)) {
    say(`${label} has ${nodeCount} node(s) already (${group.status})`);
    return { ...result, resized: false };
  }
  if (!RESIZABLE_CLUSTER_STATUSES.includes(cluster.status ?? '')) {
    throw new Error(`${label}: Magnum resizes no node group of a cluster in ${cluster.status}; repair or replace the cluster first`);
  }
  if (options.dryRun) {
    say(`would resize ${label} from ${group.nodeCount} to ${nodeCount} node(s) (${group.status})`);
    return { ...result, resized: false };
  }
  // A refusal (400: out of the group's bounds, a master group) is final and thrown with Magnum's words.
  await client.resizeNodeGroup(clusterId, group.uuid, nodeCount);
  say(`resizing ${label} from ${group.nodeCount} to ${nodeCount} node(s)…`);
  for (let attempt = 0; ; attempt++) {
    const now = await client.getNodeGroup(clusterId, group.uuid);
    if (!now) throw gone();
    if (now.nodeCount === nodeCount && now.status === 'UPDATE_COMPLETE') break;
    // A failure from before this resize reads the same until the conductor takes it up (updated_at has whole seconds).
    const failedBefore = group.status === 'UPDATE_FAILED' && now.updatedAt === group.updatedAt && now.statusReason === group.statusReason;
    if (now.status === 'UPDATE_FAILED' && !failedBefore) {
      throw new Error(`${label}: Magnum failed the resize (UPDATE_FAILED: ${now.statusReason ?? 'no reason given'})`);
    }
    if (Date.now() > deadline) throw new Error(`${label}: not resized after ${timeoutSeconds} s (${now.status}, ${now.nodeCount} node(s))`);
    await sleep(backoffDelayMs(attempt, backoff), options.signal);
  }
  // Magnum's periodic job marks the cluster too: a change applied next must not meet it in progress.
  await settled(`the group has ${nodeCount} node(s)`);
  say(`resized ${label} to ${nodeCount} node(s)`);
  return { ...result, resized: true };
}
