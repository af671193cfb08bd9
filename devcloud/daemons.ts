import { spawn, spawnSync } from 'child_process';
import * as path from 'path';
import { devcloudHome, projectRoot } from './defaults';

/** What the local cloud's daemons hold in memory (the soak test and the bench read it). */
export interface DevcloudMemory {
  /** Daemon (devcloud/services.table's name) → resident MiB of its process group; null when it is down. */
  readonly daemonsMiB: Record<string, number | null>;
  /** The daemons' total with RabbitMQ's epmd, as status.sh sums it. */
  readonly totalMiB: number;
}

/** A daemon as devcloud/status.sh shows it: its process group and resident MiB, or null for both when it is down. */
interface DaemonRow {
  readonly pgid: number | null;
  readonly mib: number | null;
}

/**
 * The daemons and their total, read from devcloud/status.sh: the one place that knows the daemons
 * (services.table), their PID files (which it checks against the process's start time) and how to sum a
 * process group's RSS.
 */
function devcloudStatus(): { daemons: Record<string, DaemonRow>; totalMiB: number } {
  const run = spawnSync('bash', [path.join(projectRoot(), 'devcloud', 'status.sh')], { encoding: 'utf8', timeout: 60_000 });
  const daemons: Record<string, DaemonRow> = {};
  for (const [, name, state, pgid, mib] of run.stdout.matchAll(/^(\S+)\s+(up|DOWN)\s+(\S+)\s+(\S+)/gm)) {
    daemons[name] = state === 'up' ? { pgid: Number(pgid), mib: Number(mib) } : { pgid: null, mib: null };
  }
  const total = /^total resident: (\d+) MiB$/m.exec(run.stdout);
  if (!total || Object.keys(daemons).length === 0) {
    throw new Error(`devcloud/status.sh did not report the daemons (exit ${run.status}):\n${run.stdout}${run.stderr}`);
  }
  return { daemons, totalMiB: Number(total[1]) };
}

/** Resident memory per devcloud daemon. */
export function devcloudMemory(): DevcloudMemory {
  const { daemons, totalMiB } = devcloudStatus();
  return { daemonsMiB: Object.fromEntries(Object.entries(daemons).map(([name, row]) => [name, row.mib])), totalMiB };
}

/**
 * Stops a running daemon's process group (SIGSTOP), for a test that needs the real service to be slow at one
 * moment (Magnum's conductor, to hold a create its API accepted); returns what resumes it (SIGCONT), which the
 * caller may call more than once. A detached process resumes it after `resumeAfterSeconds` in any case: a
 * caller killed meanwhile must not leave the cloud's daemon stopped.
 */
export function pauseDaemon(name: string, resumeAfterSeconds: number): () => void {
  const pgid = devcloudStatus().daemons[name]?.pgid;
  if (!pgid) throw new Error(`devcloud daemon ${name} is not running (devcloud/status.sh): nothing to pause`);
  spawn('sh', ['-c', 'sleep "$1"; kill -CONT -- "-$2" 2> /dev/null', 'resume', String(resumeAfterSeconds), String(pgid)], {
    detached: true,
    stdio: 'ignore',
  }).unref();
  process.kill(-pgid, 'SIGSTOP');
  return () => process.kill(-pgid, 'SIGCONT');
}

/** The file a devcloud daemon's output goes to (its log). */
export function daemonLog(name: string, environment: NodeJS.ProcessEnv = process.env): string {
  return path.join(devcloudHome(environment), 'log', `${name}.out`);
}
