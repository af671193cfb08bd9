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
/** This process's nice value: the tests run inside npm test's lowered tiers too (at 10, or nested in the Node 22 tier). */
const own = procStat(process.pid)(19);

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

/** Starts `sleep 30` with background_low NICE; returns its pid once it runs sleep (its nice values are set before that exec). */
function sleeper(nice: number): number {
  const pid = backgroundLow(nice, ['sleep', '30']);
  for (let i = 0; i < 50 && fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'sleep'; i++) sleepSeconds(0.1);
  return pid;
}

/** The nice value of PID's session (autogroup), or undefined where the kernel has no autogroups. */
const sessionNice = (pid: number) =>
  fs.existsSync('/proc/self/autogroup') ? Number(/ nice (-?\d+)\n$/.exec(fs.readFileSync(`/proc/${pid}/autogroup`, 'utf8'))?.[1]) : undefined;

test('the command runs in a session and process group of its own, at the nice value given, its session too', () => {
  const want = Math.max(own, 15);
  const pid = sleeper(15);
  expect({ ...stat(pid), session_nice: sessionNice(pid) }).toMatchObject({
    pgrp: pid,
    session: pid,
    nice: want,
    session_nice: fs.existsSync('/proc/self/autogroup') ? want : undefined,
  });
});

test('NICE is a value, not an increment, and never a higher priority than the caller has', () => {
  // Caller at `own`: asked for less than that, the job stays at the caller's value; asked for more, it gets it.
  expect([stat(sleeper(own - 1)).nice, stat(sleeper(Math.min(own + 5, 19))).nice]).toEqual([own, Math.min(own + 5, 19)]);
});

test('beside a command of its own session nine or ten nice values higher in priority, it gets a small share of a core, not half', () => {
  // Each in a new session, as npm test's e2e tier and its background work are in sessions apart from each other.
  // Ten apart (as npm test's 10 is from the e2e tier's 0) from this process's own value, nine where that is the room
  // left (this test runs in npm test's tier at 10): the kernel's weights for 10 and 19, 110 and 15, are as far apart.
  const low = Math.min(own + 10, 19);
  if (low - own < 9) throw new Error(`this test needs room for two nice values nine apart, and runs at nice ${own}: run it at 10 or less`);
  const high = backgroundLow(own, BUSY);
  const lowPid = backgroundLow(low, BUSY);
  sleepSeconds(3);
  const ticks = (pid: number) => stat(pid).utime + stat(pid).stime;
  const [h, l] = [ticks(high), ticks(lowPid)];
  // The lower weighs about a tenth of the higher (nice 10 against 0: 110 against 1024); nice alone would give half.
  expect(h).toBeGreaterThan(0);
  expect(l / h).toBeLessThan(0.3);
});
