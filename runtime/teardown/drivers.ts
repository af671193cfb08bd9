import { OpenStackClient, statusOf, Volume } from '../openstack';
import { ResourceKind, TeardownPlan } from './plan';

/** Load balancers by Octavia's cascade delete, or by deleting children first (health monitor → members → pool → listener → LB). */
export type TeardownMode = 'cascade' | 'ordered';

/** Where a resource stands: gone, busy (wait), or ready for the next mutating step. */
export type Probe = 'gone' | 'busy' | 'ready';

/** How one kind of resource is looked at and moved toward deletion, one mutating call per step. */
export interface Driver {
  probe(): Promise<Probe>;
  step(): Promise<string>;
}

/** A resource that must not be deleted as it stands (e.g. attached to a server that is not the cluster's). */
export class BlockedError extends Error {}

/** A probe whose GET answering 404 means gone. */
async function gone404<T>(get: () => Promise<T>, judge: (found: T) => Probe): Promise<Probe> {
  try {
    return judge(await get());
  } catch (error) {
    if (statusOf(error) === 404) return 'gone';
    throw error;
  }
}

/** What a driver works with: the client, the plan (the cluster's servers), the mode, and a progress note. */
export interface DriverContext {
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
    probe: () =>
      gone404(
        () => client.getLoadBalancer(id),
        (lb) => (lb.provisioningStatus === 'DELETED' ? 'gone' : lb.provisioningStatus.startsWith('PENDING_') ? 'busy' : 'ready'),
      ),
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

/** Ready while the API still shows it, gone once it answers 404. */
const readyUntil404 = (get: () => Promise<unknown>): Promise<Probe> => gone404(get, () => 'ready');

function floatingIpDriver(id: string, { client }: DriverContext): Driver {
  return {
    probe: () => readyUntil404(() => client.getFloatingIp(id)),
    step: () => client.deleteFloatingIp(id).then(() => 'delete accepted'),
  };
}

/** Neutron refuses (409) to delete a group ports still use: take it off those ports first, as the cloud provider does. */
function securityGroupDriver(id: string, { client }: DriverContext): Driver {
  return {
    probe: () => readyUntil404(() => client.getSecurityGroup(id)),
    async step() {
      const ports = await client.listPortsUsingSecurityGroup(id);
      for (const port of ports) {
        await client.setPortSecurityGroups(
          port.id,
          port.securityGroupIds.filter((g) => g !== id),
        );
      }
      await client.deleteSecurityGroup(id);
      return ports.length ? `removed from ${ports.length} port(s), delete accepted` : 'delete accepted';
    },
  };
}

/** Cinder statuses that end by themselves. */
const VOLUME_BUSY = new Set([
  'creating',
  'attaching',
  'detaching',
  'reserved',
  'deleting',
  'extending',
  'downloading',
  'uploading',
  'backing-up',
  'restoring-backup',
  'retyping',
  'maintenance',
]);

/** Cinder: detach from the cluster's own servers only; in use by any other server, it is reported, not touched. */
function volumeDriver(id: string, ctx: DriverContext): Driver {
  const { client } = ctx;
  const servers = new Set(ctx.plan.clusterServerIds);
  let last: Volume | undefined;
  return {
    probe: () =>
      gone404(
        () => client.getVolume(id),
        (v) => {
          last = v;
          return VOLUME_BUSY.has(v.status) ? 'busy' : 'ready';
        },
      ),
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

/** The driver of each kind. */
export const DRIVERS: Record<ResourceKind, (id: string, ctx: DriverContext) => Driver> = {
  loadbalancer: loadBalancerDriver,
  floatingip: floatingIpDriver,
  securitygroup: securityGroupDriver,
  volume: volumeDriver,
};
