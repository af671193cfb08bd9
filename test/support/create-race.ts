import * as fs from 'fs';
import * as path from 'path';
import { devcloudHome, holdWrites } from '../../devcloud';

/** What {@link forceCreateRace} saw, once it let Magnum write again. */
export interface ForcedRace {
  /** The clusters whose first read magnum-api answered 404, in order. */
  readonly lost: string[];
  /** How long Magnum's writes of clusters were held. */
  readonly heldSeconds: number;
  /** Why it stopped watching early (an error reading the log), if it did. */
  readonly error?: string;
}

/** magnum-api's access line (werkzeug's, colours and all) of a read of one cluster answered 404. */
const READ_404 = /GET \/v1\/clusters\/([0-9a-f-]{36}) HTTP\/1\.1[^"]*" 404/g;
/** Any request for one cluster. */
const ANY_CLUSTER = /\/v1\/clusters\/([0-9a-f-]{36})/g;

/**
 * Provider 3.4.0's create race (scripts/lib/lost-create.ts), forced with the real Magnum: from now until
 * magnum-api has answered a first read of `count` clusters with 404, Magnum's database takes no write to its
 * cluster table (devcloud's holdWrites), so its conductor saves a cluster the API took (202) only after the
 * provider read it, which is what a busy conductor does by chance. Magnum answers everything else meanwhile:
 * its API reads through the conductor (object indirection), so pausing the conductor would stall the create
 * itself. Released after `timeoutMs` in any case; `release` is for a test's cleanup.
 */
export async function forceCreateRace(count: number, timeoutMs = 300_000): Promise<{ done: Promise<ForcedRace>; release: () => Promise<void> }> {
  const log = path.join(devcloudHome(), 'log', 'magnum-api.out');
  let offset = 0;
  // The clusters magnum-api has answered for before: a 404 for one of them (a delete's last poll) is no new create's.
  const known = new Set([...newLines().matchAll(ANY_CLUSTER)].map((m) => m[1]));
  const releaseWrites = await holdWrites('magnum', 'cluster');
  const started = Date.now();
  const lost: string[] = [];
  let finish: (error?: string) => Promise<void> = async () => {};
  const done = new Promise<ForcedRace>((resolve) => {
    const timer = setInterval(() => {
      try {
        const text = newLines();
        for (const [, id] of text.matchAll(READ_404)) if (!known.has(id) && !lost.includes(id)) lost.push(id);
        for (const [, id] of text.matchAll(ANY_CLUSTER)) if (!lost.includes(id)) known.add(id);
        if (lost.length >= count || Date.now() - started > timeoutMs) void finish();
      } catch (error) {
        void finish((error as Error).message);
      }
    }, 50);
    let finished: Promise<void> | undefined;
    finish = (error?: string) =>
      (finished ??= (async () => {
        clearInterval(timer);
        const heldSeconds = (Date.now() - started) / 1000;
        try {
          await releaseWrites();
        } catch (release) {
          error = [error, (release as Error).message].filter(Boolean).join('; ');
        }
        resolve({ lost, heldSeconds, ...(error ? { error } : {}) });
      })());
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

  return { done, release: () => finish() };
}
