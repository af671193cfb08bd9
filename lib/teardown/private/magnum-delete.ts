import { statusOf } from '../openstack-client';
import { backoffDelayMs, BackoffPolicy, sleep } from './backoff';

/** How to delete one Magnum object and read its status. */
export interface MagnumObject {
  /** Asks Magnum to delete it; false when Magnum does not know it (already gone). */
  readonly delete: () => Promise<boolean>;
  /** Its status, or undefined once Magnum no longer knows it. */
  readonly status: () => Promise<string | undefined>;
  /** Its status when it was last read before the delete, if the caller read it. */
  readonly statusBefore?: string;
}

/** Bounds of {@link deleteAndWaitGone}. */
export interface MagnumDeleteOptions {
  /** When to give up (ms since the epoch), shared by the caller's other deletes. */
  readonly deadline: number;
  /** The timeout the deadline came from, for the message. */
  readonly timeoutSeconds: number;
  /** Waits between polls and between retries of a refused delete. */
  readonly backoff: BackoffPolicy;
  /** Stops waiting (AbortedError); a re-run converges. */
  readonly signal?: AbortSignal;
  /** Called each time Magnum refuses the delete for now. */
  readonly onRefused: (error: Error) => void;
  /** Called once Magnum has accepted the delete. */
  readonly onAccepted: () => void;
}

/** Magnum answers 409 (or 400 naming the cluster's status) while the cluster is busy: try again later. */
const BUSY = new Set([400, 409]);

/**
 * Deletes a Magnum object (cluster or node group) and waits until Magnum answers
 * 404 for it. Refusals while busy are retried with backoff until the deadline.
 * DELETE_FAILED fails the wait, except a stale one: an object that was already
 * DELETE_FAILED before this delete fails only once DELETE_IN_PROGRESS was seen.
 * Resolves false when the object was already gone.
 */
export async function deleteAndWaitGone(object: MagnumObject, options: MagnumDeleteOptions): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    try {
      if (!(await object.delete())) return false;
      options.onAccepted();
      break;
    } catch (error) {
      if (!BUSY.has(statusOf(error) ?? 0) || Date.now() > options.deadline) throw error;
      options.onRefused(error as Error);
      await sleep(backoffDelayMs(attempt, options.backoff), options.signal);
    }
  }
  let deleting = object.statusBefore !== 'DELETE_FAILED';
  for (let attempt = 0; ; attempt++) {
    const status = await object.status();
    if (status === undefined) return true;
    deleting ||= status === 'DELETE_IN_PROGRESS';
    if (status === 'DELETE_FAILED' && deleting) throw new Error('Magnum reports DELETE_FAILED');
    if (Date.now() > options.deadline) throw new Error(`still there (${status}) after ${options.timeoutSeconds} s`);
    await sleep(backoffDelayMs(attempt, options.backoff), options.signal);
  }
}
