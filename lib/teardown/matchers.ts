/**
 * What Kubernetes' OpenStack cloud provider writes into the resources it creates
 * for a cluster (Magnum starts it with --cluster-name=<cluster UUID>), as exact,
 * anchored patterns on the full UUID: cluster `abc` never matches `abcd…`.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Throws unless `id` is a full, lower-case cluster UUID. */
export function checkClusterId(id: string): string {
  if (!UUID.test(id)) {
    throw new Error(`"${id}" is not a cluster UUID. Fix: pass the cluster's full id (openstack coe cluster show NAME -c uuid).`);
  }
  return id;
}

/** The patterns that prove a resource belongs to one cluster. */
export interface ClusterMatchers {
  /** Service and ingress load balancers, by description. */
  loadBalancer(description: string | undefined): boolean;
  /** Floating IPs of those load balancers, by description. */
  floatingIp(description: string | undefined): boolean;
  /** Security groups of Services and Ingresses, by description. */
  securityGroup(description: string | undefined): boolean;
}

/** Matchers for one cluster's UUID. */
export function matchersFor(clusterId: string): ClusterMatchers {
  const id = checkClusterId(clusterId);
  const test = (patterns: RegExp[]) => (text: string | undefined) => text !== undefined && patterns.some((p) => p.test(text));
  return {
    loadBalancer: test([
      new RegExp(`^Kubernetes external service \\S+/\\S+ from cluster ${id}$`),
      new RegExp(`^Kubernetes [Ii]ngress .+ from cluster ${id}(, version: \\d+)?$`),
    ]),
    floatingIp: test([new RegExp(`^Floating IP for Kubernetes .+ from cluster ${id}$`)]),
    securityGroup: test([
      new RegExp(`^Security Group for \\S+/\\S+ Service LoadBalancer in cluster ${id}$`),
      new RegExp(`^Security group created for [Ii]ngress .+ from cluster ${id}$`),
    ]),
  };
}

/** The cluster UUID a cloud-provider description names, if it is one (for the audit). */
export function clusterIdIn(description: string | undefined): string | undefined {
  const m = /(?:from cluster|in cluster) ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:, version: \d+)?$/.exec(description ?? '');
  return m?.[1];
}
