import { NodeGroupSummary, OpenStackClient } from '../openstack';
import { deleteAndWaitGone, MagnumDeleteOptions } from './magnum-delete';

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
  options: MagnumDeleteOptions = {},
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
