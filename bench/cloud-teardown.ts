/**
 * Teardown cost on the local Octavia and Neutron: N orphaned Service load balancers (each with listener,
 * pool, member and health monitor, as occm makes them), their N floating IPs and N Service security
 * groups, deleted kind by kind by one deleter: the library's parallel cascade, the same one by one and
 * children first, or the API floor (bench/teardown-floor.ts: every DELETE at once, nothing else). Each
 * deleter gets fresh resources every run, in the bench's own project (the admin project's quota of 10
 * security groups would not hold them).
 */
import { randomUUID } from 'crypto';
import { OpenStackClient } from '../runtime/openstack';
import { runTeardown, TEARDOWN_DEFAULTS, TeardownMode } from '../runtime/teardown';
import { cleanUp, ClusterResources, createClusterResources, createNetworks, deleteNetworks } from '../devcloud';
import { ourTeardown, Row, teardownRow, timedRow } from './floors';
import { apiFloorSeconds, FloorKind } from './teardown-floor';

/** The bench's project on the local cloud (devcloud/project.ts), where the teardown rows make their resources. */
export const BENCH_PROJECT = 'magnum-cdktf-bench';

/** How one strategy deletes: Octavia's cascade with several at once, or the ordered delete one at a time. */
export interface Strategy {
  readonly mode: TeardownMode;
  readonly concurrency: number;
}

export const PARALLEL_CASCADE: Strategy = { mode: TEARDOWN_DEFAULTS.mode, concurrency: TEARDOWN_DEFAULTS.concurrency };
export const SEQUENTIAL_ORDERED: Strategy = { mode: 'ordered', concurrency: 1 };
/** The simplest client's deletes, every one at once: what the cloud itself needs. */
export const API_FLOOR = 'api-floor';
export type Deleter = Strategy | typeof API_FLOOR;

/** The kinds measured, in the order a teardown deletes them. */
export const MEASURED_KINDS: readonly FloorKind[] = ['loadbalancer', 'floatingip', 'securitygroup'];

const idsOf = (r: ClusterResources, kind: FloorKind) => (kind === 'loadbalancer' ? r.loadBalancers : kind === 'floatingip' ? r.floatingIps : r.securityGroups);

/** Seconds one deleter takes for one kind of `r`. */
async function deleteKind(os: OpenStackClient, r: ClusterResources, kind: FloorKind, deleter: Deleter): Promise<number> {
  const ids = idsOf(r, kind);
  if (deleter === API_FLOOR) return apiFloorSeconds(os, kind, ids);
  // The defaults a user gets (TEARDOWN_DEFAULTS), backoff included.
  const torn = await runTeardown(os, { clusterId: r.clusterId, kinds: [kind], ...deleter });
  if (torn.plan.resources.length !== ids.length) throw new Error(`planned ${torn.plan.resources.length} ${kind}s, made ${ids.length}`);
  if (!torn.ok) throw new Error(`${deleter.mode} teardown of ${kind}s failed: ${JSON.stringify({ failed: torn.execution.failed, remaining: torn.remaining })}`);
  // The delete phase alone: planning and the proof listing cost every deleter the same.
  return torn.execution.elapsedMs / 1000;
}

/**
 * Seconds each deleter takes to delete `n` of each kind of a fresh cluster's resources, `runs` times,
 * alternating deleters so that drift of the machine hits all alike: `seconds[kind][deleter][run]`.
 */
export async function timeTeardowns(os: OpenStackClient, n: number, runs: number, deleters: Deleter[]): Promise<Record<FloorKind, number[][]>> {
  const net = await createNetworks(os, `bench${process.pid}`);
  const seconds = Object.fromEntries(MEASURED_KINDS.map((k) => [k, deleters.map(() => [] as number[])])) as Record<FloorKind, number[][]>;
  const made: ClusterResources[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      for (const [i, deleter] of deleters.entries()) {
        const r = await createClusterResources(os, randomUUID(), net, { services: n, serviceSecurityGroups: n, ingress: false, volume: false });
        made.push(r);
        // The "node" port holds a security group: without it every group is free, for the floor's plain DELETE too.
        for (const port of r.ports) await os.request('network', 'DELETE', `/v2.0/ports/${port}`);
        for (const kind of MEASURED_KINDS) seconds[kind][i].push(await deleteKind(os, r, kind, deleter));
        await cleanUp(os, r);
      }
    }
  } finally {
    for (const r of made) await cleanUp(os, r).catch(() => undefined);
    await deleteNetworks(os, net);
  }
  return seconds;
}

/** What a deleter is called in the rows' names (bench/floors.ts teardownRow). */
const deleterName = (d: Deleter) =>
  d === API_FLOOR ? 'API floor (all at once)' : d === SEQUENTIAL_ORDERED ? 'sequential ordered delete' : ourTeardown(d.concurrency);

/**
 * The rows of {@link timeTeardowns}' seconds: per kind, the API floor, our teardown against it, and
 * the one-by-one delete (load balancers only) against ours.
 */
export function teardownRows(n: number, deleters: readonly Deleter[], seconds: Record<FloorKind, number[][]>): Row[] {
  return MEASURED_KINDS.flatMap((kind) => {
    const rows: Row[] = [];
    const of = (d: Deleter) => seconds[kind][deleters.indexOf(d)];
    const floor = deleters.includes(API_FLOOR) ? timedRow(teardownRow(n, kind, deleterName(API_FLOOR)), of(API_FLOOR)) : undefined;
    if (floor) rows.push(floor);
    const ours = deleters.includes(PARALLEL_CASCADE) ? timedRow(teardownRow(n, kind, deleterName(PARALLEL_CASCADE)), of(PARALLEL_CASCADE), floor) : undefined;
    if (ours) rows.push(ours);
    if (kind === 'loadbalancer' && deleters.includes(SEQUENTIAL_ORDERED))
      rows.push(timedRow(teardownRow(n, kind, deleterName(SEQUENTIAL_ORDERED)), of(SEQUENTIAL_ORDERED), ours));
    return rows;
  });
}
