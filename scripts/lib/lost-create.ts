import { backoffDelayMs, BackoffPolicy, OpenStackClient, sleep } from '../../runtime/openstack';
import { clusterStatus } from '../../runtime/teardown/cluster-delete';
import { MAGNUM_POLL_BACKOFF } from '../../runtime/teardown/magnum-delete';
import { DEFAULT_CREATE_TIMEOUT_MINUTES, TERRAFORM_TIMEOUT_MARGIN_MINUTES } from '../../lib/magnum/create-timeout';
import { CLUSTER, instanceAddress, StateJson, taintedInstances } from './terraform-state';

/**
 * A cluster whose create the provider reported failed in its wait, while Magnum may go on with it. Mostly
 * provider 3.4.0's race with Magnum's conductor:
 *
 * Magnum's API answers a create with 202 and the cluster's UUID, and casts the create to its conductor, which
 * saves the cluster only then. The provider polls at once (`Delay: 0`), and its refresh answers a 404 with the
 * state `DELETE_COMPLETE` and a typed nil that its wait takes for an object, not for "not found": when the first
 * poll comes before the conductor's write, the apply fails with "unexpected state 'DELETE_COMPLETE', wanted
 * target 'CREATE_COMPLETE'", and Terraform keeps the cluster tainted, to be replaced by the next apply, while
 * Magnum creates it (CI, 2026-12-05: a GET 183 ms after the POST answered 404).
 *
 * Told apart from a cluster the operator tainted (`terraform taint`, a replacement asked for) by what the
 * provider saved: it reads the cluster back (`created_at` among the rest) only after its wait, so a create
 * that failed in the wait left none. So does one whose wait was interrupted (Ctrl-C) or timed out, or whose
 * read failed, and one that Magnum failed (`CREATE_FAILED`); what Magnum shows tells them apart
 * ({@link settleLostCreate}): a cluster Magnum created is kept, whatever stopped the provider's wait.
 */
export interface LostCreate {
  /** Its Terraform address. */
  readonly address: string;
  /** Its UUID, as the provider saved it from Magnum's answer. */
  readonly id: string;
  /** Magnum's create timeout for it, as the configuration gave it (`create_timeout`). */
  readonly createTimeoutMinutes?: number;
}

/** The clusters the state holds tainted and never read back: their create failed in the provider's wait. */
export function lostCreates(state: StateJson): LostCreate[] {
  return taintedInstances(state, CLUSTER)
    .filter(({ instance }) => instance.deposed === undefined && !instance.attributes.created_at)
    .map(({ name, instance }) => ({
      address: instanceAddress(CLUSTER, name, instance),
      id: instance.attributes.id,
      createTimeoutMinutes: typeof instance.attributes.create_timeout === 'number' ? instance.attributes.create_timeout : undefined,
    }));
}

/** How long a lost create that Magnum does not show is waited for: a busy conductor has not saved it yet. */
export const LOST_CREATE_GRACE_SECONDS = 300;

/** How {@link settleLostCreate} waits. */
export interface SettleOptions {
  /** How long a cluster Magnum does not show is waited for. @default LOST_CREATE_GRACE_SECONDS */
  readonly graceSeconds?: number;
  /** Between Magnum's answers. @default MAGNUM_POLL_BACKOFF */
  readonly backoff?: BackoffPolicy;
  /** Where the wait is told: once for each status Magnum shows. @default nothing told */
  readonly onLine?: (line: string) => void;
}

/**
 * Waits while Magnum creates a lost create's cluster, and says how it ended: its status (`CREATE_COMPLETE`, a
 * `*_FAILED`, or anything else not in progress), or undefined when Magnum never showed it within the grace.
 * Throws when it is still in progress after Magnum's own create timeout and the margin Terraform's own wait has:
 * by then Magnum has failed the create itself (Heat's stack timeout).
 */
export async function settleLostCreate(client: OpenStackClient, lost: LostCreate, options: SettleOptions = {}): Promise<string | undefined> {
  const say = options.onLine ?? (() => undefined);
  const started = Date.now();
  const graceEnd = started + (options.graceSeconds ?? LOST_CREATE_GRACE_SECONDS) * 1000;
  const minutes = (lost.createTimeoutMinutes ?? DEFAULT_CREATE_TIMEOUT_MINUTES) + TERRAFORM_TIMEOUT_MARGIN_MINUTES;
  const deadline = started + minutes * 60_000;
  let told: string | undefined;
  for (let attempt = 0; ; attempt++) {
    const status = (await clusterStatus(client, lost.id))?.status;
    if (status !== undefined && status !== 'CREATE_IN_PROGRESS') return status;
    if (status === undefined && Date.now() > graceEnd) return undefined;
    if (Date.now() > deadline)
      throw new Error(
        `cluster ${lost.id} is still CREATE_IN_PROGRESS after ${minutes} min (its create timeout and a margin of ${TERRAFORM_TIMEOUT_MARGIN_MINUTES})`,
      );
    const now = status ?? 'not shown by Magnum yet';
    if (now !== told) say(`  cluster ${lost.id}: ${now}, waiting`);
    told = now;
    await sleep(backoffDelayMs(attempt, options.backoff ?? MAGNUM_POLL_BACKOFF));
  }
}
