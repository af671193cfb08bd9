/**
 * The API floor of a teardown: what the cloud itself needs to delete N load balancers (or
 * floating IPs, or security groups) when the simplest client asks for all of them at once:
 * every DELETE sent together (Octavia's cascade for a load balancer), no planning, no probe
 * of each resource, no limit on how many at once, then one list every POLL_MS until none of
 * them is listed. Timed from the first DELETE. What the library's teardown takes beyond
 * this is the client's (its probes, backoff and concurrency); this itself is the cloud's.
 */
import { OpenStackClient, sleep } from '../runtime/openstack';

/** The kinds a floor is measured for, with how the simplest client deletes and lists each. */
export const FLOOR_KINDS = {
  loadbalancer: {
    service: 'load-balancer',
    path: (id: string) => `/v2/lbaas/loadbalancers/${id}?cascade=true`,
    list: async (os: OpenStackClient) => (await os.listLoadBalancers()).filter((lb) => lb.provisioningStatus !== 'DELETED').map((lb) => lb.id),
  },
  floatingip: {
    service: 'network',
    path: (id: string) => `/v2.0/floatingips/${id}`,
    list: async (os: OpenStackClient) => (await os.listFloatingIps()).map((f) => f.id),
  },
  securitygroup: {
    service: 'network',
    path: (id: string) => `/v2.0/security-groups/${id}`,
    list: async (os: OpenStackClient) => (await os.listSecurityGroups()).map((g) => g.id),
  },
} as const;

export type FloorKind = keyof typeof FLOOR_KINDS;

/** How often the floor lists what is left: one request each time, however many are being deleted. */
export const POLL_MS = 200;

/**
 * Seconds from sending every DELETE at once until none of `ids` is listed. A DELETE that
 * fails fails the measurement: the floor is of a clean run.
 */
export async function apiFloorSeconds(os: OpenStackClient, kind: FloorKind, ids: readonly string[], timeoutMs = 600_000): Promise<number> {
  const { service, path, list } = FLOOR_KINDS[kind];
  const started = process.hrtime.bigint();
  await Promise.all(ids.map((id) => os.request(service, 'DELETE', path(id))));
  const wanted = new Set(ids);
  for (;;) {
    const left = (await list(os)).filter((id) => wanted.has(id));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (left.length === 0) return seconds;
    if (seconds * 1000 > timeoutMs) throw new Error(`${left.length} of ${ids.length} ${kind}s still listed after ${Math.round(seconds)} s`);
    await sleep(POLL_MS);
  }
}
