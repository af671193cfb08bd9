import { OpenStackClient } from './openstack-client';
import { deleteAndWaitGone, MagnumDeleteOptions } from './private/magnum-delete';

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
export async function deleteNodeGroups(client: OpenStackClient, clusterId: string, names: string[], options: MagnumDeleteOptions = {}): Promise<NodeGroupDeleteResult> {
  const say = options.onLine ?? (() => undefined);
  const outcomes = await Promise.all(names.map(async (name) => {
    try {
      if (options.dryRun) {
        const status = await client.getNodeGroupStatus(clusterId, name);
        say(status === undefined ? `node group ${name}: already gone` : `would delete node group ${name} (${status})`);
        return { name };
      }
      const deleted = await deleteAndWaitGone({
        label: `node group ${name}`, acceptedLine: `deleting node group ${name}…`,
        delete: () => client.deleteNodeGroup(clusterId, name),
        status: () => client.getNodeGroupStatus(clusterId, name),
      }, options);
      say(deleted ? `deleted node group ${name}` : `node group ${name}: already gone`);
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
