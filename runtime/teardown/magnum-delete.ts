import { backoffDelayMs, BackoffPolicy, sleep, statusOf } from '../openstack';
import { TEARDOWN_DEFAULTS } from './execute';

/** Options of the teardown CLI's Magnum deletes (node groups, the cluster) and resizes (a node group). */
export interface MagnumWaitOptions {
  /** Report what would be done, change nothing. @default false */
  readonly dryRun?: boolean;
  /** Seconds to wait for Magnum to be done (the object gone, the group resized). @default 600 */
  readonly timeoutSeconds?: number;
  /** Waits between polls and between retries of a refused delete. @default - 1 s doubling to 10 s, with jitter */
  readonly backoff?: BackoffPolicy;
  /** One line per step. @default - none */
  readonly onLine?: (line: string) => void;
  /** Stops waiting; a re-run converges. @default - never */
  readonly signal?: AbortSignal;
}

/** How to delete one Magnum object and read its status. */
export interface MagnumObject {
  /** What the progress lines call it, e.g. `node group infra`. */
  readonly label: string;
  /** The line said once Magnum has accepted the delete. */
  readonly acceptedLine: string;
  /** Asks Magnum to delete it; false when Magnum does not know it (already gone). */
  readonly delete: () => Promise<boolean>;
  /**
   * Its status, or undefined once Magnum no longer knows it. A DELETE_FAILED it answers fails the
   * wait: one left from before the delete must be answered as something else (see deleteCluster).
   */
  readonly status: () => Promise<string | undefined>;
}

/** Magnum answered DELETE_FAILED for the object this delete was waiting for. */
export class MagnumDeleteFailedError extends Error {
  constructor(public readonly label: string) {
    super('Magnum reports DELETE_FAILED');
  }
}

/** Waits between polls of a Magnum object, and between retries of a refused request: 1 s doubling to 10 s, with jitter. */
export const MAGNUM_POLL_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 10_000 };

/** Magnum answers 409 (or 400 naming the cluster's status) while the cluster is busy: try again later. */
const BUSY = new Set([400, 409]);

/**
 * Deletes a Magnum object (cluster or node group) and waits until Magnum answers
 * 404 for it. Refusals while busy are retried with backoff until the timeout.
 * DELETE_FAILED fails the wait. Resolves false when the object was already gone. `dryRun` is the caller's.
 */
export async function deleteAndWaitGone(object: MagnumObject, options: MagnumWaitOptions): Promise<boolean> {
  const say = options.onLine ?? (() => undefined);
  const timeoutSeconds = options.timeoutSeconds ?? TEARDOWN_DEFAULTS.timeoutSeconds;
  const deadline = Date.now() + timeoutSeconds * 1000;
  const backoff = options.backoff ?? MAGNUM_POLL_BACKOFF;
  for (let attempt = 0; ; attempt++) {
    try {
      if (!(await object.delete())) return false;
      say(object.acceptedLine);
      break;
    } catch (error) {
      if (!BUSY.has(statusOf(error) ?? 0) || Date.now() > deadline) throw error;
      say(`  ${object.label}: Magnum refused the delete for now (${(error as Error).message}); retrying`);
      await sleep(backoffDelayMs(attempt, backoff), options.signal);
    }
  }
  for (let attempt = 0; ; attempt++) {
    const status = await object.status();
    if (status === undefined) return true;
    if (status === 'DELETE_FAILED') throw new MagnumDeleteFailedError(object.label);
    if (Date.now() > deadline) throw new Error(`still there (${status}) after ${timeoutSeconds} s`);
    await sleep(backoffDelayMs(attempt, backoff), options.signal);
  }
}
