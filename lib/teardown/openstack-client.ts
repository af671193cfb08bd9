import { authRequest, CloudConfig, secretsOf, tokensUrl } from './cloud-config';
import { AbortedError, backoffDelayMs, BackoffPolicy, sleep } from './private/backoff';
import { redact } from './private/redact';

/** The services the teardown talks to, by their service-types-authority names. */
export type ServiceType = 'identity' | 'load-balancer' | 'network' | 'block-storage' | 'container-infra' | 'compute' | 'orchestration';

/** Catalog types each service may be registered under, preferred first (any other type is looked up as named). */
const CATALOG_TYPES: Record<string, readonly string[]> = {
  'identity': ['identity'],
  'load-balancer': ['load-balancer'],
  'network': ['network'],
  'block-storage': ['block-storage', 'volumev3'],
  'container-infra': ['container-infra'],
  'compute': ['compute'],
  'orchestration': ['orchestration'],
};

/**
 * Brings a catalog URL to the API version the paths below are written for: Octavia
 * and Neutron put the version in the path; the others in the endpoint.
 */
const VERSIONED: Record<string, (url: string, projectId: string) => string> = {
  'identity': (u) => u,
  'load-balancer': (u) => u.replace(/\/v2(\.0)?$/, ''),
  'network': (u) => u.replace(/\/v2\.0$/, ''),
  'block-storage': (u, p) => (/\/v3(\/|$)/.test(u) ? u : `${u}/v3/${p}`),
  'container-infra': (u) => (/\/v1$/.test(u) ? u : `${u}/v1`),
  'compute': (u) => (/\/v2(\.1)?(\/|$)/.test(u) ? u : `${u}/v2.1`),
  'orchestration': (u, p) => (/\/v1(\/|$)/.test(u) ? u : `${u}/v1/${p}`),
};

/** An OpenStack API answered with an error status. */
export class OpenStackHttpError extends Error {
  constructor(
    /** HTTP status: 404 gone, 409 conflict or busy, 5xx server trouble. */
    public readonly status: number,
    /** The request method. */
    public readonly method: string,
    /** The request URL. */
    public readonly url: string,
    detail: string,
  ) {
    super(`${method} ${url}: HTTP ${status}${detail ? ` ${detail}` : ''}`);
    this.name = 'OpenStackHttpError';
  }
}

/** A request that got no answer: connection refused or reset, or no answer within the timeout. */
export class OpenStackTransportError extends Error {
  constructor(
    /** The request method. */
    public readonly method: string,
    /** The request URL. */
    public readonly url: string,
    /** Whether the per-request timeout fired. */
    public readonly timedOut: boolean,
    cause: string,
    /** False when the request provably never reached the server (no connection), so even a POST may be sent again. */
    public readonly reachedServer = true,
  ) {
    super(`${method} ${url}: ${timedOut ? 'no answer within the timeout' : cause}`);
    this.name = 'OpenStackTransportError';
  }
}

/** The HTTP status of an OpenStackHttpError, else undefined. */
export function statusOf(error: unknown): number | undefined {
  return error instanceof OpenStackHttpError ? error.status : undefined;
}

/** Whether a request may succeed if simply sent again: no answer, 429 or 5xx (but not 501). */
export function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  return error instanceof OpenStackTransportError || status === 429 || (status !== undefined && status >= 500 && status !== 501);
}

const TRANSIENT_STATUS = new Set([429, 500, 502, 503, 504]);
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
/** Connection errors (undici/Node codes) that mean the request was never sent. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Options of {@link OpenStackClient.connect}. */
export interface ClientOptions {
  /** Per-request timeout in ms. @default 30000 */
  readonly timeoutMs?: number;
  /** Tries per idempotent request (GET, PUT, DELETE; POST is sent once) for no answer, 429 and 5xx answers. @default 4 */
  readonly attempts?: number;
  /** Backoff between those tries. @default - 500 ms doubling to 10 s, with jitter */
  readonly backoff?: BackoffPolicy;
  /** Rewrites an endpoint URL, e.g. to put a fault-injecting proxy in front. @default - the catalog's URL */
  readonly endpointOverride?: (serviceType: string, url: string) => string;
  /** Aborts every request in flight and every wait. @default - never */
  readonly signal?: AbortSignal;
}

interface CatalogEntry { type: string; endpoints: { interface: string; region?: string; region_id?: string; url: string }[] }
interface RawResponse { status: number; text: string; headers: Headers }

/** An Octavia load balancer. */
export interface LoadBalancer {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly provisioningStatus: string;
  readonly vipPortId?: string;
  readonly projectId?: string;
}
/** An Octavia listener. */
export interface Listener { readonly id: string; readonly l7PolicyIds: string[] }
/** An Octavia pool with its members and health monitor. */
export interface Pool { readonly id: string; readonly healthMonitorId?: string; readonly memberIds: string[] }
/** A Neutron floating IP. */
export interface FloatingIp { readonly id: string; readonly address: string; readonly description: string; readonly portId?: string; readonly projectId?: string }
/** A Neutron security group. */
export interface SecurityGroup { readonly id: string; readonly name: string; readonly description: string; readonly projectId?: string }
/** A Neutron port, as far as security groups go. */
export interface Port { readonly id: string; readonly securityGroupIds: string[]; readonly deviceId?: string }
/** A Cinder volume with its metadata and attachments. */
export interface Volume {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly metadata: Record<string, string>;
  readonly attachedServerIds: string[];
  /** Devices it is attached as (e.g. /dev/vda), in attachment order. */
  readonly attachedDevices: string[];
  readonly bootable: boolean;
  readonly projectId?: string;
}
/** A Magnum cluster, as far as ownership goes. */
export interface Cluster { readonly uuid: string; readonly name: string; readonly status: string; readonly statusReason?: string; readonly stackId?: string; readonly projectId?: string }
/** One node group of a Magnum cluster, as the list shows it. */
export interface NodeGroupSummary { readonly uuid: string; readonly name: string; readonly isDefault: boolean; readonly role?: string; readonly status?: string; readonly stackId?: string }
/** A Nova server. */
export interface Server { readonly id: string; readonly name: string; readonly status: string }
/** One resource of a Heat stack (or of a stack nested in it). */
export interface StackResource { readonly type: string; readonly name: string; readonly physicalId: string }

/** Raw API bodies: typed at the boundary by the to* mappers below. */
type Json = any;

const MAGNUM_LATEST = { 'OpenStack-API-Version': 'container-infra latest' };
const q = (params: Record<string, string | undefined>) => {
  const defined = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined);
  return defined.length ? `?${new URLSearchParams(defined).toString()}` : '';
};

/** One small OpenStack client: Keystone v3 token, catalog, JSON requests with bounded retries, and the calls teardown and audit need. */
export class OpenStackClient {
  /** Authenticates and reads the catalog. */
  public static async connect(cloud: CloudConfig, options: ClientOptions = {}): Promise<OpenStackClient> {
    const client = new OpenStackClient(cloud, options);
    await client.authenticate();
    return client;
  }

  private token = '';
  private catalog: CatalogEntry[] = [];
  private reauth?: Promise<void>;
  private scope = { projectId: '', userId: '', roles: [] as string[] };

  private constructor(private readonly cloud: CloudConfig, private readonly options: ClientOptions) {}

  /** The project the token is scoped to. */
  public get projectId(): string {
    return this.scope.projectId;
  }

  /** The user the token was issued to. */
  public get userId(): string {
    return this.scope.userId;
  }

  /** Whether the token carries the admin role (then Neutron, Octavia and Cinder list every project's resources). */
  public get isAdmin(): boolean {
    return this.scope.roles.includes('admin');
  }

  private async authenticate(): Promise<void> {
    const url = tokensUrl(this.cloud.authUrl);
    const res = await this.send('POST', url, JSON.stringify(authRequest(this.cloud)), {}, false);
    if (res.status !== 201) {
      throw new OpenStackHttpError(res.status, 'POST', url, `authentication failed for ${this.cloud.source}: ${this.detail(res.text)}`);
    }
    const { token } = JSON.parse(res.text);
    this.token = res.headers.get('x-subject-token') ?? '';
    this.catalog = token.catalog ?? [];
    this.scope = { projectId: token.project?.id ?? '', userId: token.user?.id ?? '', roles: (token.roles ?? []).map((r: Json) => r.name) };
  }

  /** The versioned endpoint of a service (a {@link ServiceType} or any catalog type) in the cloud's region and interface. */
  public endpoint(service: ServiceType | string): string {
    const { regionName, interface: iface } = this.cloud;
    const types = CATALOG_TYPES[service] ?? [service];
    for (const type of types) {
      const ep = this.catalog.find((c) => c.type === type)?.endpoints
        .find((e) => e.interface === iface && (!regionName || (e.region_id ?? e.region) === regionName));
      if (ep) {
        const url = (VERSIONED[service] ?? ((u: string) => u))(ep.url.replace(/%\((project_id|tenant_id)\)s/g, this.projectId).replace(/\/+$/, ''), this.projectId);
        return this.options.endpointOverride ? this.options.endpointOverride(service, url) : url;
      }
    }
    throw new Error(`the catalog of ${this.cloud.source} has no ${service} endpoint (types ${types.join('/')}, interface ${iface}`
      + `${regionName ? `, region ${regionName}` : ''}); it has ${this.catalog.map((c) => c.type).join(', ') || 'nothing'}. Fix: choose the region/interface that has it.`);
  }

  /** A JSON request to a service; re-authenticates once on 401; throws OpenStackHttpError on an error status. */
  public async request<T = Json>(service: ServiceType | string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const url = `${this.endpoint(service)}${path}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const used = this.token;
    let res = await this.send(method, url, payload, headers, true);
    if (res.status === 401) {
      await this.refresh(used);
      res = await this.send(method, url, payload, headers, true);
    }
    // 3xx left here is a redirect we would not follow (another origin): an error too.
    if (res.status >= 300) {
      throw new OpenStackHttpError(res.status, method, url, this.detail(res.text));
    }
    try {
      return (res.text ? JSON.parse(res.text) : undefined) as T;
    } catch {
      throw new OpenStackHttpError(res.status, method, url, `answered with something that is not JSON: ${this.detail(res.text.slice(0, 100))}`);
    }
  }

  /** One re-authentication shared by every request that saw the same token rejected. */
  private refresh(rejected: string): Promise<void> {
    if (this.token !== rejected) return Promise.resolve();
    this.reauth ??= this.authenticate().finally(() => { this.reauth = undefined; });
    return this.reauth;
  }

  /** The message of an OpenStack error body (Neutron, Octavia, Cinder, Nova, Keystone, Magnum shapes), secrets removed. */
  private detail(text: string): string {
    let message = text;
    try {
      const body = JSON.parse(text);
      const inner = body && typeof body === 'object' ? (Object.values(body)[0] as Json) : undefined;
      message = body.faultstring ?? body.description ?? inner?.message ?? body.errors?.[0]?.detail ?? body.message ?? text;
    } catch {
      // not JSON: keep the text
    }
    return redact(String(message).replace(/\s+/g, ' ').trim().slice(0, 300), [...secretsOf(this.cloud), this.token]);
  }

  /** Sends with bounded retries for no answer, 429 and 5xx; follows same-origin redirects (Heat's stack lookups). */
  private async send(method: string, url: string, body: string | undefined, headers: Record<string, string>, withToken: boolean): Promise<RawResponse> {
    // A POST that reached the server may have created something: only idempotent calls (and Keystone's token POST) are sent again.
    const resend = IDEMPOTENT.has(method) || !withToken;
    const attempts = Math.max(1, this.options.attempts ?? 4);
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.once(method, url, body, headers, withToken);
        if (!TRANSIENT_STATUS.has(res.status) || !resend || attempt + 1 >= attempts) return res;
      } catch (error) {
        const neverSent = error instanceof OpenStackTransportError && !error.reachedServer;
        if (error instanceof AbortedError || attempt + 1 >= attempts || !(resend || neverSent)) throw error;
      }
      await sleep(backoffDelayMs(attempt, this.options.backoff), this.options.signal);
    }
  }

  private async once(method: string, url: string, body: string | undefined, headers: Record<string, string>, withToken: boolean): Promise<RawResponse> {
    let target = url;
    for (let hop = 0; hop < 4; hop++) {
      const res = await this.fetchOnce(method, target, body, headers, withToken);
      const location = res.headers.get('location');
      if (![301, 302, 303, 307, 308].includes(res.status) || !location) return res;
      const next = new URL(location, target);
      // The token goes only where the request went: never follow to another origin.
      if (next.origin !== new URL(target).origin) return res;
      target = next.toString();
    }
    throw new OpenStackTransportError(method, url, false, 'too many redirects');
  }

  private async fetchOnce(method: string, url: string, body: string | undefined, headers: Record<string, string>, withToken: boolean): Promise<RawResponse> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.options.timeoutMs ?? 30_000);
    const outer = this.options.signal;
    const onAbort = () => timeout.abort();
    outer?.addEventListener('abort', onAbort, { once: true });
    try {
      if (outer?.aborted) throw new AbortedError();
      const res = await fetch(url, {
        method,
        body,
        redirect: 'manual',
        signal: timeout.signal,
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', ...(withToken && this.token ? { 'X-Auth-Token': this.token } : {}), ...headers },
      });
      return { status: res.status, text: await res.text(), headers: res.headers };
    } catch (error) {
      if (error instanceof AbortedError || outer?.aborted) throw new AbortedError();
      const cause = (error as Error & { cause?: Error & { code?: string } }).cause;
      const unconnected = NOT_CONNECTED.has(cause?.code ?? '');
      throw new OpenStackTransportError(method, url, timeout.signal.aborted, cause?.message ?? (error as Error).message, !unconnected);
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    }
  }

  /** GETs a collection, following `<key>_links` next links (Neutron, Octavia, Cinder pagination). */
  private async listAll(service: ServiceType, path: string, key: string, headers: Record<string, string> = {}): Promise<Json[]> {
    const items: Json[] = [];
    let next: string | undefined = path;
    for (let page = 0; next && page < 1000; page++) {
      const body: Json = await this.request(service, 'GET', next, undefined, headers);
      items.push(...(body[key] ?? []));
      const href: string | undefined = (body[`${key}_links`] ?? []).find((l: Json) => l.rel === 'next')?.href;
      next = href ? this.relativeTo(service, href) : undefined;
    }
    return items;
  }

  /** A next link made relative to our endpoint (the server may know itself by another host name). */
  private relativeTo(service: ServiceType, href: string): string {
    const link = new URL(href);
    const base = new URL(this.endpoint(service));
    const basePath = base.pathname.replace(/\/+$/, '');
    const path = link.pathname.startsWith(basePath) ? link.pathname.slice(basePath.length) : link.pathname;
    return `${path}${link.search}`;
  }

  // --- Octavia

  /** Load balancers, all the token can see or one project's. */
  public async listLoadBalancers(filter: { projectId?: string } = {}): Promise<LoadBalancer[]> {
    const raw = await this.listAll('load-balancer', `/v2/lbaas/loadbalancers${q({ project_id: filter.projectId })}`, 'loadbalancers');
    return raw.map(toLoadBalancer);
  }

  /** One load balancer; throws a 404 OpenStackHttpError when it is gone. */
  public async getLoadBalancer(id: string): Promise<LoadBalancer> {
    return toLoadBalancer((await this.request('load-balancer', 'GET', `/v2/lbaas/loadbalancers/${id}`)).loadbalancer);
  }

  /** Deletes a load balancer; `cascade` takes its listeners, pools, members and monitors with it. */
  public async deleteLoadBalancer(id: string, options: { cascade: boolean }): Promise<void> {
    await this.request('load-balancer', 'DELETE', `/v2/lbaas/loadbalancers/${id}${options.cascade ? '?cascade=true' : ''}`);
  }

  /** The listeners of a load balancer. */
  public async listListeners(loadBalancerId: string): Promise<Listener[]> {
    const raw = await this.listAll('load-balancer', `/v2/lbaas/listeners${q({ loadbalancer_id: loadBalancerId })}`, 'listeners');
    return raw.map((l) => ({ id: l.id, l7PolicyIds: (l.l7policies ?? []).map((p: Json) => p.id) }));
  }

  /** The pools of a load balancer, with their member and health monitor ids. */
  public async listPools(loadBalancerId: string): Promise<Pool[]> {
    const raw = await this.listAll('load-balancer', `/v2/lbaas/pools${q({ loadbalancer_id: loadBalancerId })}`, 'pools');
    return raw.map((p) => ({ id: p.id, healthMonitorId: p.healthmonitor_id ?? undefined, memberIds: (p.members ?? []).map((m: Json) => m.id) }));
  }

  /** Deletes an L7 policy. */
  public async deleteL7Policy(id: string): Promise<void> {
    await this.request('load-balancer', 'DELETE', `/v2/lbaas/l7policies/${id}`);
  }

  /** Deletes a health monitor. */
  public async deleteHealthMonitor(id: string): Promise<void> {
    await this.request('load-balancer', 'DELETE', `/v2/lbaas/healthmonitors/${id}`);
  }

  /** Deletes a pool member. */
  public async deleteMember(poolId: string, memberId: string): Promise<void> {
    await this.request('load-balancer', 'DELETE', `/v2/lbaas/pools/${poolId}/members/${memberId}`);
  }

  /** Deletes a pool. */
  public async deletePool(id: string): Promise<void> {
    await this.request('load-balancer', 'DELETE', `/v2/lbaas/pools/${id}`);
  }

  /** Deletes a listener. */
  public async deleteListener(id: string): Promise<void> {
    await this.request('load-balancer', 'DELETE', `/v2/lbaas/listeners/${id}`);
  }

  // --- Neutron

  /** Floating IPs, all the token can see or one project's. */
  public async listFloatingIps(filter: { projectId?: string } = {}): Promise<FloatingIp[]> {
    const raw = await this.listAll('network', `/v2.0/floatingips${q({ project_id: filter.projectId })}`, 'floatingips');
    return raw.map(toFloatingIp);
  }

  /** One floating IP; throws a 404 OpenStackHttpError when it is gone. */
  public async getFloatingIp(id: string): Promise<FloatingIp> {
    return toFloatingIp((await this.request('network', 'GET', `/v2.0/floatingips/${id}`)).floatingip);
  }

  /** Deletes a floating IP (associated or not). */
  public async deleteFloatingIp(id: string): Promise<void> {
    await this.request('network', 'DELETE', `/v2.0/floatingips/${id}`);
  }

  /** Security groups, all the token can see or one project's. */
  public async listSecurityGroups(filter: { projectId?: string } = {}): Promise<SecurityGroup[]> {
    const raw = await this.listAll('network', `/v2.0/security-groups${q({ project_id: filter.projectId })}`, 'security_groups');
    return raw.map(toSecurityGroup);
  }

  /** One security group; throws a 404 OpenStackHttpError when it is gone. */
  public async getSecurityGroup(id: string): Promise<SecurityGroup> {
    return toSecurityGroup((await this.request('network', 'GET', `/v2.0/security-groups/${id}`)).security_group);
  }

  /** Deletes a security group (409 while a port still uses it). */
  public async deleteSecurityGroup(id: string): Promise<void> {
    await this.request('network', 'DELETE', `/v2.0/security-groups/${id}`);
  }

  /** Ports that use a security group. */
  public async listPortsUsingSecurityGroup(securityGroupId: string): Promise<Port[]> {
    const raw = await this.listAll('network', `/v2.0/ports${q({ security_groups: securityGroupId })}`, 'ports');
    // Older Neutron ignores the filter: check each port's groups ourselves.
    return raw.map(toPort).filter((p) => p.securityGroupIds.includes(securityGroupId));
  }

  /** Replaces the security groups of a port. */
  public async setPortSecurityGroups(portId: string, securityGroupIds: string[]): Promise<void> {
    await this.request('network', 'PUT', `/v2.0/ports/${portId}`, { port: { security_groups: securityGroupIds } });
  }

  // --- Cinder

  /** Volumes with details (metadata, attachments); `allProjects` needs the admin role. */
  public async listVolumes(filter: { allProjects?: boolean } = {}): Promise<Volume[]> {
    const raw = await this.listAll('block-storage', `/volumes/detail${q({ all_tenants: filter.allProjects ? '1' : undefined })}`, 'volumes');
    return raw.map(toVolume);
  }

  /** One volume; throws a 404 OpenStackHttpError when it is gone. */
  public async getVolume(id: string): Promise<Volume> {
    return toVolume((await this.request('block-storage', 'GET', `/volumes/${id}`)).volume);
  }

  /** Deletes a volume; `cascade` also deletes its snapshots. */
  public async deleteVolume(id: string, options: { cascade: boolean }): Promise<void> {
    await this.request('block-storage', 'DELETE', `/volumes/${id}${options.cascade ? '?cascade=true' : ''}`);
  }

  // --- Magnum

  /** A cluster by UUID, or undefined when Magnum does not know it. */
  public async getCluster(uuid: string): Promise<Cluster | undefined> {
    try {
      return toCluster(await this.request('container-infra', 'GET', `/clusters/${uuid}`, undefined, MAGNUM_LATEST));
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** Every cluster the token can see. */
  public async listClusters(): Promise<Cluster[]> {
    const { clusters } = await this.request('container-infra', 'GET', '/clusters', undefined, MAGNUM_LATEST);
    return (clusters ?? []).map(toCluster);
  }

  /** Asks Magnum to delete a cluster; false when Magnum does not know it. */
  public async deleteCluster(uuid: string): Promise<boolean> {
    try {
      await this.request('container-infra', 'DELETE', `/clusters/${uuid}`, undefined, MAGNUM_LATEST);
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  /**
   * A cluster's node groups, the default ones included (non-default groups have Heat stacks of
   * their own). None once Magnum no longer knows the cluster (404), and none from a Magnum older
   * than node groups (API < 1.9, 406), where the cluster's own stack is all there is.
   */
  public async listNodeGroups(clusterUuid: string): Promise<NodeGroupSummary[]> {
    try {
      const { nodegroups } = await this.request('container-infra', 'GET', `/clusters/${clusterUuid}/nodegroups`, undefined, MAGNUM_LATEST);
      return (nodegroups ?? []).map((n: Json) => ({ uuid: n.uuid, name: n.name, isDefault: n.is_default === true, role: n.role, status: n.status, stackId: n.stack_id ?? undefined }));
    } catch (error) {
      if ([404, 406].includes(statusOf(error) ?? 0)) return [];
      throw error;
    }
  }

  /** Asks Magnum to delete a node group (name or UUID); false when Magnum does not know it. */
  public async deleteNodeGroup(clusterUuid: string, nodeGroup: string): Promise<boolean> {
    try {
      await this.request('container-infra', 'DELETE', `/clusters/${clusterUuid}/nodegroups/${encodeURIComponent(nodeGroup)}`, undefined, MAGNUM_LATEST);
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  /** A node group's status (name or UUID), or undefined once Magnum no longer knows it. */
  public async getNodeGroupStatus(clusterUuid: string, nodeGroup: string): Promise<string | undefined> {
    try {
      const group = await this.request('container-infra', 'GET', `/clusters/${clusterUuid}/nodegroups/${encodeURIComponent(nodeGroup)}`, undefined, MAGNUM_LATEST);
      return group.status ?? '';
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  // --- Nova

  /** A server by id, or undefined when Nova does not know it. */
  public async getServer(id: string): Promise<Server | undefined> {
    try {
      const { server } = await this.request('compute', 'GET', `/servers/${id}`);
      return { id: server.id, name: server.name, status: server.status };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** Detaches a volume from a server. */
  public async detachVolume(serverId: string, volumeId: string): Promise<void> {
    await this.request('compute', 'DELETE', `/servers/${serverId}/os-volume_attachments/${volumeId}`);
  }

  // --- Heat

  /** Resources of a stack and the stacks nested in it, down to `nestedDepth`. */
  public async listStackResources(stackId: string, nestedDepth = 5): Promise<StackResource[]> {
    const { resources } = await this.request('orchestration', 'GET', `/stacks/${stackId}/resources${q({ nested_depth: String(nestedDepth) })}`);
    return (resources ?? []).map((r: Json) => ({ type: r.resource_type, name: r.resource_name, physicalId: r.physical_resource_id ?? '' }));
  }
}

const toLoadBalancer = (lb: Json): LoadBalancer => ({
  id: lb.id, name: lb.name ?? '', description: lb.description ?? '', provisioningStatus: lb.provisioning_status, vipPortId: lb.vip_port_id ?? undefined, projectId: lb.project_id,
});
const toFloatingIp = (f: Json): FloatingIp => ({
  id: f.id, address: f.floating_ip_address, description: f.description ?? '', portId: f.port_id ?? undefined, projectId: f.project_id ?? f.tenant_id,
});
const toSecurityGroup = (sg: Json): SecurityGroup => ({ id: sg.id, name: sg.name ?? '', description: sg.description ?? '', projectId: sg.project_id ?? sg.tenant_id });
const toPort = (p: Json): Port => ({ id: p.id, securityGroupIds: p.security_groups ?? [], deviceId: p.device_id || undefined });
const toVolume = (v: Json): Volume => ({
  id: v.id,
  name: v.name ?? '',
  status: v.status,
  metadata: v.metadata ?? {},
  attachedServerIds: (v.attachments ?? []).map((a: Json) => a.server_id).filter(Boolean),
  attachedDevices: (v.attachments ?? []).map((a: Json) => a.device ?? ''),
  bootable: String(v.bootable) === 'true',
  projectId: v['os-vol-tenant-attr:tenant_id'],
});
const toCluster = (c: Json): Cluster => ({ uuid: c.uuid, name: c.name, status: c.status, statusReason: c.status_reason ?? undefined, stackId: c.stack_id ?? undefined, projectId: c.project_id });
