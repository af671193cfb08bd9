import { spawnSync } from 'child_process';
import * as path from 'path';
import { projectRoot } from './defaults';

/** What the local cloud's daemons hold in memory (the soak test and the bench read it). */
export interface DevcloudMemory {
  /** Daemon (devcloud/services.table's name) → resident MiB of its process group; null when it is down. */
  readonly daemonsMiB: Record<string, number | null>;
  /** The daemons' total with RabbitMQ's epmd, as status.sh sums it. */
  readonly totalMiB: number;
}

/**
 * Resident memory per devcloud daemon, read from devcloud/status.sh: the one place that knows the
 * daemons (services.table), their PID files and how to sum a process group's RSS.
 */
export function devcloudMemory(): DevcloudMemory {
  const run = spawnSync('bash', [path.join(projectRoot(), 'devcloud', 'status.sh')], { encoding: 'utf8', timeout: 60_000 });
  const daemonsMiB: Record<string, number | null> = {};
  for (const [, name, state, mib] of run.stdout.matchAll(/^(\S+)\s+(up|DOWN)\s+\S+\s+(\S+)/gm)) daemonsMiB[name] = state === 'up' ? Number(mib) : null;
  const total = /^total resident: (\d+) MiB$/m.exec(run.stdout);
  if (!total || Object.keys(daemonsMiB).length === 0) {
    throw new Error(`devcloud/status.sh did not report memory (exit ${run.status}):\n${run.stdout}${run.stderr}`);
  }
  return { daemonsMiB, totalMiB: Number(total[1]) };
}
