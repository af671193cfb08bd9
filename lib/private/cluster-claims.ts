/**
 * When Terraform claimed each cluster's creation (a Terraform expression of an RFC 3339 time, from
 * its RebuildGuard), keyed by the cluster object: the cluster's `ClusterTeardown` hands it to the
 * orphan sweep, whichever of them is made first. Imported clusters have none: they were made elsewhere.
 */
const claims = new WeakMap<object, string>();

/** Records when Terraform claims `cluster`'s creation. */
export function registerClaim(cluster: object, claimedAt: string): void {
  claims.set(cluster, claimedAt);
}

/** When Terraform claims `cluster`'s creation; undefined for a cluster not made by this library. */
export function claimOf(cluster: object): string | undefined {
  return claims.get(cluster);
}
