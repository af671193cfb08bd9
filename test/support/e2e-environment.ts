import * as fs from 'fs';
import * as path from 'path';
import { TestEnvironment } from 'jest-environment-node';

/**
 * The test environment of the e2e tier: Node's, holding a lock for the whole test file (from before its
 * first hook to after its last), so that e2e files run one at a time whatever jest's worker count. On 2
 * cores jest ran two at once, and stacks.e2e destroyed the stacks concurrent.e2e was deploying: they share
 * terraform.<stack>.tfstate and the one cloud. Unit and integration files still run beside them. The lock is
 * a directory (mkdir is atomic) holding its owner's pid; one whose owner is gone is taken over.
 */

const LOCK = path.join(__dirname, '..', '..', '.tmp', 'e2e.lock');
const OWNER = path.join(LOCK, 'pid');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function acquire(): Promise<void> {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      fs.writeFileSync(OWNER, String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner = NaN;
    try {
      owner = Number(fs.readFileSync(OWNER, 'utf8'));
    } catch {
      // Taken a moment ago, its pid not yet written: wait.
    }
    if (Number.isInteger(owner) && owner > 0 && !alive(owner)) {
      fs.rmSync(LOCK, { recursive: true, force: true });
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function release(): void {
  try {
    if (Number(fs.readFileSync(OWNER, 'utf8')) === process.pid) fs.rmSync(LOCK, { recursive: true, force: true });
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
