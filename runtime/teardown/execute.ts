import { AbortedError, backoffDelayMs, BackoffPolicy, forEachLimited, isTransient, OpenStackClient, sleep, statusOf } from '../openstack';
import { BlockedError, Driver, DRIVERS, TeardownMode } from './drivers';
import { DELETE_ORDER, PlannedResource, TeardownPlan } from './plan';

/** Defaults of {@link TeardownOptions} that the CLI and the Magnum deletes share. */
export const TEARDOWN_DEFAULTS = {
  concurrency: 8,
  mode: 'cascade' as TeardownMode,
  timeoutSeconds: 600,
  /**
   * Polls of a delete in progress, and retries of a 409: an Octavia cascade delete takes seconds, so a wait
   * that grew to the client's 10 s left a deleted load balancer's slot idle for most of that (README,
   * Benchmarks). At most 8 GETs every 2 s. Transient errors keep the client's longer waits (see Limits).
   */
  backoff: { baseMs: 250, maxMs: 2_000 } as BackoffPolicy,
} as const;

/** Options of {@link executeTeardown}. */
export interface TeardownOptions {
  /** Report what would be deleted, delete nothing. @default false */
  readonly dryRun?: boolean;
  /** Resources of one kind deleted at once. @default 8 */
  readonly concurrency?: number;
  /** How load balancers are deleted; `cascade` falls back to `ordered` where Octavia refuses it. @default 'cascade' */
  readonly mode?: TeardownMode;
  /** Seconds the whole run may take before what is left counts as failed. @default 600 */
  readonly timeoutSeconds?: number;
  /** Answers with no response, 429 or 5xx tolerated per resource (on top of the client's own retries). @default 8 */
  readonly maxTransientErrors?: number;
  /** Waits between polls and retries. @default - 250 ms doubling to 2 s, with jitter */
  readonly backoff?: BackoffPolicy;
  /** Called for every step. @default - none */
  readonly onEvent?: (event: TeardownEvent) => void;
  /** Stops the run: nothing new starts, waits end; a re-run converges. @default - never */
  readonly signal?: AbortSignal;
}

/** What happened to one resource. */
export type TeardownAction = 'would-delete' | 'deleting' | 'step' | 'retrying' | 'deleted' | 'failed';

/** Progress of a teardown. */
export interface TeardownEvent {
  readonly action: TeardownAction;
  readonly resource: PlannedResource;
  readonly detail?: string;
}

/** A resource that could not be deleted. */
export interface TeardownFailure {
  readonly resource: PlannedResource;
  readonly error: string;
}

/** What a teardown did. */
export interface TeardownResult {
  readonly dryRun: boolean;
  readonly mode: TeardownMode;
  readonly deleted: PlannedResource[];
  readonly failed: TeardownFailure[];
  /** Not finished because the run was interrupted. */
  readonly interrupted: PlannedResource[];
  readonly elapsedMs: number;
}

interface Limits {
  readonly deadline: number;
  readonly maxTransient: number;
  /** Between polls of a delete in progress and retries of a 409. */
  readonly backoff: BackoffPolicy;
  /**
   * After an answer with no response, 429 or 5xx: the caller's backoff, else the client's (500 ms to 10 s), so
   * that `maxTransientErrors` still spans an API's restart (about a minute), as it did before polls got quicker.
   */
  readonly transientBackoff?: BackoffPolicy;
  readonly signal?: AbortSignal;
}

const describeError = (error: unknown) => (error as Error).message ?? String(error);

/**
 * Drives one resource until it is gone: probe, one step, probe again. 404 is success,
 * 409 and busy states are waited out, answers with no response or 5xx are retried
 * up to a bound; backoff grows while nothing moves and resets on progress.
 */
async function drive(driver: Driver, limits: Limits, retrying: (detail: string) => void, stepped: (detail: string) => void): Promise<void> {
  let transient = 0;
  let attempt = 0;
  let lookedAgain = false;
  let lastState = 'not looked at yet';
  let transientError = false;
  for (;;) {
    if (limits.signal?.aborted) throw new AbortedError();
    let progressed = false;
    transientError = false;
    try {
      const state = await driver.probe();
      if (state === 'gone') return;
      lastState = state;
      if (state === 'ready') {
        stepped(await driver.step());
        progressed = true;
      }
    } catch (error) {
      if (error instanceof AbortedError || error instanceof BlockedError) throw error;
      const status = statusOf(error);
      if (status === 404) {
        progressed = true; // a child or the resource itself went away: look again
      } else if (status === 409) {
        retrying(`busy (${describeError(error)})`);
      } else if (isTransient(error) && ++transient <= limits.maxTransient) {
        transientError = true;
        retrying(`transient error ${transient}/${limits.maxTransient} (${describeError(error)})`);
      } else {
        throw error;
      }
      lastState = describeError(error);
    }
    if (progressed) attempt = 0;
    // After progress, look again at once (most deletes are done by then), but never twice in a row without a wait.
    if (progressed && !lookedAgain) {
      lookedAgain = true;
      continue;
    }
    lookedAgain = false;
    if (Date.now() >= limits.deadline) throw new Error(`gave up at the deadline; last: ${lastState}`);
    const policy = transientError ? limits.transientBackoff : limits.backoff;
    await sleep(Math.min(backoffDelayMs(attempt++, policy), Math.max(0, limits.deadline - Date.now())), limits.signal);
  }
}

/** Deletes a plan's resources kind by kind (see {@link DELETE_ORDER}), each kind in parallel up to the concurrency bound. */
export async function executeTeardown(client: OpenStackClient, plan: TeardownPlan, options: TeardownOptions = {}): Promise<TeardownResult> {
  const started = Date.now();
  const emit = options.onEvent ?? (() => undefined);
  const mode = options.mode ?? TEARDOWN_DEFAULTS.mode;
  const result = {
    dryRun: options.dryRun ?? false,
    mode,
    deleted: [] as PlannedResource[],
    failed: [] as TeardownFailure[],
    interrupted: [] as PlannedResource[],
    elapsedMs: 0,
  };
  const limits: Limits = {
    deadline: started + (options.timeoutSeconds ?? TEARDOWN_DEFAULTS.timeoutSeconds) * 1000,
    maxTransient: options.maxTransientErrors ?? 8,
    backoff: options.backoff ?? TEARDOWN_DEFAULTS.backoff,
    transientBackoff: options.backoff,
    signal: options.signal,
  };
  for (const kind of DELETE_ORDER) {
    const batch = plan.resources.filter((r) => r.kind === kind);
    if (result.dryRun) {
      batch.forEach((resource) => emit({ action: 'would-delete', resource, detail: resource.evidence }));
      continue;
    }
    await forEachLimited(
      batch,
      options.concurrency ?? TEARDOWN_DEFAULTS.concurrency,
      async (resource) => {
        emit({ action: 'deleting', resource });
        const note = (detail: string) => emit({ action: 'step', resource, detail });
        try {
          const driver = DRIVERS[kind](resource.id, { client, plan, mode, note });
          await drive(driver, limits, (detail) => emit({ action: 'retrying', resource, detail }), note);
          result.deleted.push(resource);
          emit({ action: 'deleted', resource });
        } catch (error) {
          if (error instanceof AbortedError) {
            result.interrupted.push(resource);
            return;
          }
          result.failed.push({ resource, error: describeError(error) });
          emit({ action: 'failed', resource, detail: describeError(error) });
        }
      },
      options.signal,
    );
  }
  const settled = new Set([...result.deleted, ...result.failed.map((f) => f.resource), ...result.interrupted]);
  if (!result.dryRun) result.interrupted.push(...plan.resources.filter((r) => !settled.has(r)));
  return { ...result, elapsedMs: Date.now() - started };
}
