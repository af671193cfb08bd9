import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * devcloud/lib/process.sh decides which recorded daemons still run. A PID file outlives its
 * process: after a reboot, or when a container is restored from a copy of the disk, the same
 * numbers come back for other processes (in CI one run's placement.pid named the next run's
 * RabbitMQ, so placement was never started). These tests run the library's own functions
 * through bash against a real process.
 */

const lib = path.join(__dirname, '..', '..', 'devcloud', 'lib', 'process.sh');
let run: string;
let child: ChildProcess;

/** Runs one of the library's functions with its arguments, $RUN pointing at this test's directory. */
function sh(...argv: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('bash', ['-c', 'RUN=$1; source "$2"; shift 2; "$@"', 'process-test', run, lib, ...argv], { encoding: 'utf8' });
}

const pidFile = () => path.join(run, 'daemon.pid');

beforeEach(() => {
  run = fs.mkdtempSync(path.join(os.tmpdir(), 'devcloud-run-'));
  child = spawn('sleep', ['60'], { stdio: 'ignore' });
});
afterEach(() => {
  child.kill('SIGKILL');
  fs.rmSync(run, { recursive: true, force: true });
});

test('a daemon recorded with its start time is the one that runs', () => {
  const start = sh('started_at', String(child.pid));
  expect(start.stdout).toMatch(/^[0-9a-f-]{36}:\d+\n$/);
  fs.writeFileSync(pidFile(), `${child.pid} ${start.stdout}`);
  expect(sh('pid_of', 'daemon').stdout).toBe(`${child.pid}\n`);
  expect(sh('running', 'daemon').status).toBe(0);
});

test('a recorded PID that another process now holds is not the daemon, and its files are forgotten', () => {
  const [boot, ticks] = sh('started_at', String(child.pid)).stdout.trim().split(':');
  fs.writeFileSync(pidFile(), `${child.pid} ${boot}:${Number(ticks) - 1000}\n`);
  fs.writeFileSync(path.join(run, 'daemon.inputs'), `${child.pid} 0123\n`);
  expect(sh('running', 'daemon').status).toBe(1);
  sh('forget_stale_pids');
  expect(fs.readdirSync(run)).toEqual([]);
});

test('a PID file without a start time is believed only for a process no younger than the file', () => {
  fs.writeFileSync(pidFile(), `${child.pid}\n`);
  expect(sh('pid_of', 'daemon').stdout).toBe(`${child.pid}\n`);
  const hourAgo = new Date(Date.now() - 3600_000);
  fs.utimesSync(pidFile(), hourAgo, hourAgo);
  expect(sh('running', 'daemon').status).toBe(1);
});

test('a daemon that has exited is not running', () => {
  const dead = spawnSync('bash', ['-c', 'echo $$']).stdout.toString().trim();
  fs.writeFileSync(pidFile(), `${dead} 1:1\n`);
  expect(sh('running', 'daemon').status).toBe(1);
});
