import * as fs from 'fs';
import * as path from 'path';
import { TestEnvironment } from 'jest-environment-node';
import { procStat } from './proc-stat';

/**
 * The test environment of the e2e tier: Node's, holding a lock for the whole test file (from before its
 * first hook to after its last), so that e2e files run one at a time whatever jest's worker count. On 2
 * cores jest ran two at once, and one file destroyed the stacks another was deploying: they share
 * terraform.<stack>.tfstate and the one cloud. Unit and integration files still run beside them. The lock is
 * a directory (mkdir is atomic) holding its owner's pid and start time; one whose owner is gone is taken
 * over. The start time matters after a reboot or a restored container, where the pid names another process.
 */

const LOCK = path.join(__dirname, '..', '..', '.tmp', 'e2e.lock');
const OWNER = path.join(LOCK, 'pid');

/** "PID TICKS": a process and when it started (clock ticks since boot, /proc/PID/stat's 22nd field). */
function identity(pid: number): string | undefined {
  try {
    return `${pid} ${procStat(pid)(22)}`;
  } catch {
    return undefined;
  }
}

export async function acquire(): Promise<void> {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      fs.writeFileSync(OWNER, identity(process.pid) ?? String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner = '';
    try {
      owner = fs.readFileSync(OWNER, 'utf8');
    } catch {
      // Taken a moment ago, its pid not yet written: wait.
    }
    if (owner !== '' && identity(Number(owner.split(' ')[0])) !== owner) {
      fs.rmSync(LOCK, { recursive: true, force: true });
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

export function release(): void {
  try {
    if (fs.readFileSync(OWNER, 'utf8') === identity(process.pid)) fs.rmSync(LOCK, { recursive: true, force: true });
  } catch {
    // Not ours, or gone.
  }
}

export default class E2eEnvironment extends TestEnvironment {
  public async setup(): Promise<void> {
    await acquire();
    await super.setup();
  }

  public async teardown(): Promise<void> {
    try {
      await super.teardown();
    } finally {
      release();
    }
  }
}
