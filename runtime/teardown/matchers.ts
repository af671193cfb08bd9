/**
 * What Kubernetes' OpenStack cloud provider writes into the resources it creates
 * for a cluster (Magnum starts it with --cluster-name=<cluster UUID>), as exact
 * patterns anchored at both ends on the full UUID: cluster `abc` never matches
 * `abcd…`, and Heat's own API/etcd load balancers (empty description) never match.
 */

/** A canonical (lower-case, dashed) UUID. */
const UUID_SOURCE = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const UUID = new RegExp(`^${UUID_SOURCE}$`);

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

/** Load balancer names: `kube_service_<cluster>_<ns>_<svc>`, `kube_ingress_<cluster>_<ns>_<ing>`. */
const LB_NAME = new RegExp(`^kube_(?:service|ingress)_(${UUID_SOURCE})_`);

/** Escapes every character RegExp treats specially. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `text` is a UUID (any case, dashed). */
export function isUuid(text: string): boolean {
  return UUID.test(text.toLowerCase());
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

const compiled = (kind: ProvenKind, cluster: string) => new RegExp(DESCRIPTIONS[kind].replace('CLUSTER', cluster));

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

/** The patterns that prove a resource belongs to one cluster. */
export class ClusterMatcher {
  /** The canonical UUID matched. */
  public readonly clusterId: string;
  private readonly patterns: Record<ProvenKind, RegExp>;

  constructor(clusterId: string) {
    this.clusterId = checkClusterId(clusterId);
    const escaped = escapeRegExp(this.clusterId);
    this.patterns = Object.fromEntries((Object.keys(DESCRIPTIONS) as ProvenKind[]).map((kind) => [kind, compiled(kind, escaped)])) as Record<
      ProvenKind,
      RegExp
    >;
  }

  /** The kind a description proves for this cluster, if any. */
  public kindOf(description: string | undefined): ProvenKind | undefined {
    if (!description) return undefined;
    return (Object.keys(this.patterns) as ProvenKind[]).find((kind) => this.patterns[kind].test(description));
  }

  /**
   * A Service or Ingress load balancer of this cluster: its description must match;
   * its name only corroborates (a `kube_service_<other uuid>_` name is a conflict).
   */
  public loadBalancer(lb: Described): LoadBalancerVerdict {
    const kind = this.kindOf(lb.description);
    if (kind !== 'service-loadbalancer' && kind !== 'ingress-loadbalancer') {
      return { matched: false, conflict: false, evidence: '' };
    }
    const named = LB_NAME.exec(lb.name ?? '')?.[1];
    if (named !== undefined && named !== this.clusterId) {
      return { matched: false, conflict: true, evidence: `description names cluster ${this.clusterId} but name "${lb.name}" names cluster ${named}` };
    }
    const corroborated = named === this.clusterId ? ' (name agrees)' : '';
    return { matched: true, conflict: false, evidence: `description "${lb.description}"${corroborated}` };
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
}

/** A description of any cluster's cloud-provider resource, parsed (for the audit). */
export interface ParsedDescription {
  readonly kind: ProvenKind;
  readonly clusterId: string;
}

const ANY_CLUSTER = (Object.keys(DESCRIPTIONS) as ProvenKind[]).map((kind) => ({ kind, pattern: compiled(kind, `(${UUID_SOURCE})`) }));

/** Which cluster UUID a cloud-provider description names, by the same anchored patterns. */
export function parseDescription(description: string | undefined): ParsedDescription | undefined {
  for (const { kind, pattern } of ANY_CLUSTER) {
    const m = pattern.exec(description ?? '');
    if (m) return { kind, clusterId: m[1] };
  }
  return undefined;
}

/** The CSI volume metadata key the Cinder CSI plugin sets to its `--cluster` value. */
export const CSI_CLUSTER_METADATA = 'cinder.csi.openstack.org/cluster';
