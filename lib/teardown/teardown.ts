import { ClusterMatcher, CSI_CLUSTER_METADATA } from './matchers';
import { isTransient, OpenStackClient, statusOf, Volume } from './openstack-client';
import { AbortedError, backoffDelayMs, BackoffPolicy, forEachLimited, sleep } from './private/backoff';

/** What the teardown deletes. */
export type ResourceKind = 'loadbalancer' | 'floatingip' | 'securitygroup' | 'volume';

/** The order kinds are deleted in: a floating IP outlives its load balancer's VIP port, a security group its ports. */
export const DELETE_ORDER: readonly ResourceKind[] = ['loadbalancer', 'floatingip', 'securitygroup', 'volume'];

/** One resource proven to belong to the cluster. */
export interface PlannedResource {
  readonly kind: ResourceKind;
  readonly id: string;
  readonly name: string;
  /** Why it belongs to the cluster: the matched description, the attachment or the CSI metadata. */
  readonly evidence: string;
}

/** A resource that looked like the cluster's but is left alone, and why. */
export interface SkippedResource {
  readonly kind: ResourceKind;
  readonly id: string;
  readonly name: string;
  readonly reason: string;
}

/** Everything a teardown would delete for one cluster. Plain data: safe to print as JSON. */
export interface TeardownPlan {
  /** The canonical cluster UUID. */
  readonly clusterId: string;
  readonly includeVolumes: boolean;
  /** In {@link DELETE_ORDER}. */
  readonly resources: PlannedResource[];
  readonly skipped: SkippedResource[];
  /** Nova servers of the cluster's Heat stacks (volumes attached to them are detached before delete). */
  readonly clusterServerIds: string[];
  /** What limited the proof (e.g. Magnum could not show the cluster), for the operator. */
  readonly warnings: string[];
}

/** Options of {@link planTeardown}. */
export interface PlanOptions {
  /** The cluster's full UUID. */
  readonly clusterId: string;
  /** Also plan the cluster's volumes (attached to its servers, or CSI metadata naming its UUID); destroys their data. @default false */
  readonly includeVolumes?: boolean;
}

/** Load balancers by Octavia's cascade delete, or by deleting children first (health monitor → members → pool → listener → LB). */
export type TeardownMode = 'cascade' | 'ordered';

/** Defaults of {@link TeardownOptions} that the CLI and the Magnum deletes share. */
export const TEARDOWN_DEFAULTS = {
  concurrency: 8,
  mode: 'cascade' as TeardownMode,
  timeoutSeconds: 600,
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
  /** Waits between polls and retries. @default - 500 ms doubling to 10 s, with jitter */
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

/** Lists what belongs to the cluster: exact description matches, and volumes only with proof of ownership. */
export async function planTeardown(client: OpenStackClient, options: PlanOptions): Promise<TeardownPlan> {
  const match = new ClusterMatcher(options.clusterId);
  const [lbs, fips, sgs] = await Promise.all([client.listLoadBalancers(), client.listFloatingIps(), client.listSecurityGroups()]);
  const resources: PlannedResource[] = [];
  const skipped: SkippedResource[] = [];
  for (const lb of lbs) {
    const verdict = match.loadBalancer(lb);
    if (verdict.conflict) skipped.push({ kind: 'loadbalancer', id: lb.id, name: lb.name, reason: verdict.evidence });
    if (verdict.matched && lb.provisioningStatus !== 'DELETED') resources.push({ kind: 'loadbalancer', id: lb.id, name: lb.name, evidence: verdict.evidence });
  }
  resources.push(...fips.filter((f) => match.floatingIp(f))
    .map((f) => ({ kind: 'floatingip' as const, id: f.id, name: f.address, evidence: `description "${f.description}"` })));
  resources.push(...sgs.filter((sg) => match.securityGroup(sg))
    .map((sg) => ({ kind: 'securitygroup' as const, id: sg.id, name: sg.name, evidence: `description "${sg.description}"` })));
  let clusterServerIds: string[] = [];
  const warnings: string[] = [];
  if (options.includeVolumes) {
    const owned = await clusterOwnership(client, match.clusterId, warnings);
    clusterServerIds = [...owned.servers];
    const volumes = await client.listVolumes({ allProjects: client.isAdmin });
    for (const verdict of volumes.map((v) => volumeVerdict(v, match.clusterId, owned))) {
      if (verdict?.skip) skipped.push(verdict.skip);
      if (verdict?.plan) resources.push(verdict.plan);
    }
  }
  return { clusterId: match.clusterId, includeVolumes: options.includeVolumes ?? false, resources, skipped, clusterServerIds, warnings };
}

/** What the cluster's Heat stacks hold: its servers, and every resource Heat owns (and so deletes itself). */
interface Ownership { readonly servers: Set<string>; readonly heatOwned: Set<string> }

/** Reads the cluster's Heat stacks (nested ones included); a cluster Magnum no longer knows owns no servers. */
async function clusterOwnership(client: OpenStackClient, clusterId: string, warnings: string[]): Promise<Ownership> {
  const owned: Ownership = { servers: new Set(), heatOwned: new Set() };
  let cluster;
  try {
    cluster = await client.getCluster(clusterId);
  } catch (error) {
    // Magnum 15 answers 400 for a cluster whose node groups are being deleted: prove by CSI metadata only.
    if (statusOf(error) !== 400) throw error;
    warnings.push(`Magnum could not show cluster ${clusterId} (HTTP 400): volumes are matched by CSI metadata only, not by attachment`);
  }
  if (!cluster) return owned;
  const stacks = new Set(cluster.stackId ? [cluster.stackId] : []);
  for (const group of await client.listNodeGroups(clusterId)) if (group.stackId) stacks.add(group.stackId);
  for (const stackId of stacks) {
    try {
      for (const r of await client.listStackResources(stackId)) {
        if (r.physicalId) owned.heatOwned.add(r.physicalId);
        if (r.type === 'OS::Nova::Server' && r.physicalId) owned.servers.add(r.physicalId);
      }
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }
  return owned;
}

const ROOT_DEVICE = /^\/dev\/(x?vd|sd|hd)a$/;

/** A volume is the cluster's if attached to its servers or named by CSI metadata; Heat's own (docker, etcd) volumes stay Heat's. */
function volumeVerdict(v: Volume, clusterId: string, owned: Ownership): { plan?: PlannedResource; skip?: SkippedResource } | undefined {
  const csi = v.metadata[CSI_CLUSTER_METADATA] === clusterId;
  const server = v.attachedServerIds.find((s) => owned.servers.has(s));
  if (!csi && !server) return undefined;
  if (owned.heatOwned.has(v.id)) {
    return { skip: { kind: 'volume', id: v.id, name: v.name, reason: 'a resource of the cluster\'s Heat stack: Magnum deletes it with the cluster' } };
  }
  // A server's root disk (boot from volume) cannot be detached and goes with the server.
  if (server && v.attachedDevices.some((d) => ROOT_DEVICE.test(d) || (d === '' && v.bootable))) {
    return { skip: { kind: 'volume', id: v.id, name: v.name, reason: `the boot volume of cluster server ${server}: it goes with the server` } };
  }
  const evidence = csi ? `metadata ${CSI_CLUSTER_METADATA}=${clusterId}` : `attached to cluster server ${server}`;
  return { plan: { kind: 'volume', id: v.id, name: v.name, evidence } };
}

/** Where a resource stands: gone, busy (wait), or ready for the next mutating step. */
type Probe = 'gone' | 'busy' | 'ready';

/** How one kind of resource is looked at and moved toward deletion, one mutating call per step. */
interface Driver {
  probe(): Promise<Probe>;
  step(): Promise<string>;
}

/** A resource that must not be deleted as it stands (e.g. attached to a server that is not the cluster's). */
class BlockedError extends Error {}

/** A probe whose GET answering 404 means gone. */
async function gone404<T>(get: () => Promise<T>, judge: (found: T) => Probe): Promise<Probe> {
  try {
    return judge(await get());
  } catch (error) {
    if (statusOf(error) === 404) return 'gone';
    throw error;
  }
}

interface DriverContext {
  readonly client: OpenStackClient;
  readonly plan: TeardownPlan;
  readonly mode: TeardownMode;
  readonly note: (detail: string) => void;
}

/** Octavia: cascade (or, refused, the ordered children-first delete); PENDING_* waits; ERROR is deleted too. */
function loadBalancerDriver(id: string, ctx: DriverContext): Driver {
  let ordered = ctx.mode === 'ordered';
  const { client } = ctx;
  return {
    probe: () => gone404(() => client.getLoadBalancer(id), (lb) =>
      (lb.provisioningStatus === 'DELETED' ? 'gone' : lb.provisioningStatus.startsWith('PENDING_') ? 'busy' : 'ready')),
    async step() {
      if (!ordered) {
        try {
          await client.deleteLoadBalancer(id, { cascade: true });
          return 'cascade delete accepted';
        } catch (error) {
          // Older Octavia or a provider without cascade: 400/403/501. 409 is "busy", retried as such.
          if (![400, 403, 501].includes(statusOf(error) ?? 0)) throw error;
          ordered = true;
          ctx.note(`cascade refused (HTTP ${statusOf(error)}): deleting children first`);
        }
      }
      return orderedStep(client, id);
    },
  };
}

/** The next single delete of the ordered teardown: L7 policies, health monitors, members, pools, listeners, then the LB. */
async function orderedStep(client: OpenStackClient, id: string): Promise<string> {
  const [listeners, pools] = await Promise.all([client.listListeners(id), client.listPools(id)]);
  const policy = listeners.flatMap((l) => l.l7PolicyIds)[0];
  if (policy) return client.deleteL7Policy(policy).then(() => `deleted l7policy ${policy}`);
  const monitor = pools.find((p) => p.healthMonitorId)?.healthMonitorId;
  if (monitor) return client.deleteHealthMonitor(monitor).then(() => `deleted healthmonitor ${monitor}`);
  const withMember = pools.find((p) => p.memberIds.length > 0);
  if (withMember) return client.deleteMember(withMember.id, withMember.memberIds[0]).then(() => `deleted member ${withMember.memberIds[0]}`);
  if (pools[0]) return client.deletePool(pools[0].id).then(() => `deleted pool ${pools[0].id}`);
  if (listeners[0]) return client.deleteListener(listeners[0].id).then(() => `deleted listener ${listeners[0].id}`);
  await client.deleteLoadBalancer(id, { cascade: false });
  return 'delete accepted';
}

function floatingIpDriver(id: string, { client }: DriverContext): Driver {
  return {
    probe: () => gone404(() => client.getFloatingIp(id), () => 'ready'),
    step: () => client.deleteFloatingIp(id).then(() => 'delete accepted'),
  };
}

/** Neutron refuses (409) to delete a group ports still use: take it off those ports first, as the cloud provider does. */
function securityGroupDriver(id: string, { client }: DriverContext): Driver {
  return {
    probe: () => gone404(() => client.getSecurityGroup(id), () => 'ready'),
    async step() {
      const ports = await client.listPortsUsingSecurityGroup(id);
      for (const port of ports) {
        await client.setPortSecurityGroups(port.id, port.securityGroupIds.filter((g) => g !== id));
      }
      await client.deleteSecurityGroup(id);
      return ports.length ? `removed from ${ports.length} port(s), delete accepted` : 'delete accepted';
    },
  };
}

/** Cinder statuses that end by themselves. */
const VOLUME_BUSY = new Set(['creating', 'attaching', 'detaching', 'reserved', 'deleting', 'extending', 'downloading', 'uploading', 'backing-up', 'restoring-backup', 'retyping', 'maintenance']);

/** Cinder: detach from the cluster's own servers only; in use by any other server, it is reported, not touched. */
function volumeDriver(id: string, ctx: DriverContext): Driver {
  const { client } = ctx;
  const servers = new Set(ctx.plan.clusterServerIds);
  let last: Volume | undefined;
  return {
    probe: () => gone404(() => client.getVolume(id), (v) => {
      last = v;
      return VOLUME_BUSY.has(v.status) ? 'busy' : 'ready';
    }),
    async step() {
      const attached = last?.attachedServerIds ?? [];
      if (attached.length === 0) {
        await client.deleteVolume(id, { cascade: true });
        return 'delete accepted (snapshots included)';
      }
      const foreign = attached.filter((s) => !servers.has(s));
      if (foreign.length > 0) {
        throw new BlockedError(`in use by server ${foreign.join(', ')}, which is not one of the cluster's: left alone. Fix: detach it, then re-run.`);
      }
      for (const server of attached) await client.detachVolume(server, id);
      return `detaching from cluster server ${attached.join(', ')}`;
    },
  };
}

const DRIVERS: Record<ResourceKind, (id: string, ctx: DriverContext) => Driver> = {
  loadbalancer: loadBalancerDriver,
  floatingip: floatingIpDriver,
  securitygroup: securityGroupDriver,
  volume: volumeDriver,
};

interface Limits {
  readonly deadline: number;
  readonly maxTransient: number;
  readonly backoff?: BackoffPolicy;
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
  for (;;) {
    if (limits.signal?.aborted) throw new AbortedError();
    let progressed = false;
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
    await sleep(Math.min(backoffDelayMs(attempt++, limits.backoff), Math.max(0, limits.deadline - Date.now())), limits.signal);
  }
}

/** Deletes a plan's resources kind by kind (see {@link DELETE_ORDER}), each kind in parallel up to the concurrency bound. */
export async function executeTeardown(client: OpenStackClient, plan: TeardownPlan, options: TeardownOptions = {}): Promise<TeardownResult> {
  const started = Date.now();
  const emit = options.onEvent ?? (() => undefined);
  const mode = options.mode ?? TEARDOWN_DEFAULTS.mode;
  const result = { dryRun: options.dryRun ?? false, mode, deleted: [] as PlannedResource[], failed: [] as TeardownFailure[], interrupted: [] as PlannedResource[], elapsedMs: 0 };
  const limits: Limits = {
    deadline: started + (options.timeoutSeconds ?? TEARDOWN_DEFAULTS.timeoutSeconds) * 1000,
    maxTransient: options.maxTransientErrors ?? 8,
    backoff: options.backoff,
    signal: options.signal,
  };
  for (const kind of DELETE_ORDER) {
    const batch = plan.resources.filter((r) => r.kind === kind);
    if (result.dryRun) {
      batch.forEach((resource) => emit({ action: 'would-delete', resource, detail: resource.evidence }));
      continue;
    }
    await forEachLimited(batch, options.concurrency ?? TEARDOWN_DEFAULTS.concurrency, async (resource) => {
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
    }, options.signal);
  }
  const settled = new Set([...result.deleted, ...result.failed.map((f) => f.resource), ...result.interrupted]);
  if (!result.dryRun) result.interrupted.push(...plan.resources.filter((r) => !settled.has(r)));
  return { ...result, elapsedMs: Date.now() - started };
}
