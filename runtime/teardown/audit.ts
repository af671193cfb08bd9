import { forEachLimited, OpenStackClient, statusOf } from '../openstack';
import { CSI_CLUSTER_METADATA, isUuid, parseDescription } from './matchers';
import { ResourceKind } from './plan';

/** Options of {@link auditOrphans}. */
export interface AuditOptions {
  /** Every project's resources, not only the token's project; needs the admin role. @default false */
  readonly allProjects?: boolean;
}

/** A cloud-provider resource whose cluster Magnum no longer knows. */
export interface OrphanResource {
  readonly kind: ResourceKind;
  readonly id: string;
  readonly name: string;
  readonly projectId?: string;
  /** The cluster UUID its description (or CSI metadata) names. */
  readonly clusterId: string;
  /** The description or metadata the UUID was read from. */
  readonly evidence: string;
}

/** What an audit found. */
export interface AuditReport {
  /** The project audited, or undefined for all projects. */
  readonly projectId?: string;
  /** Cloud-provider resources looked at (those naming any cluster). */
  readonly candidates: number;
  /** Cluster UUIDs Magnum still knows. */
  readonly liveClusters: string[];
  /** Cluster UUIDs Magnum would not show (403, or 400 mid-delete): their resources are not called orphans. */
  readonly unverifiedClusters: string[];
  /**
   * Cluster names in descriptions that are not UUIDs (a capi-helm cluster's `stack_id`, a cloud provider started outside
   * Magnum): Magnum cannot be asked about them, so their resources are neither counted nor called orphans.
   */
  readonly otherClusterNames: string[];
  readonly orphans: OrphanResource[];
}

/** Lists, for a project (or every project as admin), cloud-provider resources whose cluster no longer exists in Magnum. */
export async function auditOrphans(client: OpenStackClient, options: AuditOptions = {}): Promise<AuditReport> {
  if (options.allProjects && !client.session.isAdmin) {
    throw new Error('auditing all projects needs the admin role, which this token does not carry. Fix: drop --all-projects, or use an admin cloud entry.');
  }
  const projectId = options.allProjects ? undefined : client.session.projectId;
  const { candidates, otherClusterNames } = await listCandidates(client, projectId, options.allProjects ?? false);
  const clusterIds = [...new Set(candidates.map((c) => c.clusterId))];
  const known = new Map<string, boolean | undefined>();
  await forEachLimited(clusterIds, 8, async (id) => {
    try {
      known.set(id, (await client.getCluster(id)) !== undefined);
    } catch (error) {
      // 403: not ours to see; 400: Magnum 15 fails to render a cluster mid-delete (master_count 0). Neither proves it gone.
      if (![400, 403].includes(statusOf(error) ?? 0)) throw error;
      known.set(id, undefined);
    }
  });
  return {
    projectId,
    candidates: candidates.length,
    liveClusters: clusterIds.filter((id) => known.get(id) === true),
    unverifiedClusters: clusterIds.filter((id) => known.get(id) === undefined),
    otherClusterNames,
    orphans: candidates.filter((c) => known.get(c.clusterId) === false),
  };
}

/** Every resource whose description (or a volume's CSI metadata) names a cluster UUID, and the other cluster names descriptions give. */
async function listCandidates(
  client: OpenStackClient,
  projectId: string | undefined,
  allProjects: boolean,
): Promise<{ candidates: OrphanResource[]; otherClusterNames: string[] }> {
  const [lbs, fips, sgs, volumes] = await Promise.all([
    client.listLoadBalancers({ projectId }),
    client.listFloatingIps({ projectId }),
    client.listSecurityGroups({ projectId }),
    client.listVolumes({ allProjects }),
  ]);
  const described = [
    ...lbs.map((r) => ({ kind: 'loadbalancer' as const, id: r.id, name: r.name, projectId: r.projectId, description: r.description })),
    ...fips.map((r) => ({ kind: 'floatingip' as const, id: r.id, name: r.address, projectId: r.projectId, description: r.description })),
    ...sgs.map((r) => ({ kind: 'securitygroup' as const, id: r.id, name: r.name, projectId: r.projectId, description: r.description })),
  ];
  const out: OrphanResource[] = [];
  const others = new Set<string>();
  for (const { description, ...r } of described) {
    const parsed = parseDescription(description);
    // A load balancer description proves nothing about floating IPs and vice versa: the kind must agree.
    if (!parsed?.kind.endsWith(r.kind === 'loadbalancer' ? 'loadbalancer' : r.kind)) continue;
    if (parsed.clusterId) out.push({ ...r, clusterId: parsed.clusterId, evidence: `description "${description}"` });
    else others.add(parsed.clusterName);
  }
  for (const v of volumes) {
    const named = v.metadata[CSI_CLUSTER_METADATA];
    // Magnum's Heat driver sets `kubernetes` for every cluster: only a UUID names one.
    if (named && isUuid(named)) {
      out.push({
        kind: 'volume',
        id: v.id,
        name: v.name,
        projectId: v.projectId,
        clusterId: named.toLowerCase(),
        evidence: `metadata ${CSI_CLUSTER_METADATA}=${named}`,
      });
    }
  }
  return { candidates: out, otherClusterNames: [...others].sort() };
}
