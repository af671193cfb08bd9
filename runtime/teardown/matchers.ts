/**
 * What Kubernetes' OpenStack cloud provider writes into the resources it creates
 * for a cluster (its --cluster-name: the cluster UUID for Magnum's Heat drivers and
 * vexxhost's, the cluster's `stack_id` for the magnum-capi-helm driver), as exact
 * patterns anchored at both ends on the full name: cluster `abc` never matches
 * `abcd…`, and Heat's own API/etcd load balancers (empty description) never match.
 */

/** A canonical (lower-case, dashed) UUID. */
const UUID_SOURCE = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const UUID = new RegExp(`^${UUID_SOURCE}$`);

/** A DNS-1123 label (Kubernetes' rule), of at most 63 characters: a Helm release name, which capi-helm's `stack_id` is. */
const DNS_LABEL_SOURCE = '[a-z0-9](?:[-a-z0-9]*[a-z0-9])?';
const DNS_LABEL = new RegExp(`^${DNS_LABEL_SOURCE}$`);
const DNS_LABEL_MAX_LENGTH = 63;

/** Kinds of cloud-provider resource a description can prove. */
export type ProvenKind = 'service-loadbalancer' | 'ingress-loadbalancer' | 'floatingip' | 'service-securitygroup' | 'ingress-securitygroup';

/**
 * The descriptions cloud-provider-openstack (occm 2.x, octavia-ingress-controller)
 * writes, with `CLUSTER` where the cluster name (for Magnum, its UUID) goes.
 */
const DESCRIPTIONS: Record<ProvenKind, string> = {
  'service-loadbalancer': '^Kubernetes external service \\S+/\\S+ from cluster CLUSTER$',
  'ingress-loadbalancer': '^Kubernetes [Ii]ngress .+ from cluster CLUSTER(?:, version: \\d+)?$',
  floatingip: '^Floating IP for Kubernetes .+ from cluster CLUSTER$',
  'service-securitygroup': '^Security Group for \\S+/\\S+ Service LoadBalancer in cluster CLUSTER$',
  'ingress-securitygroup': '^Security group created for Ingress .+ from cluster CLUSTER$',
};

/**
 * Load balancer names: `kube_service_<cluster>_<ns>_<svc>`, `kube_ingress_<cluster>_<ns>_<ing>`. Namespaces and
 * Service and Ingress names never hold `_`, so the cluster is exactly what lies before the last two: compared whole,
 * `kube_service_prod-k8s-1_ns_svc` names `prod-k8s-1`, never `prod-k8s`.
 */
const LB_NAME = /^kube_(?:service|ingress)_(.+)_[^_]+_[^_]+$/;

/** Escapes every character RegExp treats specially. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `text` is a UUID (any case, dashed). */
export function isUuid(text: string): boolean {
  return UUID.test(text.toLowerCase());
}

/**
 * Whether `name` may be matched as a name the cloud provider was given: a canonical UUID, or a DNS-1123 label (the
 * capi-helm driver's `stack_id`). Nothing else ever goes into a pattern.
 */
export function isClusterName(name: string): boolean {
  return UUID.test(name) || (name.length <= DNS_LABEL_MAX_LENGTH && DNS_LABEL.test(name));
}

/** The canonical form of a cluster UUID; throws, naming the fix, if it is not one. */
export function checkClusterId(id: string): string {
  const canonical = id.trim().toLowerCase();
  if (!UUID.test(canonical)) {
    throw new Error(
      `"${id}" is not a cluster UUID. Fix: pass the cluster's full uuid (openstack coe cluster show NAME -f value -c uuid), never its name or a prefix.`,
    );
  }
  return canonical;
}

// A function, not a string: a replacement string would read `$&` and `$'` in it.
const compiled = (kind: ProvenKind, cluster: string) => new RegExp(DESCRIPTIONS[kind].replace('CLUSTER', () => cluster));

/** Patterns for every kind, the cluster captured as group 1 by `clusterSource`. */
const compileAll = (clusterSource: string) => (Object.keys(DESCRIPTIONS) as ProvenKind[]).map((kind) => ({ kind, pattern: compiled(kind, clusterSource) }));

/** Resources a matcher looks at: a description and, for load balancers, a name. */
export interface Described {
  readonly name?: string;
  readonly description?: string;
}

/** The verdict on one load balancer. */
export interface LoadBalancerVerdict {
  /** Its description proves it is the cluster's Service or Ingress load balancer. */
  readonly matched: boolean;
  /** Its name names a different cluster: contradicting evidence, so it is left alone. */
  readonly conflict: boolean;
  /** Why, for progress lines and the plan. */
  readonly evidence: string;
}

/** What a description proves: the kind, and which of the cluster's names it names. */
interface Proof {
  readonly kind: ProvenKind;
  readonly name: string;
}

/** The patterns that prove a resource belongs to one cluster, by any of its names. */
export class ClusterMatcher {
  /** The canonical UUID matched. */
  public readonly clusterId: string;
  /** Every name matched: the UUID, then the cluster's `stack_id` when given and different. */
  public readonly clusterNames: string[];
  private readonly patterns: { kind: ProvenKind; pattern: RegExp }[];

  /**
   * @param clusterId the cluster's UUID (checked with {@link checkClusterId})
   * @param stackId the cluster's `stack_id` as Magnum shows it; throws unless {@link isClusterName} accepts it
   */
  constructor(clusterId: string, stackId?: string) {
    this.clusterId = checkClusterId(clusterId);
    if (stackId !== undefined && !isClusterName(stackId)) {
      throw new Error(`stack_id ${JSON.stringify(stackId)} is neither a UUID nor a DNS-1123 label. Fix: check it with isClusterName before matching on it.`);
    }
    this.clusterNames = stackId === undefined || stackId === this.clusterId ? [this.clusterId] : [this.clusterId, stackId];
    this.patterns = compileAll(`(${this.clusterNames.map(escapeRegExp).join('|')})`);
  }

  /** The kind a description proves for this cluster, if any. */
  public kindOf(description: string | undefined): ProvenKind | undefined {
    return this.proof(description)?.kind;
  }

  /** Why a description proves this cluster: the description, and which name it names when that is not the UUID. */
  public evidence(description: string | undefined): string {
    const name = this.proof(description)?.name;
    return `description "${description}"${name && name !== this.clusterId ? ` (${this.namedBy(name)})` : ''}`;
  }

  /**
   * A Service or Ingress load balancer of this cluster: its description must match;
   * its name only corroborates (a `kube_service_<other cluster>_` name is a conflict).
   */
  public loadBalancer(lb: Described): LoadBalancerVerdict {
    const proof = this.proof(lb.description);
    if (proof?.kind !== 'service-loadbalancer' && proof?.kind !== 'ingress-loadbalancer') {
      return { matched: false, conflict: false, evidence: '' };
    }
    // Compared whole with this cluster's names, never as a prefix.
    const named = LB_NAME.exec(lb.name ?? '')?.[1];
    if (named !== undefined && !this.clusterNames.includes(named)) {
      return { matched: false, conflict: true, evidence: `description names cluster ${proof.name} but name "${lb.name}" names cluster ${named}` };
    }
    const notes = [...(proof.name !== this.clusterId ? [this.namedBy(proof.name)] : []), ...(named !== undefined ? ['name agrees'] : [])];
    return { matched: true, conflict: false, evidence: `description "${lb.description}"${notes.length ? ` (${notes.join('; ')})` : ''}` };
  }

  /** A floating IP the cloud provider made for one of this cluster's load balancers. */
  public floatingIp(fip: Described): boolean {
    return this.kindOf(fip.description) === 'floatingip';
  }

  /** A security group the cloud provider made for one of this cluster's Services or Ingresses. */
  public securityGroup(sg: Described): boolean {
    const kind = this.kindOf(sg.description);
    return kind === 'service-securitygroup' || kind === 'ingress-securitygroup';
  }

  private proof(description: string | undefined): Proof | undefined {
    if (!description) return undefined;
    for (const { kind, pattern } of this.patterns) {
      const m = pattern.exec(description);
      if (m) return { kind, name: m[1] };
    }
    return undefined;
  }

  private namedBy(stackId: string): string {
    return `names the cluster's stack_id ${stackId}${isUuid(stackId) ? '' : ', as the capi-helm driver names it'}`;
  }
}

/** A description of any cluster's cloud-provider resource, parsed (for the audit). */
export interface ParsedDescription {
  readonly kind: ProvenKind;
  /** The cluster name it ends in: a UUID, or a DNS-1123 label (a capi-helm cluster's `stack_id`, a cloud provider's own `kubernetes`). */
  readonly clusterName: string;
  /** That name when it is a UUID, the only name Magnum can be asked about. @default - not a UUID */
  readonly clusterId?: string;
}

const ANY_CLUSTER = compileAll(`(${DNS_LABEL_SOURCE})`);

/** Which cluster name a cloud-provider description names, by the same anchored patterns; only names {@link isClusterName} accepts. */
export function parseDescription(description: string | undefined): ParsedDescription | undefined {
  for (const { kind, pattern } of ANY_CLUSTER) {
    const name = pattern.exec(description ?? '')?.[1];
    if (name !== undefined && isClusterName(name)) return { kind, clusterName: name, ...(UUID.test(name) ? { clusterId: name } : {}) };
  }
  return undefined;
}

/** The CSI volume metadata key the Cinder CSI plugin sets to its `--cluster` value. */
export const CSI_CLUSTER_METADATA = 'cinder.csi.openstack.org/cluster';
