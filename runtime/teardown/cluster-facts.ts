import { Cluster, OpenStackClient, statusOf } from '../openstack';

/** The cluster as Magnum shows it; when it cannot, why (`unseen`). */
export interface ShownCluster {
  readonly cluster?: Cluster;
  /** Why Magnum shows no cluster, e.g. `Magnum does not know cluster <uuid> (HTTP 404)`. @default - Magnum shows it */
  readonly unseen?: string;
}

/** What the cluster's Heat stacks hold: its servers, and every resource Heat owns (and so deletes itself). */
export interface HeatOwnership {
  /** The Nova servers (OS::Nova::Server) of its stacks and its node groups' stacks. */
  readonly servers: ReadonlySet<string>;
  readonly heatOwned: ReadonlySet<string>;
}

/**
 * What Magnum and the cluster's Heat stacks say about one cluster, each read at most once: the
 * Kubernetes step (the servers its Nodes must be) and the plan (the `stack_id`, the servers whose
 * volumes are the cluster's) share one reading.
 */
export class ClusterFacts {
  private shown?: Promise<ShownCluster>;
  private owned?: Promise<HeatOwnership>;

  constructor(
    private readonly client: OpenStackClient,
    /** The cluster's full UUID, already checked. */
    public readonly clusterId: string,
  ) {}

  /** The cluster as Magnum shows it; Magnum 15's 400 for a cluster whose node groups are being deleted is `unseen`, as a 404 is. */
  public show(): Promise<ShownCluster> {
    this.shown ??= showCluster(this.client, this.clusterId);
    return this.shown;
  }

  /** What its Heat stacks hold (nested ones included); a cluster Magnum cannot show owns nothing. */
  public heatOwnership(): Promise<HeatOwnership> {
    this.owned ??= this.show().then(({ cluster }) => readHeat(this.client, this.clusterId, cluster));
    return this.owned;
  }
}

async function showCluster(client: OpenStackClient, clusterId: string): Promise<ShownCluster> {
  try {
    const cluster = await client.getCluster(clusterId);
    return cluster ? { cluster } : { unseen: `Magnum does not know cluster ${clusterId} (HTTP 404)` };
  } catch (error) {
    // Magnum 15 answers 400 for a cluster whose node groups are being deleted.
    if (statusOf(error) !== 400) throw error;
    return { unseen: `Magnum could not show cluster ${clusterId} (HTTP 400)` };
  }
}

/** Reads the stacks of the cluster and of its node groups; a stack Heat no longer has holds nothing. */
async function readHeat(client: OpenStackClient, clusterId: string, cluster: Cluster | undefined): Promise<HeatOwnership> {
  const owned = { servers: new Set<string>(), heatOwned: new Set<string>() };
  if (!cluster) return owned;
  const stacks = new Set(cluster.stackId ? [cluster.stackId] : []);
  for (const group of await client.listNodeGroups(clusterId)) if (group.stackId) stacks.add(group.stackId);
  for (const stackId of stacks) {
    try {
      for (const r of await client.listStackResources(stackId)) {
        if (r.physicalId) owned.heatOwned.add(r.physicalId);
        if (r.type === 'OS::Nova::Server' && r.physicalId) owned.servers.add(r.physicalId);
      }
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }
  return owned;
}
