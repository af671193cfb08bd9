import { Cluster, OpenStackClient, Volume } from '../openstack';
import { ClusterFacts, HeatOwnership } from './cluster-facts';
import { checkClusterId, ClusterMatcher, CSI_CLUSTER_METADATA, isClusterName } from './matchers';

/** What the teardown deletes. */
export type ResourceKind = 'loadbalancer' | 'floatingip' | 'securitygroup' | 'volume';

/** The order kinds are deleted in: a floating IP outlives its load balancer's VIP port, a security group its ports. */
export const DELETE_ORDER: readonly ResourceKind[] = ['loadbalancer', 'floatingip', 'securitygroup', 'volume'];

/** One resource proven to belong to the cluster. */
export interface PlannedResource {
  readonly kind: ResourceKind;
  readonly id: string;
  readonly name: string;
  /** Why it belongs to the cluster: the matched description, the CSI metadata, the cluster's Kubernetes API or the attachment. */
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
  /** The names descriptions were matched on: the UUID, then the cluster's `stack_id` when Magnum shows a different, usable one. */
  readonly clusterNames: string[];
  readonly includeVolumes: boolean;
  /** In {@link DELETE_ORDER}. */
  readonly resources: PlannedResource[];
  readonly skipped: SkippedResource[];
  /** Nova servers of the cluster's Heat stacks (volumes attached to them are detached before delete). */
  readonly clusterServerIds: string[];
  /** What limited the proof (e.g. Magnum could not show the cluster), for the operator. */
  readonly warnings: string[];
}

/** A volume proven the cluster's outside OpenStack (by its Kubernetes API), and how. */
export interface ProvenVolume {
  /** The Cinder volume's id. */
  readonly id: string;
  /** The PersistentVolume's name, which Cinder CSI gives the volume too (`pvc-<claim uid>`). */
  readonly name: string;
  /** Why it belongs to the cluster, as the plan shows it. */
  readonly evidence: string;
}

/** Options of {@link planTeardown}. */
export interface PlanOptions {
  /** The cluster's full UUID. */
  readonly clusterId: string;
  /**
   * Also plan the cluster's volumes (CSI metadata naming its UUID, proven by its Kubernetes API, or attached to its servers);
   * destroys their data. @default false
   */
  readonly includeVolumes?: boolean;
  /**
   * Volumes the cluster's own Kubernetes API proved its (see runKubernetesStep), planned with their evidence when
   * {@link includeVolumes} asks and they are still there. @default - none
   */
  readonly provenVolumes?: readonly ProvenVolume[];
  /** Only these kinds (a benchmark of one kind's deletes); the others are neither deleted nor counted as remaining. @default - every kind */
  readonly kinds?: readonly ResourceKind[];
}

/**
 * Lists what belongs to the cluster: exact description matches (on its UUID and, as the capi-helm driver names it,
 * its `stack_id`), and volumes only with proof of ownership. `facts` lets a run read Magnum and Heat once for the
 * Kubernetes step and the plan.
 */
export async function planTeardown(client: OpenStackClient, options: PlanOptions, facts?: ClusterFacts): Promise<TeardownPlan> {
  const clusterId = checkClusterId(options.clusterId);
  const known = facts?.clusterId === clusterId ? facts : new ClusterFacts(client, clusterId);
  const [shown, lbs, fips, sgs] = await Promise.all([known.show(), client.listLoadBalancers(), client.listFloatingIps(), client.listSecurityGroups()]);
  const warnings: string[] = [];
  if (shown.unseen) warnings.push(`${shown.unseen}: ${options.includeVolumes ? UNSEEN_WITH_VOLUMES : UNSEEN}`);
  const match = new ClusterMatcher(clusterId, usableStackId(clusterId, shown.cluster, warnings));
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
      .map((f) => ({ kind: 'floatingip' as const, id: f.id, name: f.address, evidence: match.evidence(f.description) })),
  );
  resources.push(
    ...sgs
      .filter((sg) => match.securityGroup(sg))
      .map((sg) => ({ kind: 'securitygroup' as const, id: sg.id, name: sg.name, evidence: match.evidence(sg.description) })),
  );
  let clusterServerIds: string[] = [];
  if (options.includeVolumes) {
    const owned = await known.heatOwnership();
    clusterServerIds = [...owned.servers];
    // A volume the Kubernetes API names is the cluster's only when it also bears that name and lives in the cluster's project.
    const project = shown.cluster?.projectId;
    const proven = new Map((options.provenVolumes ?? []).map((v) => [v.id, v]));
    const provenHere = (v: Volume) => {
      const p = proven.get(v.id);
      return p && p.name === v.name && (project === undefined || v.projectId === undefined || v.projectId === project) ? p.evidence : undefined;
    };
    const volumes = await client.listVolumes({ allProjects: client.session.isAdmin });
    for (const verdict of volumes.map((v) => volumeVerdict(v, match.clusterId, owned, provenHere(v)))) {
      if (verdict?.skip) skipped.push(verdict.skip);
      if (verdict?.plan) resources.push(verdict.plan);
    }
  }
  const wanted = (r: { kind: ResourceKind }) => options.kinds?.includes(r.kind) ?? true;
  return {
    clusterId: match.clusterId,
    clusterNames: match.clusterNames,
    includeVolumes: options.includeVolumes ?? false,
    resources: resources.filter(wanted),
    skipped: skipped.filter(wanted),
    clusterServerIds,
    warnings,
  };
}

/** What a cluster Magnum cannot show leaves unproven. */
const UNSEEN = 'load balancers, floating IPs and security groups are matched by its UUID only, not by its stack_id';
const UNSEEN_WITH_VOLUMES =
  'volumes are matched by CSI metadata only, not by attachment, and load balancers, floating IPs and ' +
  'security groups by its UUID only, not by its stack_id';

/** The cluster's `stack_id` when it may be matched as a name (the capi-helm driver gives it to the cloud provider); else a warning says why not. */
/** occm's and Cinder CSI's default cluster name (Magnum's Heat driver passes it to Cinder CSI): it names no one cluster. */
const SHARED_CLUSTER_NAME = 'kubernetes';

function usableStackId(clusterId: string, cluster: Cluster | undefined, warnings: string[]): string | undefined {
  const stackId = cluster?.stackId || undefined;
  if (stackId === SHARED_CLUSTER_NAME) {
    warnings.push(
      `Magnum shows cluster ${clusterId} with stack_id "${SHARED_CLUSTER_NAME}", the name every cloud provider left at its default ` +
        `goes by: not matched as a name, since it would prove other clusters' resources too`,
    );
    return undefined;
  }
  if (stackId === undefined || isClusterName(stackId)) return stackId;
  warnings.push(
    `Magnum shows cluster ${clusterId} with stack_id ${JSON.stringify(stackId)}, neither a UUID nor a DNS-1123 label (lower-case letters, ` +
      `digits and '-', at most 63 characters): not matched as a name, so what the cloud provider named by it is not found`,
  );
  return undefined;
}

const ROOT_DEVICE = /^\/dev\/(x?vd|sd|hd)a$/;

/**
 * A volume is the cluster's if named by CSI metadata, proven by the cluster's own Kubernetes API (a PersistentVolume's
 * volume handle), or attached to its servers; Heat's own (docker, etcd) volumes stay Heat's. Magnum's Heat driver runs
 * Cinder CSI with `--cluster=kubernetes` and makes its trusts with impersonation, so a detached PVC volume of such a
 * cluster carries no proof in OpenStack: only its Kubernetes API proves it.
 */
function volumeVerdict(
  v: Volume,
  clusterId: string,
  owned: HeatOwnership,
  kubernetes: string | undefined,
): { plan?: PlannedResource; skip?: SkippedResource } | undefined {
  const csi = v.metadata[CSI_CLUSTER_METADATA] === clusterId;
  const server = v.attachedServerIds.find((s) => owned.servers.has(s));
  if (!csi && !kubernetes && !server) return undefined;
  if (owned.heatOwned.has(v.id)) {
    return { skip: { kind: 'volume', id: v.id, name: v.name, reason: "a resource of the cluster's Heat stack: Magnum deletes it with the cluster" } };
  }
  // A server's root disk (boot from volume) cannot be detached and goes with the server.
  if (server && v.attachedDevices.some((d) => ROOT_DEVICE.test(d) || (d === '' && v.bootable))) {
    return { skip: { kind: 'volume', id: v.id, name: v.name, reason: `the boot volume of cluster server ${server}: it goes with the server` } };
  }
  const evidence = csi ? `metadata ${CSI_CLUSTER_METADATA}=${clusterId}` : (kubernetes ?? `attached to cluster server ${server}`);
  return { plan: { kind: 'volume', id: v.id, name: v.name, evidence } };
}
