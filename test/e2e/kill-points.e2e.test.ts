import * as fs from 'fs';
import * as path from 'path';
import { OpenStackClient } from '../../runtime/openstack';
import { cleanUp, ClusterResources, devcloudClient, stillThere } from '../../devcloud';
import {
  addCloudProviderResources,
  allKillPoints,
  CdktfRun,
  chainsOf,
  checkConsistency,
  describeInconsistencies,
  errorLines,
  KillChain,
  KillPoint,
  killPoint,
  killSeed,
  killStarted,
  notInState,
  parseKillPoint,
  readState,
  restoreStack,
  runCdktf,
  say,
  StackCommand,
} from '../support/kill-harness';
import { settledDiff, takeCensus } from '../support/cloud-census';

/**
 * A deploy or destroy that dies halfway (the session lost: SIGKILL to its process group; or Ctrl-C:
 * SIGINT to it) must leave what the same command, run again, completes: afterwards the stack's
 * Terraform state and the cloud agree (no object in one that the other lacks), and after the final
 * destroy the cloud is as it was before. Runs the README's commands (`npm run cdktf -- deploy|destroy
 * <stack>`) with OS_* unset against the local cloud, sharing the project's state with `npm start`.
 *
 * Kill points are chained on a stack to save cloud time: each killed run is the re-run of the one
 * before, then a run that completes, the check, on to the destroys. MAGNUM_CDKTF_KILL_POINTS:
 * unset, the default chains below; `all`, every phase × signal × stack; or a comma list of ids
 * (`all-in-one/deploy/cluster-create/SIGKILL`). MAGNUM_CDKTF_KILL_SEED replays a run's delays.
 */

const ROOT = path.join(__dirname, '..', '..');
const STACKS = ['all-in-one', 'fedora-coreos'];

/**
 * The default run, two chains of three: deploy and destroy, both signals, both stacks, each recovery
 * once. A kill in the first seconds of a deploy (network, template) leaves objects that the state never
 * got (Terraform writes its state only now and then while it applies): the re-run adopts them
 * (scripts/lib/unsaved-objects.ts). A cluster killed while Magnum creates it: the orphan sweep. A node
 * group: adopted before the re-run. A destroy killed in the teardown, and in the cluster delete. Every
 * phase × signal × stack: `all` (the default once had eight: the teardown and cluster-delete points of
 * both stacks, which ran the same recovery twice).
 */
const DEFAULT_POINTS: KillPoint[] = [
  killPoint('all-in-one', 'network-create', 'SIGKILL'),
  killPoint('all-in-one', 'cluster-create', 'SIGKILL'),
  killPoint('all-in-one', 'teardown', 'SIGKILL'),
  killPoint('fedora-coreos', 'template-create', 'SIGINT'),
  killPoint('fedora-coreos', 'node-group-create', 'SIGKILL'),
  killPoint('fedora-coreos', 'cluster-delete', 'SIGINT'),
];

function selectedPoints(env = process.env.MAGNUM_CDKTF_KILL_POINTS): KillPoint[] {
  if (!env || env === 'default') return DEFAULT_POINTS;
  if (env === 'all') return allKillPoints(STACKS);
  return env.split(',').map(parseKillPoint);
}

const seed = killSeed();
const chains = chainsOf(selectedPoints());
const logDir = path.join(ROOT, '.tmp', 'kill-logs', new Date().toISOString().replace(/[:.]/g, '-'));
const reportFile = path.join(ROOT, '.tmp', 'kill-report.json');
jest.setTimeout(chains.length * 3_600_000);

/** One line of the report: a kill point and what became of it. */
interface PointReport {
  readonly stack: string;
  readonly command: StackCommand;
  readonly phase: string;
  readonly signal: string;
  readonly seed: number;
  delayMs?: number;
  /** The killed run: `killed at 81.3 s (phase line at 76.9 s)`, or why it was not. */
  killed?: string;
  /** Processes that ran on after npm exited (the prompt back). */
  lingered?: string;
  /** What the kill left, before the re-run (state vs cloud). */
  leftAfterKill?: string[];
  /** The next run of the same command: killed at the next point, completed, or failed and why. */
  rerun?: string;
  /** The check after the run that completed. */
  check?: string;
  seconds?: number;
}

const report = {
  seed,
  selection: process.env.MAGNUM_CDKTF_KILL_POINTS ?? 'default',
  replay: `MAGNUM_CDKTF_KILL_SEED=${seed} MAGNUM_CDKTF_KILL_POINTS=${chains.flatMap((c) => c.points.map((p) => p.id)).join(',')}`,
  logs: path.relative(ROOT, logDir),
  startedAt: new Date().toISOString(),
  seconds: 0,
  chains: [] as { stack: string; outcome: string; seconds: number; points: PointReport[]; cleanup?: string[]; made?: ClusterResources }[],
};
const started = Date.now();
function writeReport(): void {
  report.seconds = Math.round((Date.now() - started) / 1000);
  fs.mkdirSync(path.dirname(reportFile), { recursive: true });
  // (The cloud-provider resources a chain made are the test's business, not the report's.)
  fs.writeFileSync(reportFile, `${JSON.stringify(report, (key, value) => (key === 'made' ? undefined : value), 2)}\n`);
}

const summary = (p: PointReport) =>
  `${p.stack} ${p.command} ${p.phase} ${p.signal} seed=${p.seed} delay=${p.delayMs ?? '-'}ms: ${p.killed ?? 'not run'}; ` +
  `re-run: ${p.rerun ?? '-'}; check: ${p.check ?? '-'}; ${p.seconds ?? '-'} s`;

let os: OpenStackClient;

beforeAll(async () => {
  os = await devcloudClient();
  say(`seed ${seed}; ${chains.length} chain(s): ${chains.map((c) => c.points.map((p) => p.id).join(' → ')).join(' | ')}; logs in ${logDir}`);
  writeReport();
});

afterAll(async () => {
  const left = await killStarted();
  if (left.length) say(`ended processes still running at the end: ${left.join(', ')}`);
  writeReport();
  for (const chain of report.chains) for (const p of chain.points) say(summary(p));
  say(`report: ${reportFile} (${report.seconds} s)`);
});

/** A run that must complete: else the error that says why (Terraform's lines, the log file). */
function mustComplete(run: CdktfRun, what: string): void {
  if (run.status !== 0) {
    throw new Error(
      `${what}: ${run.command} ${run.stack} did not converge (exit ${run.status ?? run.signal}, ${run.seconds.toFixed(0)} s):\n${errorLines(run.output)}\nlog: ${run.logFile}`,
    );
  }
}

/** How a run that was to be killed went, for the report. */
function killedText(run: CdktfRun): string {
  const k = run.kill;
  if (!k) return 'no kill asked';
  if (k.outcome === 'killed') return `killed at ${k.killedAtS?.toFixed(1)} s (phase line at ${k.phaseSeenAtS?.toFixed(1)} s), exit ${run.status ?? run.signal}`;
  return `${k.outcome} (exit ${run.status ?? run.signal} at ${run.seconds.toFixed(1)} s)`;
}

/** How the re-run of a killed run went, for the report. */
function rerunText(run: CdktfRun): string {
  if (run.kill?.outcome === 'killed') return `reached ${run.kill.point.split('/')[2]}, killed there`;
  return run.status === 0
    ? `completed in ${run.seconds.toFixed(0)} s`
    : `FAILED (exit ${run.status ?? run.signal}): ${errorLines(run.output, 3).replace(/\n/g, ' | ')}`;
}

async function runChain(chain: KillChain, record: { points: PointReport[]; made?: ClusterResources }): Promise<void> {
  const { stack } = chain;
  // GIVEN the stack not deployed (`npm start` leaves all-in-one running: destroyed first, as the README's command does)
  if (readState(stack).length > 0) mustComplete(await runCdktf('destroy', stack, { logDir }), `${stack} was deployed before the chain`);
  // (Its names are those of its last synth; a clone that never synthesized it has none to look for yet.)
  const synthesized = fs.existsSync(path.join(ROOT, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'));
  const leftBefore = synthesized ? await checkConsistency(os, stack, 0) : [];
  if (leftBefore.length > 0) {
    throw new Error(`${stack}: the cloud holds objects with the stack's names before the first kill:\n${describeInconsistencies(leftBefore)}`);
  }
  const before = await takeCensus();

  /** The command's kill points one after the other, each killed run the re-run of the one before; then a run to completion. */
  const commandPhase = async (command: StackCommand) => {
    let previous: PointReport | undefined;
    for (const point of chain.points.filter((p) => p.command === command)) {
      const entry: PointReport = { stack, command, phase: point.phase, signal: point.signal, seed };
      record.points.push(entry);
      const run = await runCdktf(command, stack, { kill: point, seed, logDir });
      entry.delayMs = run.kill?.delayMs;
      entry.seconds = Math.round(run.seconds);
      entry.killed = killedText(run);
      if (run.lingered.length)
        entry.lingered = `${run.lingered.join(', ')} ran on ${run.lingeredSeconds.toFixed(1)} s after npm exited${run.lingerKilled ? ', SIGKILLed' : ''}`;
      if (previous) previous.rerun = rerunText(run);
      writeReport();
      if (run.kill?.outcome !== 'killed') {
        if (run.status !== 0) {
          // It stopped on its own before the phase: the re-run of the previous point did not converge.
          throw new Error(
            `${previous ? `re-run after ${previous.phase} ${previous.signal}` : point.id}: ${command} failed before reaching ${point.phase}:\n${errorLines(run.output)}\nlog: ${run.logFile}`,
          );
        }
        throw new Error(`${point.id}: not exercised (${entry.killed}); replay: MAGNUM_CDKTF_KILL_SEED=${seed} MAGNUM_CDKTF_KILL_POINTS=${point.id}`);
      }
      // What the kill left for the re-run (requests in flight land a moment after the kill: wait for them).
      await new Promise((r) => setTimeout(r, 5_000));
      entry.leftAfterKill = describeInconsistencies(await checkConsistency(os, stack, 0))
        .split('\n')
        .filter((l) => l);
      previous = entry;
    }
    const final = await runCdktf(command, stack, { logDir });
    if (previous) previous.rerun = rerunText(final);
    writeReport();
    mustComplete(final, previous ? `re-run after ${previous.phase} ${previous.signal} (seed ${seed})` : `${command} ${stack}`);
    return chain.points.filter((p) => p.command === command).map((p) => record.points.find((r) => r.phase === p.phase && r.command === command) as PointReport);
  };

  const mark = (points: PointReport[], check: string) => points.forEach((p) => (p.check = check));
  const failed = (points: PointReport[], what: string, found: string[]) => {
    const text = found.join('\n');
    mark(points, `FAILED: ${text.split('\n').slice(0, 4).join(' | ')}`);
    writeReport();
    const ids = points.map((p) => `${p.stack}/${p.command}/${p.phase}/${p.signal}`).join(',');
    return new Error(`${what} (seed ${seed}; replay: MAGNUM_CDKTF_KILL_SEED=${seed} MAGNUM_CDKTF_KILL_POINTS=${ids}):\n${text}`);
  };

  // WHEN deploys are killed at the chain's points, and deploy is run again until it completes
  const deployed = await commandPhase('deploy');
  // THEN the state and the cloud agree: each object in one is in the other
  // (and the state holds the whole stack: the deploy did complete)
  const afterDeploy = [
    ...notInState(stack).map((a) => `not in the state after the deploy: ${a}`),
    ...describeInconsistencies(await checkConsistency(os, stack))
      .split('\n')
      .filter((l) => l),
  ];
  if (afterDeploy.length) throw failed(deployed, `${stack}: after the deploy that completed, the state and the cloud disagree`, afterDeploy);
  mark(deployed, 'state = cloud');

  // WHEN the cloud provider has made load balancers, floating IPs and a security group (the teardown's work),
  // and destroys are killed at the chain's points, and destroy is run again until it completes
  const made = await addCloudProviderResources(os, stack);
  record.made = made;
  const teardownLeft = async () => (await stillThere(os, made)).map((r) => `left by the teardown: ${r}`);
  let destroyed: PointReport[];
  try {
    destroyed = await commandPhase('destroy');
  } catch (e) {
    // A destroy that does not converge often fails on what the teardown left (a floating IP holds the subnet): name it.
    const left = await teardownLeft();
    throw left.length ? new Error(`${(e as Error).message}\n${left.join('\n')}`) : e;
  }
  // THEN nothing of the stack is left: no state, no object with its names, and every API lists what it did before
  const afterDestroy = [...readState(stack).map((o) => `in the state after destroy: ${o.address} ${o.id}`)];
  const orphans = await checkConsistency(os, stack);
  // (The census waits a little for late deletes: a destroy that returned may leave a port going.)
  const { diff } = await settledDiff(before);
  const problems = [
    ...(await teardownLeft()),
    ...afterDestroy,
    ...describeInconsistencies(orphans)
      .split('\n')
      .filter((l) => l),
    ...Object.entries(diff).flatMap(([kind, lines]) => lines.map((l) => `census ${kind}: ${l}`)),
  ];
  if (problems.length) throw failed([...deployed, ...destroyed], `${stack}: after the destroy that completed, the cloud is not as before`, problems);
  mark(destroyed, 'nothing left');
  if (!destroyed.length) mark(deployed, 'state = cloud; nothing left');
}

describe.each(chains.map((c, i) => [`${i + 1}: ${c.stack}: ${c.points.map((p) => `${p.command} ${p.phase} ${p.signal}`).join(' → ')}`, c] as const))(
  'kill chain %s',
  (_name, chain) => {
    test('each killed run is completed by the next, and the state and the cloud agree', async () => {
      const record = {
        stack: chain.stack,
        outcome: 'running',
        seconds: 0,
        points: [] as PointReport[],
        cleanup: undefined as string[] | undefined,
        made: undefined as ClusterResources | undefined,
      };
      report.chains.push(record);
      const t0 = Date.now();
      try {
        await runChain(chain, record);
        record.outcome = 'passed';
      } catch (e) {
        record.outcome = `FAILED: ${(e as Error).message.split('\n')[0]}`;
        for (const p of chain.points.filter((p) => !record.points.some((r) => r.command === p.command && r.phase === p.phase))) {
          record.points.push({
            stack: p.stack,
            command: p.command,
            phase: p.phase,
            signal: p.signal,
            seed,
            killed: 'not run: the chain stopped at the failure above',
          });
        }
        // Put the shared cloud back: what the chain left would fail the next test, not this one.
        // (What the cloud provider was given goes first, through the teardown's own code: a floating IP left holds the subnet.)
        await cleanUp(os, record.made).catch(() => undefined);
        record.cleanup = await restoreStack(os, chain.stack, logDir).catch((c) => [`cleanup failed: ${(c as Error).message}`]);
        say(`${chain.stack}: cleanup after the failure: ${record.cleanup.join('; ') || 'nothing to do'}`);
        throw e;
      } finally {
        record.seconds = Math.round((Date.now() - t0) / 1000);
        writeReport();
      }
    });
  },
);
