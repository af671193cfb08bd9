import * as fs from 'fs';
import { daemonLog, pauseDaemon } from '../../devcloud';

/** What {@link forceCreateRace} saw, once it resumed the conductor. */
export interface ForcedRace {
  /** The clusters whose first read magnum-api answered 404, in order. */
  readonly lost: string[];
  /** How long the conductor was paused. */
  readonly pausedSeconds: number;
}

/** magnum-api's access line (werkzeug's, colours and all) of a read of one cluster answered 404. */
const READ_404 = /GET \/v1\/clusters\/([0-9a-f-]{36}) HTTP\/1\.1[^"]*" 404/g;

/**
 * Provider 3.4.0's create race (scripts/lib/lost-create.ts), forced with the real Magnum: its conductor paused
 * (SIGSTOP) from now until magnum-api has answered a first read of `count` clusters with 404, which is what a
 * busy conductor does by chance: Magnum's API takes the create (202) and casts it to the queue, the provider
 * reads the cluster at once, and the conductor saves it only once it runs again. Resumed after `timeoutMs` in
 * any case; `resume` (idempotent) is for a test's cleanup.
 */
export function forceCreateRace(count: number, timeoutMs = 300_000): { done: Promise<ForcedRace>; resume: () => void } {
  const log = daemonLog('magnum-api');
  let offset = fs.statSync(log).size;
  const started = Date.now();
  const resumeConductor = pauseDaemon('magnum-conductor');
  const lost: string[] = [];
  let finish: (() => void) | undefined;
  const done = new Promise<ForcedRace>((resolve) => {
    const timer = setInterval(() => {
      const fd = fs.openSync(log, 'r');
      try {
        const size = fs.fstatSync(fd).size;
        const buffer = Buffer.alloc(Math.max(0, size - offset));
        fs.readSync(fd, buffer, 0, buffer.length, offset);
        // Up to the last whole line: the rest is read next time.
        const text = buffer.toString('utf8');
        const whole = text.slice(0, text.lastIndexOf('\n') + 1);
        offset += Buffer.byteLength(whole);
        for (const [, id] of whole.matchAll(READ_404)) if (!lost.includes(id)) lost.push(id);
      } finally {
        fs.closeSync(fd);
      }
      if (lost.length >= count || Date.now() - started > timeoutMs) finish!();
    }, 100);
    finish = () => {
      if (finish === undefined) return;
      finish = undefined;
      clearInterval(timer);
      resumeConductor();
      resolve({ lost, pausedSeconds: (Date.now() - started) / 1000 });
    };
  });
  return { done, resume: () => finish?.() };
}
