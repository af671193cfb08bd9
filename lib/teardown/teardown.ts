import { checkClusterId, matchersFor } from './matchers';
import { OpenStackClient, OpenStackHttpError } from './openstack-client';

/** What the teardown deletes, in this order: later kinds depend on earlier ones being gone. */
export type ResourceKind = 'loadbalancer' | 'floatingip' | 'securitygroup' | 'volume';
const ORDER: ResourceKind[] = ['loadbalancer', 'floatingip', 'securitygroup', 'volume'];

/** One resource proven to belong to the cluster. */
export interface PlannedResource {
  readonly kind: ResourceKind;
  readonly id: string;
  readonly name: string;
  /** Why it belongs to the cluster (the matched description or the attachment). */
  readonly evidence: string;
}

/** Everything a teardown would delete for one cluster. */
export interface TeardownPlan {
  readonly clusterId: string;
  readonly resources: PlannedResource[];
}

/** Progress of a teardown, one event per step of a resource. */
export interface TeardownEvent {
  readonly action: 'would-delete' | 'deleting' | 'deleted' | 'retrying' | 'failed';
  readonly resource: PlannedResource;
  readonly detail?: string;
}

/** Options of {@link executeTeardown}. */
export interface TeardownOptions {
  /** List what would be deleted, delete nothing. @default false */
  readonly dryRun?: boolean;
  /** Resources deleted at once within a kind. @default 8 */
  readonly concurrency?: number;
  /** Load balancers by Octavia's cascade delete, or by the ordered delete of their children. @default 'cascade' */
  readonly mode?: 'cascade' | 'ordered';
  /** Seconds to keep retrying one resource before it counts as failed. @default 300 */
  readonly timeoutSeconds?: number;
  /** Called for every step. @default none */
  readonly onEvent?: (event: TeardownEvent) => void;
  /** Stops starting new work (an interrupted run; a re-run converges). @default none */
  readonly signal?: AbortSignal;
}

/** What a teardown did. */
export interface TeardownResult {
  readonly deleted: PlannedResource[];
  readonly failed: { resource: PlannedResource; error: string }[];
  readonly dryRun: boolean;
}

const status = (e: unknown) => (e instanceof OpenStackHttpError ? e.status : undefined);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Lists what belongs to `clusterId`: exact description matches, volumes only with proof. */
export async function planTeardown(client: OpenStackClient, clusterId: string, includeVolumes = false): Promise<TeardownPlan> {
  const match = matchersFor(checkClusterId(clusterId));
  const [lbs, fips, sgs] = await Promise.all([
    client.request('load-balancer', 'GET', '/v2/lbaas/loadbalancers'),
    client.request('network', 'GET', '/v2.0/floatingips'),
    client.request('network', 'GET', '/v2.0/security-groups'),
  ]);
  const resources: PlannedResource[] = [
    ...lbs.loadbalancers.filter((lb: any) => match.loadBalancer(lb.description) && lb.provisioning_status !== 'DELETED')
      .map((lb: any) => ({ kind: 'loadbalancer' as const, id: lb.id, name: lb.name, evidence: lb.description })),
    ...fips.floatingips.filter((f: any) => match.floatingIp(f.description))
      .map((f: any) => ({ kind: 'floatingip' as const, id: f.id, name: f.floating_ip_address, evidence: f.description })),
    ...sgs.security_groups.filter((sg: any) => match.securityGroup(sg.description))
      .map((sg: any) => ({ kind: 'securitygroup' as const, id: sg.id, name: sg.name, evidence: sg.description })),
  ];
  if (includeVolumes) {
    resources.push(...await clusterVolumes(client, clusterId));
  }
  return { clusterId, resources };
}

/** Volumes with proof of ownership: attached to the cluster's servers, or CSI metadata naming its UUID. */
async function clusterVolumes(client: OpenStackClient, clusterId: string): Promise<PlannedResource[]> {
  const servers = await clusterServers(client, clusterId);
  const { volumes } = await client.request('block-storage', 'GET', '/volumes/detail?all_tenants=1');
  return volumes.flatMap((v: any): PlannedResource[] => {
    const attached = (v.attachments ?? []).find((a: any) => servers.has(a.server_id));
    const csi = v.metadata?.['cinder.csi.openstack.org/cluster'] === clusterId;
    if (!attached && !csi) return [];
    const evidence = csi ? `CSI metadata cinder.csi.openstack.org/cluster=${clusterId}` : `attached to cluster server ${attached.server_id}`;
    return [{ kind: 'volume', id: v.id, name: v.name ?? '', evidence }];
  });
}

/** Ids of the Nova servers in the cluster's Heat stack (nested stacks included). */
async function clusterServers(client: OpenStackClient, clusterId: string): Promise<Set<string>> {
  try {
    const cluster = await client.request('container-infra', 'GET', `/clusters/${clusterId}`);
    if (!cluster.stack_id) return new Set();
    const { resources } = await client.request('orchestration', 'GET', `/stacks/${cluster.stack_id}/resources?nested_depth=5`);
    return new Set(resources.filter((r: any) => r.resource_type === 'OS::Nova::Server' && r.physical_resource_id).map((r: any) => r.physical_resource_id));
  } catch (e) {
    if (status(e) === 404) return new Set();
    throw e;
  }
}

/** Deletes a plan's resources kind by kind, each kind in parallel up to the concurrency bound. */
export async function executeTeardown(client: OpenStackClient, plan: TeardownPlan, options: TeardownOptions = {}): Promise<TeardownResult> {
  const emit = options.onEvent ?? (() => undefined);
  const result: TeardownResult = { deleted: [], failed: [], dryRun: options.dryRun ?? false };
  for (const kind of ORDER) {
    const batch = plan.resources.filter((r) => r.kind === kind);
    await pool(batch, options.concurrency ?? 8, async (resource) => {
      if (options.signal?.aborted) return;
      if (options.dryRun) {
        emit({ action: 'would-delete', resource, detail: resource.evidence });
        return;
      }
      emit({ action: 'deleting', resource });
      try {
        await deleteResource(client, resource, options, (detail) => emit({ action: 'retrying', resource, detail }));
        result.deleted.push(resource);
        emit({ action: 'deleted', resource });
      } catch (e) {
        result.failed.push({ resource, error: (e as Error).message });
        emit({ action: 'failed', resource, detail: (e as Error).message });
      }
    });
  }
  return result;
}

async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => { while (next < items.length) await work(items[next++]); };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Runs `step` until it reports done, retrying 409s and busy states with bounded
 * exponential backoff and jitter until the resource's deadline.
 */
async function until(deadline: number, retrying: (detail: string) => void, step: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    let detail: string;
    try {
      if (await step()) return;
      detail = 'still there';
    } catch (e) {
      if (status(e) !== 409) throw e;
      detail = 'conflict (409): busy, retrying';
    }
    if (Date.now() > deadline) throw new Error(`gave up after the deadline: ${detail}`);
    retrying(detail);
    await sleep(Math.min(10_000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2));
  }
}

/** DELETE that counts 404 as done. */
async function remove(client: OpenStackClient, service: string, path: string): Promise<void> {
  try {
    await client.request(service, 'DELETE', path);
  } catch (e) {
    if (status(e) !== 404) throw e;
  }
}

/** Whether a GET finds the resource gone (404 or a DELETED status). */
async function gone(client: OpenStackClient, service: string, path: string): Promise<boolean> {
  try {
    const body = await client.request(service, 'GET', path);
    return Object.values<any>(body ?? {})[0]?.provisioning_status === 'DELETED';
  } catch (e) {
    if (status(e) === 404) return true;
    throw e;
  }
}

async function deleteResource(client: OpenStackClient, r: PlannedResource, options: TeardownOptions, retrying: (d: string) => void): Promise<void> {
  const deadline = Date.now() + (options.timeoutSeconds ?? 300) * 1000;
  const paths: Record<ResourceKind, [string, string]> = {
    loadbalancer: ['load-balancer', `/v2/lbaas/loadbalancers/${r.id}`],
    floatingip: ['network', `/v2.0/floatingips/${r.id}`],
    securitygroup: ['network', `/v2.0/security-groups/${r.id}`],
    volume: ['block-storage', `/volumes/${r.id}`],
  };
  const [service, path] = paths[r.kind];
  if (r.kind === 'loadbalancer') {
    await deleteLoadBalancer(client, r.id, options.mode ?? 'cascade', deadline, retrying);
  } else {
    if (r.kind === 'volume') await detachVolume(client, r.id, deadline, retrying);
    await until(deadline, retrying, async () => { await remove(client, service, path); return true; });
  }
  await until(deadline, retrying, () => gone(client, service, path));
}

/** Octavia's cascade delete; where it is refused (old or restricted Octavia), the ordered delete. */
async function deleteLoadBalancer(client: OpenStackClient, id: string, mode: 'cascade' | 'ordered', deadline: number, retrying: (d: string) => void): Promise<void> {
  if (mode === 'cascade') {
    try {
      await until(deadline, retrying, async () => { await remove(client, 'load-balancer', `/v2/lbaas/loadbalancers/${id}?cascade=true`); return true; });
      return;
    } catch (e) {
      if (status(e) !== 400 && status(e) !== 403) throw e;
    }
  }
  const lb = `/v2/lbaas/loadbalancers/${id}`;
  const settle = () => until(deadline, retrying, async () => {
    try {
      return !String((await client.request('load-balancer', 'GET', lb)).loadbalancer.provisioning_status).startsWith('PENDING');
    } catch (e) {
      if (status(e) === 404) return true;
      throw e;
    }
  });
  const step = async (path: string) => { await settle(); await until(deadline, retrying, async () => { await remove(client, 'load-balancer', path); return true; }); };
  const { pools } = await client.request('load-balancer', 'GET', `/v2/lbaas/pools?loadbalancer_id=${id}`);
  for (const p of pools) {
    if (p.healthmonitor_id) await step(`/v2/lbaas/healthmonitors/${p.healthmonitor_id}`);
    const { members } = await client.request('load-balancer', 'GET', `/v2/lbaas/pools/${p.id}/members`);
    for (const m of members) await step(`/v2/lbaas/pools/${p.id}/members/${m.id}`);
    await step(`/v2/lbaas/pools/${p.id}`);
  }
  const { listeners } = await client.request('load-balancer', 'GET', `/v2/lbaas/listeners?loadbalancer_id=${id}`);
  for (const l of listeners) await step(`/v2/lbaas/listeners/${l.id}`);
  await step(lb);
}

/** Detaches a volume from its servers through Nova, then waits until Cinder reports it free. */
async function detachVolume(client: OpenStackClient, id: string, deadline: number, retrying: (d: string) => void): Promise<void> {
  let volume: any;
  try {
    volume = (await client.request('block-storage', 'GET', `/volumes/${id}`)).volume;
  } catch (e) {
    if (status(e) === 404) return;
    throw e;
  }
  for (const a of volume.attachments ?? []) {
    await until(deadline, retrying, async () => { await remove(client, 'compute', `/servers/${a.server_id}/os-volume_attachments/${id}`); return true; });
  }
  await until(deadline, retrying, async () => {
    try {
      const v = (await client.request('block-storage', 'GET', `/volumes/${id}`)).volume;
      return !['in-use', 'detaching', 'attaching'].includes(v.status);
    } catch (e) {
      if (status(e) === 404) return true;
      throw e;
    }
  });
}
