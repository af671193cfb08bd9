import { ChildProcess, spawn } from 'child_process';
import { randomUUID } from 'crypto';
import { OpenStackClient } from '../../../runtime/openstack';
import { RunTeardownOptions, runTeardown } from '../../../runtime/teardown';
import {
  cleanUp,
  ClusterResources,
  createClusterResources,
  createNetworks,
  deleteNetworks,
  devcloudEnv,
  fingerprint,
  stillThere,
  TestNetworks,
} from '../../../devcloud';
import { compileCli } from '../../support/compiled-cli';
import { e2eClient } from '../../support/e2e-project';
import { FaultKind, faultProxies } from '../../support/fault-proxy';

/**
 * The teardown against the real local cloud under faults: a loopback proxy in front of
 * Octavia, Neutron and Cinder answers a share of the calls with 409, 500 or nothing
 * (some after the call took effect); and the CLI killed halfway with SIGKILL, then run
 * again. Each time: nothing of X left, nothing of Y touched.
 */
jest.setTimeout(900_000);

let os: OpenStackClient;
let net: TestNetworks | undefined;
let ofY: ClusterResources | undefined;
let yBefore: unknown;
const made: ClusterResources[] = [];

/** A client whose Octavia, Neutron and Cinder calls go through fault proxies. */
async function faultyClient(rate: number, seed: number) {
  const origins = ['load-balancer', 'network', 'block-storage'].map((s) => new URL(os.session.endpoint(s)).origin);
  const faults = await faultProxies(origins, { rate, conflictRate: 0.3, seed, holdMs: 10_000, maxFaults: 300 });
  // Short timeouts so injected silences cost little; enough tries that planning survives too.
  const client = await e2eClient({ endpointOverride: faults.endpointOverride, timeoutMs: 1_500, attempts: 6, backoff: { baseMs: 100, maxMs: 1_000 } });
  const injected = () =>
    faults.proxies.reduce(
      (acc, p) => {
        for (const [k, n] of Object.entries(p.stats.faults)) acc[k as FaultKind] = (acc[k as FaultKind] ?? 0) + (n ?? 0);
        return acc;
      },
      {} as Partial<Record<FaultKind, number>>,
    );
  return { client, faults, injected };
}

async function make(clusterId: string, services: number): Promise<ClusterResources> {
  const r = await createClusterResources(os, clusterId, net!, { services });
  made.push(r);
  return r;
}

beforeAll(async () => {
  os = await e2eClient();
  net = await createNetworks(os, `tdf${process.pid}`);
  ofY = await make(randomUUID(), 1);
  yBefore = await fingerprint(os, ofY);
});

afterAll(async () => {
  if (!os) return;
  for (const r of made) await cleanUp(os, r).catch(() => undefined);
  await deleteNetworks(os, net);
});

afterEach(async () => {
  // Whatever the test did to X, Y is exactly as it was.
  expect(await fingerprint(os, ofY!)).toEqual(yBefore);
});

test('through 409s, 500s and timeouts, X is torn down completely', async () => {
  const ofX = await make(randomUUID(), 3);
  const { client, faults, injected } = await faultyClient(0.25, 7);
  try {
    const started = Date.now();
    const { plan, execution, remaining } = await runTeardown(client, {
      clusterId: ofX.clusterId,
      includeVolumes: true,
      timeoutSeconds: 400,
      backoff: { baseMs: 200, maxMs: 2_000 },
    });
    const seconds = (Date.now() - started) / 1000;
    expect(execution.failed).toEqual([]);
    expect(remaining).toEqual([]);
    expect(plan.resources).toHaveLength(ofX.loadBalancers.length + ofX.floatingIps.length + ofX.securityGroups.length + ofX.volumes.length);
    expect(await stillThere(os, ofX)).toEqual([]);
    // the faults really happened, of every kind
    const seen = injected();
    expect(Object.keys(seen).sort()).toEqual(['409', '500', '500-after', 'timeout', 'timeout-after']);
    console.log(`e2e faults: ${plan.resources.length} resources of X torn down in ${seconds.toFixed(1)} s through ${JSON.stringify(seen)} injected faults`);
  } finally {
    await faults.close();
  }
});

test('interrupted (abort) halfway through the faulty proxy, a second run converges', async () => {
  const ofX = await make(randomUUID(), 3);
  const { client, faults } = await faultyClient(0.2, 11);
  try {
    const controller = new AbortController();
    let deleted = 0;
    const options: RunTeardownOptions = { clusterId: ofX.clusterId, includeVolumes: true, timeoutSeconds: 400, backoff: { baseMs: 200, maxMs: 2_000 } };
    const first = await runTeardown(client, { ...options, signal: controller.signal }, (e) => {
      if (e.type === 'resource' && e.event.action === 'deleted' && ++deleted === 2) controller.abort();
    });
    expect(first.execution.interrupted.length).toBeGreaterThan(0);
    expect((await stillThere(os, ofX)).length).toBeGreaterThan(0);
    const second = await runTeardown(client, options);
    expect(second.execution.failed).toEqual([]);
    expect(await stillThere(os, ofX)).toEqual([]);
  } finally {
    await faults.close();
  }
});

/** Runs the compiled CLI; resolves with its exit code, signal and output. */
function runChild(js: string, args: string[], onLine: (line: string, child: ChildProcess) => void = () => undefined) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string[] }>((resolve) => {
    const child = spawn(process.execPath, [js, ...args], { env: { ...process.env, ...devcloudEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: string[] = [];
    let buffer = '';
    child.stdout!.on('data', (chunk) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      lines.forEach((l) => {
        out.push(l);
        onLine(l, child);
      });
    });
    child.stderr!.on('data', (chunk) => out.push(`stderr: ${chunk}`));
    child.on('exit', (code, signal) => resolve({ code, signal, out }));
  });
}

test('the CLI killed with SIGKILL halfway, run again, converges to nothing of X left', async () => {
  const js = compileCli();
  const ofX = await make(randomUUID(), 4);
  const total = ofX.loadBalancers.length + ofX.floatingIps.length + ofX.securityGroups.length + ofX.volumes.length;
  // WHEN the first run is killed right after its first load balancer is gone
  const killed = await runChild(js, ['--cluster', ofX.clusterId, '--include-volumes', '--concurrency', '1'], (line, child) => {
    if (line.startsWith('deleted loadbalancer')) child.kill('SIGKILL');
  });
  expect(killed.signal).toBe('SIGKILL');
  const left = await stillThere(os, ofX);
  expect(left.length).toBeGreaterThan(0);
  expect(left.length).toBeLessThan(total);
  // THEN a second run finishes the job and says so
  const again = await runChild(js, ['--cluster', ofX.clusterId, '--include-volumes', '--json']);
  expect(again.code).toBe(0);
  const summary = JSON.parse(again.out.join('\n'));
  expect(summary).toMatchObject({ ok: true, remaining: [], failed: [] });
  expect(summary.deleted.length).toBeGreaterThan(0);
  expect(await stillThere(os, ofX)).toEqual([]);
});
