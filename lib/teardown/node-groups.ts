import { OpenStackClient } from './openstack-client';
import { BackoffPolicy } from './private/backoff';
import { deleteAndWaitGone } from './private/magnum-delete';

/** Options of {@link deleteNodeGroups}. */
export interface NodeGroupDeleteOptions {
  /** Report what would be deleted, delete nothing. @default false */
  readonly dryRun?: boolean;
  /** Seconds to wait for all the groups to be gone. @default 600 */
  readonly timeoutSeconds?: number;
  /** Waits between polls and between retries of a refused delete. @default - 1 s doubling to 10 s, with jitter */
  readonly backoff?: BackoffPolicy;
  /** One line per step. @default - none */
  readonly onLine?: (line: string) => void;
  /** Stops waiting; a re-run converges. @default - never */
  readonly signal?: AbortSignal;
}

/** What became of each node group. */
export interface NodeGroupDeleteResult {
  /** Gone now (deleted by this run, or already absent). */
  readonly gone: string[];
  readonly failed: { readonly name: string; readonly error: string }[];
}

/**
 * Deletes named node groups of a cluster and waits until Magnum no longer knows them.
 *
 * Why this exists: Magnum 15 (Zed) keeps reporting a deleted node group as
 * CREATE_COMPLETE until it disappears, and terraform-provider-openstack 3.4.0 waits
 * for DELETE_IN_PROGRESS/DELETE_COMPLETE only, so its own delete fails with an
 * unexpected state. Run before the provider's delete, this leaves the provider a
 * 404, which it takes as already deleted. Idempotent: absent groups count as gone.
 */
export async function deleteNodeGroups(client: OpenStackClient, clusterId: string, names: string[], options: NodeGroupDeleteOptions = {}): Promise<NodeGroupDeleteResult> {
  const say = options.onLine ?? (() => undefined);
  const deadline = Date.now() + (options.timeoutSeconds ?? 600) * 1000;
  const backoff = options.backoff ?? { baseMs: 1_000, maxMs: 10_000 };
  const outcomes = await Promise.all(names.map(async (name) => {
    try {
      if (options.dryRun) {
        const status = await client.getNodeGroupStatus(clusterId, name);
        say(status === undefined ? `node group ${name}: already gone` : `would delete node group ${name} (${status})`);
        return { name };
      }
      const deleted = await deleteAndWaitGone({
        delete: () => client.deleteNodeGroup(clusterId, name),
        status: () => client.getNodeGroupStatus(clusterId, name),
      }, {
        deadline, timeoutSeconds: options.timeoutSeconds ?? 600, backoff, signal: options.signal,
        onRefused: (error) => say(`  node group ${name}: Magnum refused the delete for now (${error.message}); retrying`),
        onAccepted: () => say(`deleting node group ${name}…`),
      });
      if (!deleted) {
        say(`node group ${name}: already gone`);
        return { name };
      }
      say(`deleted node group ${name}`);
      return { name };
    } catch (error) {
      say(`FAILED node group ${name}: ${(error as Error).message}`);
      return { name, error: (error as Error).message };
    }
  }));
  return {
    gone: options.dryRun ? [] : outcomes.filter((o) => o.error === undefined).map((o) => o.name),
    failed: outcomes.filter((o): o is { name: string; error: string } => o.error !== undefined),
  };
}
