import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { procStat } from '../support/proc-stat';

/**
 * background_low (scripts/lib/common.sh) starts what npm test runs beside the e2e tier (the unit and integration
 * tiers, the Kubernetes and OpenTofu builds) at a lower priority. nice alone does not lower a command in a session
 * of its own: the kernel shares the CPU between sessions first (sched_autogroup), so the session takes the nice
 * value too. These tests run the function through bash and read the kernel's own accounts in /proc.
 */

const common = path.join(__dirname, '..', '..', 'scripts', 'lib', 'common.sh');
/** The first core this process may run on (a container's cpuset need not hold core 0). */
const core = /list:\s*(\d+)/.exec(spawnSync('taskset', ['-cp', String(process.pid)], { encoding: 'utf8' }).stdout)?.[1] ?? '0';
/** A loop that keeps one core busy for 15 s at most (it outlives a jest killed before afterEach), pinned so that two compete. */
const BUSY = ['taskset', '-c', core, 'bash', '-c', 'while ((SECONDS < 15)); do :; done'];
const started: number[] = [];

/** `background_low NICE ARGV…`, through bash as the scripts run it; returns the BG_PID it set. */
function backgroundLow(nice: number, argv: string[]): number {
  const r = spawnSync(
    'bash',
    ['-c', 'source "$1"; shift; background_low "$@" > /dev/null 2>&1 < /dev/null; echo "$BG_PID"', 'bg-test', common, String(nice), ...argv],
    {
      encoding: 'utf8',
    },
  );
  const pid = Number(r.stdout.trim());
  if (r.status !== 0 || !Number.isInteger(pid) || pid <= 0) throw new Error(`background_low did not start ${argv.join(' ')}: ${r.stdout}${r.stderr}`);
  started.push(pid);
  return pid;
}

/** What the tests read of /proc/PID/stat. */
function stat(pid: number): Record<'pgrp' | 'session' | 'utime' | 'stime' | 'nice', number> {
  const field = procStat(pid);
  return { pgrp: field(5), session: field(6), utime: field(14), stime: field(15), nice: field(19) };
}

const sleepSeconds = (s: number) => spawnSync('sleep', [String(s)]);

afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

test('the command runs in a session and process group of its own, at the nice value given, its session too', () => {
  const pid = backgroundLow(10, ['sleep', '30']);
  // Until it runs sleep: the session's nice value is set before that exec.
  for (let i = 0; i < 50 && fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'sleep'; i++) sleepSeconds(0.1);
  expect(stat(pid)).toMatchObject({ pgrp: pid, session: pid, nice: 10 });
  if (fs.existsSync('/proc/self/autogroup')) {
    expect(fs.readFileSync(`/proc/${pid}/autogroup`, 'utf8')).toMatch(/ nice 10\n$/);
  }
});

test('beside a command of its own session at nice 0, it gets a small share of a core, not half', () => {
  // Each in a new session, as npm test's e2e tier and its background work are in sessions apart from each other.
  const high = backgroundLow(0, BUSY);
  const low = backgroundLow(10, BUSY);
  sleepSeconds(3);
  const ticks = (pid: number) => stat(pid).utime + stat(pid).stime;
  const [h, l] = [ticks(high), ticks(low)];
  // nice 10 weighs about a tenth of nice 0 (the kernel's weights: 110 against 1024); nice alone would give half.
  expect(h).toBeGreaterThan(0);
  expect(l / h).toBeLessThan(0.3);
});
