/** Bounds of an exponential backoff. */
export interface BackoffPolicy {
  /** Delay before the first retry, in ms. @default 500 */
  readonly baseMs?: number;
  /** Largest delay between two attempts, in ms. @default 10000 */
  readonly maxMs?: number;
}

/**
 * Delay before retry number `attempt` (0 for the first): doubling from `baseMs`,
 * capped at `maxMs`, with "equal jitter" (half fixed, half random) so parallel
 * deletes do not retry in lockstep against the same API.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy = {}, random: () => number = Math.random): number {
  const base = policy.baseMs ?? 500;
  const max = policy.maxMs ?? 10_000;
  const ceiling = Math.min(max, base * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** The error a wait throws when its signal aborts. */
export class AbortedError extends Error {
  constructor(message = 'aborted') {
    super(message);
    this.name = 'AbortedError';
  }
}

/** Waits `ms`, or rejects with AbortedError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortedError());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs `work` on every item with at most `limit` running at once; never starts new work after `signal` aborts. */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      await work(items[next++]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
