import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * wait_noting_signals (scripts/lib/common.sh) runs the deploy's CLI where cdktf.sh would exec it, so that it can
 * deploy again once the provider lost a create. These tests run it through bash with a real child that records
 * the signals it gets: the child must get what it got when cdktf.sh exec'd it, once each, and the shell must
 * know it was interrupted (no second deploy then).
 */

const common = path.join(__dirname, '..', '..', 'scripts', 'lib', 'common.sh');
/** A child that says when it is ready, records its stdin (exit 3 at its end), SIGINTs (exit 130 soon after the first) and SIGTERM (exit 7); exit 0 after 5 s. */
const CHILD = `
const fs = require('fs');
const [record, ready] = process.argv.slice(1);
let ints = 0;
process.on('SIGINT', () => { ints++; fs.writeFileSync(record, 'INT ' + ints); if (ints === 1) setTimeout(() => process.exit(130), 300); });
process.on('SIGTERM', () => { fs.writeFileSync(record, 'TERM'); process.exit(7); });
let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => { fs.writeFileSync(record, 'stdin ' + JSON.stringify(input)); process.exit(3); });
fs.writeFileSync(ready, '');
setTimeout(() => process.exit(0), 5000);
`;
const SHELL = 'source "$1"; shift; wait_noting_signals "$@"; echo "status=$WAITED_STATUS interrupted=$WAITED_INTERRUPTED"';
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wns-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The shell in a process group of its own (its pid the group's id), its child started; resolves with what it printed. */
async function started(): Promise<{ pid: number; ended: Promise<string>; record: () => string }> {
  const [record, ready] = [path.join(dir, 'record'), path.join(dir, 'ready')];
  const shell = spawn('bash', ['-c', SHELL, 'wns', common, 'node', '-e', CHILD, record, ready], { detached: true, stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  shell.stdout.on('data', (d) => (out += d));
  const ended = new Promise<string>((resolve) => shell.on('close', () => resolve(out.trim())));
  for (let i = 0; i < 100 && !fs.existsSync(ready); i++) await new Promise((r) => setTimeout(r, 50));
  return { pid: shell.pid!, ended, record: () => fs.readFileSync(record, 'utf8') };
}

test("the child reads the shell's stdin, and its exit status is the shell's to act on; no signal, not interrupted", () => {
  const run = spawnSync('bash', ['-c', SHELL, 'wns', common, 'node', '-e', CHILD, path.join(dir, 'record'), path.join(dir, 'ready')], {
    input: 'yes\n',
    encoding: 'utf8',
  });
  expect({ printed: run.stdout.trim(), record: fs.readFileSync(path.join(dir, 'record'), 'utf8') }).toEqual({
    printed: 'status=3 interrupted=',
    record: 'stdin "yes\\n"',
  });
});

test('SIGTERM sent to the shell alone reaches the child at once; the shell notes it', async () => {
  const run = await started();
  process.kill(run.pid, 'SIGTERM');
  expect({ printed: await run.ended, record: run.record() }).toEqual({ printed: 'status=7 interrupted=1', record: 'TERM' });
});

test('Ctrl-C (SIGINT to the process group) reaches the child once, not twice; the shell notes it', async () => {
  const run = await started();
  process.kill(-run.pid, 'SIGINT');
  expect({ printed: await run.ended, record: run.record() }).toEqual({ printed: 'status=130 interrupted=1', record: 'INT 1' });
});
