import { OpenStackClient, statusOf, Volume } from '../openstack';
import { ClusterMatcher, CSI_CLUSTER_METADATA } from './matchers';

/** What the teardown deletes. */
export type ResourceKind = 'loadbalancer' | 'floatingip' | 'securitygroup' | 'volume';

/** The order kinds are deleted in: a floating IP outlives its load balancer's VIP port, a security group its ports. */
export const DELETE_ORDER: readonly ResourceKind[] = ['loadbalancer', 'floatingip', 'securitygroup', 'volume'];

/** One resource proven to belong to the cluster. */
export interface PlannedResource {
  readonly kind: ResourceKind;
  readonly id: string;
  readonly name: string;
  /** Why it belongs to the cluster: the matched description, the attachment or the CSI metadata. */
  readonly evidence: string;
}

/** A resource that looked like the cluster's but is left alone, and why. */
export interface SkippedResource {
  readonly kind: ResourceKind;
  readonly id: string;
  readonly name: string;
  readonly reason: string;
}

/** Everything a teardown would delete for one cluster. Plain data: safe to print as JSON. */
export interface TeardownPlan {
  /** The canonical cluster UUID. */
  readonly clusterId: string;
  readonly includeVolumes: boolean;
  /** In {@link DELETE_ORDER}. */
  readonly resources: PlannedResource[];
  readonly skipped: SkippedResource[];
  /** Nova servers of the cluster's Heat stacks (volumes attached to them are detached before delete). */
  readonly clusterServerIds: string[];
  /** What limited the proof (e.g. Magnum could not show the cluster), for the operator. */
  readonly warnings: string[];
}

/** Options of {@link planTeardown}. */
export interface PlanOptions {
  /** The cluster's full UUID. */
  readonly clusterId: string;
  /** Also plan the cluster's volumes (attached to its servers, or CSI metadata naming its UUID); destroys their data. @default false */
  readonly includeVolumes?: boolean;
  /** Only these kinds (a benchmark of one kind's deletes); the others are neither deleted nor counted as remaining. @default - every kind */
  readonly kinds?: readonly ResourceKind[];
}

/** Lists what belongs to the cluster: exact description matches, and volumes only with proof of ownership. */
export async function planTeardown(client: OpenStackClient, options: PlanOptions): Promise<TeardownPlan> {
  const match = new ClusterMatcher(options.clusterId);
  const [lbs, fips, sgs] = await Promise.all([client.listLoadBalancers(), client.listFloatingIps(), client.listSecurityGroups()]);
  const resources: PlannedResource[] = [];
  const skipped: SkippedResource[] = [];
  for (const lb of lbs) {
    const verdict = match.loadBalancer(lb);
    if (verdict.conflict) skipped.push({ kind: 'loadbalancer', id: lb.id, name: lb.name, reason: verdict.evidence });
    if (verdict.matched && lb.provisioningStatus !== 'DELETED') resources.push({ kind: 'loadbalancer', id: lb.id, name: lb.name, evidence: verdict.evidence });
  }
  resources.push(
    ...fips
      .filter((f) => match.floatingIp(f))
      .map((f) => ({ kind: 'floatingip' as const, id: f.id, name: f.address, evidence: `description "${f.description}"` })),
  );
  resources.push(
    ...sgs
      .filter((sg) => match.securityGroup(sg))
      .map((sg) => ({ kind: 'securitygroup' as const, id: sg.id, name: sg.name, evidence: `description "${sg.description}"` })),
  );
  let clusterServerIds: string[] = [];
  const warnings: string[] = [];
  if (options.includeVolumes) {
    const owned = await clusterOwnership(client, match.clusterId, warnings);
    clusterServerIds = [...owned.servers];
    const volumes = await client.listVolumes({ allProjects: client.session.isAdmin });
    for (const verdict of volumes.map((v) => volumeVerdict(v, match.clusterId, owned))) {
      if (verdict?.skip) skipped.push(verdict.skip);
      if (verdict?.plan) resources.push(verdict.plan);
    }
  }
  const wanted = (r: { kind: ResourceKind }) => options.kinds?.includes(r.kind) ?? true;
  return {
    clusterId: match.clusterId,
    includeVolumes: options.includeVolumes ?? false,
    resources: resources.filter(wanted),
    skipped: skipped.filter(wanted),
    clusterServerIds,
    warnings,
  };
}

/** What the cluster's Heat stacks hold: its servers, and every resource Heat owns (and so deletes itself). */
interface Ownership {
  readonly servers: Set<string>;
  readonly heatOwned: Set<string>;
}

/** Reads the cluster's Heat stacks (nested ones included); a cluster Magnum no longer knows owns no servers. */
async function clusterOwnership(client: OpenStackClient, clusterId: string, warnings: string[]): Promise<Ownership> {
  const owned: Ownership = { servers: new Set(), heatOwned: new Set() };
  let cluster;
  try {
    cluster = await client.getCluster(clusterId);
  } catch (error) {
    // Magnum 15 answers 400 for a cluster whose node groups are being deleted: prove by CSI metadata only.
    if (statusOf(error) !== 400) throw error;
    warnings.push(`Magnum could not show cluster ${clusterId} (HTTP 400): volumes are matched by CSI metadata only, not by attachment`);
  }
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

const ROOT_DEVICE = /^\/dev\/(x?vd|sd|hd)a$/;

/** A volume is the cluster's if attached to its servers or named by CSI metadata; Heat's own (docker, etcd) volumes stay Heat's. */
function volumeVerdict(v: Volume, clusterId: string, owned: Ownership): { plan?: PlannedResource; skip?: SkippedResource } | undefined {
  const csi = v.metadata[CSI_CLUSTER_METADATA] === clusterId;
  const server = v.attachedServerIds.find((s) => owned.servers.has(s));
  if (!csi && !server) return undefined;
  if (owned.heatOwned.has(v.id)) {
    return { skip: { kind: 'volume', id: v.id, name: v.name, reason: "a resource of the cluster's Heat stack: Magnum deletes it with the cluster" } };
  }
  // A server's root disk (boot from volume) cannot be detached and goes with the server.
  if (server && v.attachedDevices.some((d) => ROOT_DEVICE.test(d) || (d === '' && v.bootable))) {
    return { skip: { kind: 'volume', id: v.id, name: v.name, reason: `the boot volume of cluster server ${server}: it goes with the server` } };
  }
  const evidence = csi ? `metadata ${CSI_CLUSTER_METADATA}=${clusterId}` : `attached to cluster server ${server}`;
  return { plan: { kind: 'volume', id: v.id, name: v.name, evidence } };
}
