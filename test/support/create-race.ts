import * as fs from 'fs';
import { daemonLog, pauseDaemon } from '../../devcloud';

/** What {@link forceCreateRace} saw, once it resumed the conductor. */
export interface ForcedRace {
  /** The clusters whose first read magnum-api answered 404, in order. */
  readonly lost: string[];
  /** How long the conductor was paused (0: never). */
  readonly pausedSeconds: number;
  /** Why it stopped watching early (an error reading the log), if it did. */
  readonly error?: string;
}

/** magnum-api's access lines (werkzeug's, colours and all): a template created, a read of one cluster answered 404. */
const TEMPLATE_CREATED = /POST \/v1\/clustertemplates HTTP\/1\.1[^"]*" 201/;
const READ_404 = /GET \/v1\/clusters\/([0-9a-f-]{36}) HTTP\/1\.1[^"]*" 404/g;

/**
 * Provider 3.4.0's create race (scripts/lib/lost-create.ts), forced with the real Magnum: once magnum-api has
 * created a cluster template (a cluster's create follows its template's by about a second), its conductor is
 * paused (SIGSTOP) until magnum-api has answered a first read of `count` clusters with 404. That is what a busy
 * conductor does by chance: Magnum's API takes the create (202) and casts it, the provider reads the cluster
 * at once, and the conductor saves it only once it runs again. Resumed after `timeoutMs` in any case (and by
 * pauseDaemon's own watchdog soon after, should this process be killed); `resume` is for a test's cleanup.
 */
export function forceCreateRace(count: number, timeoutMs = 300_000): { done: Promise<ForcedRace>; resume: () => void } {
  const log = daemonLog('magnum-api');
  let offset = fs.statSync(log).size;
  let resumeConductor: (() => void) | undefined;
  let pausedAt = 0;
  const lost: string[] = [];
  let finish: (error?: string) => void = () => {};
  const done = new Promise<ForcedRace>((resolve) => {
    const started = Date.now();
    const timer = setInterval(() => {
      try {
        const text = newLines();
        if (!resumeConductor && TEMPLATE_CREATED.test(text)) {
          resumeConductor = pauseDaemon('magnum-conductor', timeoutMs / 1000 + 30);
          pausedAt = Date.now();
        }
        if (resumeConductor) for (const [, id] of text.matchAll(READ_404)) if (!lost.includes(id)) lost.push(id);
        if (lost.length >= count || Date.now() - started > timeoutMs) finish();
      } catch (error) {
        finish((error as Error).message);
      }
    }, 50);
    let finished = false;
    finish = (error?: string) => {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      resumeConductor?.();
      resolve({ lost, pausedSeconds: pausedAt ? (Date.now() - pausedAt) / 1000 : 0, ...(error ? { error } : {}) });
    };
  });

  /** The whole lines written to the log since the last call (a log cut short is read from its start). */
  function newLines(): string {
    const fd = fs.openSync(log, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      if (size < offset) offset = 0;
      const buffer = Buffer.alloc(size - offset);
      fs.readSync(fd, buffer, 0, buffer.length, offset);
      const end = buffer.lastIndexOf(0x0a) + 1;
      offset += end;
      return buffer.subarray(0, end).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  }

  return { done, resume: () => finish() };
}
