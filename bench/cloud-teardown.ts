/**
 * Teardown cost on the local Octavia: N orphaned Service load balancers (each with
 * listener, pool, member and health monitor, as occm makes them) deleted by the
 * library's parallel cascade, against the same N deleted one by one, children first.
 * Both are measured in the same run, on fresh resources each time.
 */
import { randomUUID } from 'crypto';
import { OpenStackClient } from '../runtime/openstack';
import { runTeardown, TeardownMode } from '../runtime/teardown';
import { cleanUp, ClusterResources, createClusterResources, createNetworks, deleteNetworks } from '../devcloud';

/** How one strategy deletes: Octavia's cascade with several at once, or the ordered delete one at a time. */
export interface Strategy {
  readonly mode: TeardownMode;
  readonly concurrency: number;
}

export const PARALLEL_CASCADE: Strategy = { mode: 'cascade', concurrency: 8 };
export const SEQUENTIAL_ORDERED: Strategy = { mode: 'ordered', concurrency: 1 };

/**
 * Seconds each strategy takes to delete `n` load balancers of a fresh cluster, `runs`
 * times, alternating strategies so that drift of the machine hits both alike.
 */
export async function timeTeardowns(os: OpenStackClient, n: number, runs: number, strategies: Strategy[]): Promise<number[][]> {
  const net = await createNetworks(os, `bench${process.pid}`);
  const seconds: number[][] = strategies.map(() => []);
  const made: ClusterResources[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      for (const [i, strategy] of strategies.entries()) {
        const resources = await createClusterResources(os, randomUUID(), net, { services: n, ingress: false, volume: false });
        made.push(resources);
        const torn = await runTeardown(os, { clusterId: resources.clusterId, kinds: ['loadbalancer'], ...strategy, backoff: { baseMs: 250, maxMs: 2_000 } });
        if (torn.plan.resources.length !== n) throw new Error(`planned ${torn.plan.resources.length} load balancers, made ${n}`);
        // The delete phase alone: planning and the proof listing cost both strategies the same.
        seconds[i].push(torn.execution.elapsedMs / 1000);
        if (!torn.ok) throw new Error(`${strategy.mode} teardown failed: ${JSON.stringify({ failed: torn.execution.failed, remaining: torn.remaining })}`);
        await cleanUp(os, resources);
      }
    }
  } finally {
    for (const r of made) await cleanUp(os, r).catch(() => undefined);
    await deleteNetworks(os, net);
  }
  return seconds;
}
