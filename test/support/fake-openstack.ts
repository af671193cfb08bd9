import { randomUUID } from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';
import { CloudConfig } from '../../runtime/openstack';

/**
 * A tiny in-process OpenStack on 127.0.0.1 for unit tests of the client's and the
 * teardown's state machine (401, 404, 409, PENDING_*, 5xx, timeouts). It mimics just
 * enough of Keystone, Octavia, Neutron, Cinder, Magnum, Nova and Heat; the real
 * behaviour is proven by the end-to-end tests against the local cloud.
 */

/** A request as the fake saw it. */
export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** The JSON body, parsed; undefined when there was none. */
  readonly body: unknown;
  readonly token?: string;
}

/** What the fake reads of a Keystone password authentication. */
interface AuthRequestBody {
  readonly auth?: { readonly identity?: { readonly password?: { readonly user?: { readonly password?: string } } } };
}

/** What the fake reads of a Neutron port update. */
interface PortUpdateBody {
  readonly port: { readonly security_groups: string[] };
}

/** What the fake answers; `hang` answers never (the client's timeout must fire). */
export type FakeReply = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';

/** Answers a request before the model does, e.g. to inject faults; undefined lets it through. */
export type Interceptor = (req: FakeRequest) => FakeReply | undefined;

interface Lb {
  id: string;
  name: string;
  description: string;
  provisioning_status: string;
  vip_port_id: string;
  project_id: string;
  pending: number;
  after: string;
}
interface Pool {
  id: string;
  lbId: string;
  healthmonitor_id: string | null;
  members: { id: string }[];
}
interface Listener {
  id: string;
  lbId: string;
  l7policies: { id: string }[];
}
interface Volume {
  id: string;
  name: string;
  status: string;
  bootable: string;
  metadata: Record<string, string>;
  attachments: { server_id: string; device: string }[];
  pending: number;
  after: string;
}

/** Polls a resource stays in a transitional state (PENDING_*, deleting, detaching). */
const POLLS = 2;

/** An added node group, as Magnum shows it, and the resize under way. */
interface FakeNodeGroup {
  uuid: string;
  name: string;
  status: string;
  status_reason?: string;
  node_count: number;
  min_node_count: number;
  max_node_count: number | null;
  updated_at: string | null;
  deleting?: number;
  resize?: { to: number; from: number; lag: number; polls: number; failure?: string; keepsCount?: boolean };
}
export const PROJECT = 'p0000000000000000000000000000001';

/** The fake cloud: state, call log, interceptors. */
export class FakeOpenStack {
  /** Starts the fake on 127.0.0.1, on `port` or an ephemeral one. */
  public static async start(port = 0): Promise<FakeOpenStack> {
    const fake = new FakeOpenStack();
    await new Promise<void>((resolve) => fake.server.listen(port, '127.0.0.1', resolve));
    return fake;
  }

  public readonly calls: FakeRequest[] = [];
  public readonly interceptors: Interceptor[] = [];
  public password = 'fake-password';
  public cascadeRefused = false;
  public readonly lbs = new Map<string, Lb>();
  public readonly listeners = new Map<string, Listener>();
  public readonly pools = new Map<string, Pool>();
  public readonly fips = new Map<string, { id: string; floating_ip_address: string; description: string; port_id: string | null; project_id: string }>();
  public readonly sgs = new Map<string, { id: string; name: string; description: string; project_id: string }>();
  public readonly ports = new Map<string, { id: string; security_groups: string[]; device_id: string }>();
  public readonly volumes = new Map<string, Volume>();
  /** Clusters by UUID; `deleting` counts the polls left before it is gone (the old status shows until then, as Magnum's does). */
  public readonly clusters = new Map<
    string,
    { uuid: string; name: string; status: string; status_reason?: string; stack_id: string; project_id: string; deleting?: number }
  >();
  public readonly stacks = new Map<string, { resource_type: string; resource_name: string; physical_resource_id: string }[]>();
  /** Added (non-default) node groups by `<cluster uuid>/<uuid>`; `deleting` counts the polls left before it is gone. */
  public readonly nodeGroups = new Map<string, FakeNodeGroup>();
  /**
   * How Magnum takes up the next resizes: `lag` GETs of the group answered as before the resize (the
   * conductor has not yet taken it: the race provider 3.4.0 loses), then `polls` in UPDATE_IN_PROGRESS,
   * then UPDATE_COMPLETE, or with `failure`, UPDATE_FAILED with that reason: the old count back (the
   * conductor's step failed), or with `keepsCount` the new one (Heat failed, as Magnum's periodic job reports it).
   */
  public resizing: { lag: number; polls: number; failure?: string; keepsCount?: boolean } = { lag: 2, polls: POLLS };
  /** Node group deletes answered 409 (cluster busy) before one is accepted. */
  public nodeGroupRefusals = 0;
  private readonly validTokens = new Set<string>();
  private readonly hanging = new Set<http.ServerResponse>();
  private readonly server = http.createServer((req, res) => this.handle(req, res));

  /** Base URL, e.g. http://127.0.0.1:40123. */
  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Tokens issued so far. */
  public get authCount(): number {
    return this.calls.filter((c) => c.path === '/identity/v3/auth/tokens').length;
  }

  /** Makes every issued token invalid (the next request gets 401). */
  public expireTokens(): void {
    this.validTokens.clear();
  }

  /** The resolved cloud of the fake, as resolveCloud would make it of {@link cloudEntry}. */
  public cloud(extra: Partial<CloudConfig> = {}): CloudConfig {
    return {
      name: 'fake',
      authType: 'password',
      authUrl: `${this.url}/identity/v3`,
      username: 'admin',
      password: this.password,
      projectName: 'admin',
      regionName: 'RegionOne',
      interface: 'public',
      insecure: false,
      source: 'test',
      ...extra,
    };
  }

  /** A clouds.yaml entry pointing at the fake. */
  public cloudEntry(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      auth: { auth_url: `${this.url}/identity/v3`, username: 'admin', password: this.password, project_name: 'admin', user_domain_name: 'Default' },
      region_name: 'RegionOne',
      ...extra,
    };
  }

  /** Stops the server, releasing hanging requests. */
  public async close(): Promise<void> {
    this.hanging.forEach((r) => r.destroy());
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections(); // keep-alive sockets would hold close() for seconds
    await closed;
  }

  /** Adds a load balancer with one listener, pool, member and health monitor. */
  public addLoadBalancer(description: string, name = `lb-${this.lbs.size}`, status = 'ACTIVE'): string {
    const id = randomUUID();
    this.lbs.set(id, {
      id,
      name,
      description,
      provisioning_status: status,
      vip_port_id: randomUUID(),
      project_id: PROJECT,
      pending: status.startsWith('PENDING') ? POLLS : 0,
      after: 'ACTIVE',
    });
    const listener = randomUUID();
    this.listeners.set(listener, { id: listener, lbId: id, l7policies: [{ id: randomUUID() }] });
    const pool = randomUUID();
    this.pools.set(pool, { id: pool, lbId: id, healthmonitor_id: randomUUID(), members: [{ id: randomUUID() }, { id: randomUUID() }] });
    return id;
  }

  /** Adds a floating IP. */
  public addFloatingIp(description: string): string {
    const id = randomUUID();
    this.fips.set(id, { id, floating_ip_address: `198.51.100.${this.fips.size + 10}`, description, port_id: null, project_id: PROJECT });
    return id;
  }

  /** Adds a security group, optionally used by a new port (with another group beside it). */
  public addSecurityGroup(description: string, onPort = false): { id: string; port?: string; other?: string } {
    const id = randomUUID();
    this.sgs.set(id, { id, name: `lb-sg-${id}`, description, project_id: PROJECT });
    if (!onPort) return { id };
    const port = randomUUID();
    const other = randomUUID();
    this.ports.set(port, { id: port, security_groups: [other, id], device_id: randomUUID() });
    return { id, port, other };
  }

  /** Adds a volume, attached as /dev/vdb (or, `boot`, as a bootable /dev/vda). */
  public addVolume(metadata: Record<string, string>, attachedTo: string[] = [], boot = false): string {
    const id = randomUUID();
    const attachments = attachedTo.map((s) => ({ server_id: s, device: boot ? '/dev/vda' : '/dev/vdb' }));
    this.volumes.set(id, {
      id,
      name: `pvc-${id}`,
      status: attachedTo.length ? 'in-use' : 'available',
      bootable: String(boot),
      metadata,
      attachments,
      pending: 0,
      after: '',
    });
    return id;
  }

  /** Adds a Magnum cluster whose Heat stack holds these servers and volumes; returns its stack. */
  public addCluster(uuid: string, servers: string[], heatVolumes: string[] = [], status = 'CREATE_COMPLETE'): { stackId: string } {
    const stack = randomUUID();
    this.clusters.set(uuid, { uuid, name: 'k8s', status, stack_id: stack, project_id: PROJECT });
    this.stacks.set(stack, [
      ...servers.map((s) => ({ resource_type: 'OS::Nova::Server', resource_name: 'kube-minion', physical_resource_id: s })),
      ...heatVolumes.map((v) => ({ resource_type: 'Magnum::Optional::Cinder::Volume', resource_name: 'docker_volume', physical_resource_id: v })),
    ]);
    return { stackId: stack };
  }

  /** Adds a node group that, like Magnum 15's, still shows CREATE_COMPLETE for a few polls after its delete; returns its UUID. */
  public addNodeGroup(
    clusterUuid: string,
    name: string,
    given: Partial<Pick<FakeNodeGroup, 'uuid' | 'node_count' | 'min_node_count' | 'max_node_count'>> = {},
  ): string {
    const group = { uuid: randomUUID(), name, status: 'CREATE_COMPLETE', node_count: 1, min_node_count: 0, max_node_count: null, updated_at: null, ...given };
    this.nodeGroups.set(`${clusterUuid}/${group.uuid}`, group);
    return group.uuid;
  }

  /** Magnum's resize action (api/controllers/v1/cluster_actions.py): bounds checked, 202, the conductor later. */
  private resize(clusterUuid: string, body: { node_count: number; nodegroup: string }): FakeReply {
    this.need(this.clusters, clusterUuid);
    const group = [...this.nodeGroups.entries()].find(([key, g]) => key.startsWith(`${clusterUuid}/`) && g.uuid === body.nodegroup)?.[1];
    if (!group) return { status: 404, body: { errors: [{ detail: `Nodegroup ${body.nodegroup} could not be found` }] } };
    if (group.min_node_count > body.node_count || (group.max_node_count && group.max_node_count < body.node_count)) {
      const detail = `Resizing ${group.name} outside the allowed range: min_node_count = ${group.min_node_count}, max_node_count = ${group.max_node_count}`;
      return { status: 400, body: { errors: [{ detail }] } };
    }
    group.resize = { to: body.node_count, from: group.node_count, ...this.resizing };
    return { status: 202, body: { uuid: clusterUuid } };
  }

  /** One GET's worth of the conductor and Heat working on a group's resize. */
  private advanceResize(group: FakeNodeGroup): void {
    const r = group.resize;
    if (!r) return;
    const saved = () => (group.updated_at = new Date(Date.now() + this.saves++ * 1000).toISOString());
    if (r.lag > 0) {
      r.lag--;
    } else if (group.status !== 'UPDATE_IN_PROGRESS') {
      Object.assign(group, { node_count: r.to, status: 'UPDATE_IN_PROGRESS' });
      saved();
    } else if (r.polls-- <= 0) {
      Object.assign(
        group,
        r.failure ? { node_count: r.keepsCount ? r.to : r.from, status: 'UPDATE_FAILED', status_reason: r.failure } : { status: 'UPDATE_COMPLETE' },
      );
      saved();
      delete group.resize;
    }
  }
  private saves = 0;

  /** Whether the cluster still has an added node group of this name. */
  public hasNodeGroup(clusterUuid: string, name: string): boolean {
    return [...this.nodeGroups.entries()].some(([key, g]) => key.startsWith(`${clusterUuid}/`) && g.name === name);
  }

  /** Magnum's list: the cluster's two default groups (its own Heat stack), then the added ones. */
  private listNodeGroups(clusterUuid: string): FakeReply {
    const cluster = this.need(this.clusters, clusterUuid);
    const defaults = ['master', 'worker'].map((role) => ({
      uuid: `${clusterUuid}-${role}`,
      name: `default-${role}`,
      role,
      is_default: true,
      status: cluster.status,
      stack_id: cluster.stack_id,
    }));
    const added = [...this.nodeGroups.entries()]
      .filter(([key]) => key.startsWith(`${clusterUuid}/`))
      .map(([, g]) => ({ uuid: g.uuid, name: g.name, role: 'worker', is_default: false, status: g.status, stack_id: cluster.stack_id }));
    return { status: 200, body: { nodegroups: [...defaults, ...added] } };
  }

  /** Magnum addresses a node group by UUID or by name. */
  private nodeGroup(method: string, clusterUuid: string, ref: string): FakeReply {
    const name = decodeURIComponent(ref);
    const found = [...this.nodeGroups.entries()].find(([key, g]) => key.startsWith(`${clusterUuid}/`) && (g.uuid === name || g.name === name));
    const key = found?.[0] ?? `${clusterUuid}/${name}`;
    if (method === 'GET' && found) this.advanceResize(found[1]);
    if (method === 'DELETE' && this.nodeGroupRefusals > 0) {
      this.need(this.nodeGroups, key);
      this.nodeGroupRefusals--;
      return { status: 409, body: { errors: [{ detail: 'Cluster is in UPDATE_IN_PROGRESS' }] } };
    }
    return this.magnumObject(this.nodeGroups, key, method);
  }

  private cluster(method: string, uuid: string): FakeReply {
    return this.magnumObject(this.clusters, uuid, method);
  }

  /** Magnum's delete: accepted at once; GETs still show the object unchanged for a few polls, then 404. */
  private magnumObject<T extends { deleting?: number }>(map: Map<string, T>, key: string, method: string): FakeReply {
    const object = this.need(map, key);
    if (method === 'DELETE') {
      object.deleting ??= POLLS;
      return { status: 204 };
    }
    if (object.deleting !== undefined && object.deleting-- <= 0) {
      map.delete(key);
      throw Object.assign(new Error(`${key} not found`), { status: 404 });
    }
    return { status: 200, body: object };
  }

  private catalog() {
    const ep = (type: string, path: string) => ({
      type,
      endpoints: ['public', 'internal'].map((i) => ({ interface: i, region_id: 'RegionOne', url: `${this.url}${path}${i === 'internal' ? '-internal' : ''}` })),
    });
    return [
      ep('identity', '/identity/v3'),
      ep('load-balancer', '/octavia'),
      ep('network', '/neutron'),
      ep('volumev3', '/cinder/v3/%(project_id)s'),
      ep('container-infra', '/magnum/v1'),
      ep('compute', '/nova/v2.1'),
      ep('orchestration', '/heat/v1/%(tenant_id)s'),
      ep('image', '/glance/v2'),
    ];
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let text = '';
    req.on('data', (c) => {
      text += c;
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', this.url);
      const fr: FakeRequest = {
        method: req.method ?? 'GET',
        path: url.pathname.replace(/-internal(?=\/|$)/, ''),
        query: url.searchParams,
        body: text ? JSON.parse(text) : undefined,
        token: req.headers['x-auth-token'] as string | undefined,
      };
      this.calls.push(fr);
      const reply = this.reply(fr);
      if (reply === 'hang') {
        this.hanging.add(res);
        return;
      }
      res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  }

  private reply(req: FakeRequest): FakeReply {
    for (const intercept of this.interceptors) {
      const r = intercept(req);
      if (r) return r;
    }
    if (req.path === '/identity/v3/auth/tokens' && req.method === 'POST') return this.auth(req);
    if (!req.token || !this.validTokens.has(req.token))
      return { status: 401, body: { error: { message: 'The request you have made requires authentication.' } } };
    try {
      return this.route(req) ?? { status: 404, body: { NeutronError: { message: `no route ${req.method} ${req.path}` } } };
    } catch (e) {
      return { status: (e as { status?: number }).status ?? 500, body: { faultstring: (e as Error).message } };
    }
  }

  private auth(req: FakeRequest): FakeReply {
    const pw = (req.body as AuthRequestBody | undefined)?.auth?.identity?.password?.user?.password;
    if (pw !== this.password) return { status: 401, body: { error: { message: `bad credentials (you sent ${pw})` } } };
    const token = randomUUID();
    this.validTokens.add(token);
    return {
      status: 201,
      headers: { 'X-Subject-Token': token },
      body: { token: { project: { id: PROJECT }, user: { id: 'u1' }, roles: [{ name: 'admin' }], catalog: this.catalog() } },
    };
  }

  /** Moves transitional states on by one poll. */
  private tick<T extends { pending: number; after: string }>(thing: T, set: (t: T) => void, gone: () => void): void {
    if (thing.pending > 0 && --thing.pending === 0) {
      if (thing.after === 'GONE') gone();
      else set(thing);
    }
  }

  private route(req: FakeRequest): FakeReply | undefined {
    const m = (re: RegExp) => re.exec(`${req.method} ${req.path}`);
    let g: RegExpExecArray | null;
    if ((g = m(/^GET \/octavia\/v2\/lbaas\/loadbalancers$/))) return { status: 200, body: { loadbalancers: [...this.lbs.values()] } };
    if ((g = m(/^GET \/octavia\/v2\/lbaas\/loadbalancers\/([^/]+)$/))) {
      const lb = this.need(this.lbs, g[1]);
      const shown = { ...lb };
      this.tick(
        lb,
        (l) => {
          l.provisioning_status = l.after;
        },
        () => this.lbs.delete(lb.id),
      );
      return { status: 200, body: { loadbalancer: shown } };
    }
    if ((g = m(/^DELETE \/octavia\/v2\/lbaas\/loadbalancers\/([^/]+)$/))) return this.deleteLb(g[1], req.query.get('cascade') === 'true');
    if ((g = m(/^GET \/octavia\/v2\/lbaas\/listeners$/)))
      return { status: 200, body: { listeners: [...this.listeners.values()].filter((l) => l.lbId === req.query.get('loadbalancer_id')) } };
    if ((g = m(/^GET \/octavia\/v2\/lbaas\/pools$/)))
      return { status: 200, body: { pools: [...this.pools.values()].filter((p) => p.lbId === req.query.get('loadbalancer_id')) } };
    if ((g = m(/^DELETE \/octavia\/v2\/lbaas\/(l7policies|healthmonitors|pools|listeners)\/([^/]+)$/))) return this.deleteChild(g[1], g[2]);
    if ((g = m(/^DELETE \/octavia\/v2\/lbaas\/pools\/([^/]+)\/members\/([^/]+)$/))) return this.deleteChild('members', g[2], g[1]);
    if ((g = m(/^GET \/neutron\/v2\.0\/floatingips$/))) return { status: 200, body: { floatingips: [...this.fips.values()] } };
    if ((g = m(/^GET \/neutron\/v2\.0\/floatingips\/([^/]+)$/))) return { status: 200, body: { floatingip: this.need(this.fips, g[1]) } };
    if ((g = m(/^DELETE \/neutron\/v2\.0\/floatingips\/([^/]+)$/))) {
      this.need(this.fips, g[1]);
      this.fips.delete(g[1]);
      return { status: 204 };
    }
    if ((g = m(/^GET \/neutron\/v2\.0\/security-groups$/))) return { status: 200, body: { security_groups: [...this.sgs.values()] } };
    if ((g = m(/^GET \/neutron\/v2\.0\/security-groups\/([^/]+)$/))) return { status: 200, body: { security_group: this.need(this.sgs, g[1]) } };
    if ((g = m(/^DELETE \/neutron\/v2\.0\/security-groups\/([^/]+)$/))) return this.deleteSg(g[1]);
    if ((g = m(/^GET \/neutron\/v2\.0\/ports$/)))
      return { status: 200, body: { ports: [...this.ports.values()].filter((p) => p.security_groups.includes(req.query.get('security_groups') ?? '')) } };
    if ((g = m(/^PUT \/neutron\/v2\.0\/ports\/([^/]+)$/))) {
      this.need(this.ports, g[1]).security_groups = (req.body as PortUpdateBody).port.security_groups;
      return { status: 200, body: { port: this.ports.get(g[1]) } };
    }
    if ((g = m(/^GET \/cinder\/v3\/[^/]+\/volumes\/detail$/))) return { status: 200, body: { volumes: [...this.volumes.values()] } };
    if ((g = m(/^GET \/cinder\/v3\/[^/]+\/volumes\/([^/]+)$/))) return this.showVolume(g[1]);
    if ((g = m(/^DELETE \/cinder\/v3\/[^/]+\/volumes\/([^/]+)$/))) return this.deleteVolume(g[1]);
    if ((g = m(/^DELETE \/nova\/v2\.1\/servers\/([^/]+)\/os-volume_attachments\/([^/]+)$/))) return this.detach(g[1], g[2]);
    if ((g = m(/^POST \/magnum\/v1\/clusters\/([^/]+)\/actions\/resize$/))) return this.resize(g[1], req.body as { node_count: number; nodegroup: string });
    if ((g = m(/^(GET|DELETE) \/magnum\/v1\/clusters\/([^/]+)\/nodegroups\/([^/]+)$/))) return this.nodeGroup(g[1], g[2], g[3]);
    if ((g = m(/^GET \/magnum\/v1\/clusters\/([^/]+)\/nodegroups$/))) return this.listNodeGroups(g[1]);
    if ((g = m(/^(GET|DELETE) \/magnum\/v1\/clusters\/([^/]+)$/))) return this.cluster(g[1], g[2]);
    if ((g = m(/^GET \/heat\/v1\/[^/]+\/stacks\/([^/]+)\/resources$/))) {
      // Heat answers a lookup by id alone with a redirect to /stacks/<name>/<id>.
      return { status: 302, headers: { Location: `${this.url}/heat/v1/${PROJECT}/stacks/k8s-stack/${g[1]}/resources?${req.query}` } };
    }
    if ((g = m(/^GET \/heat\/v1\/[^/]+\/stacks\/k8s-stack\/([^/]+)\/resources$/))) return { status: 200, body: { resources: this.need(this.stacks, g[1]) } };
    return undefined;
  }

  private need<T>(map: Map<string, T>, id: string): T {
    const found = map.get(id);
    if (!found) throw Object.assign(new Error(`${id} not found`), { status: 404 });
    return found;
  }

  private lbOf(id: string): Lb {
    const lb = this.need(this.lbs, id);
    if (lb.provisioning_status.startsWith('PENDING_'))
      throw Object.assign(new Error(`Invalid state ${lb.provisioning_status} of loadbalancer resource ${id}`), { status: 409 });
    return lb;
  }

  private deleteLb(id: string, cascade: boolean): FakeReply {
    const lb = this.lbOf(id);
    const children = [...this.listeners.values(), ...this.pools.values()].filter((c) => c.lbId === id);
    if (cascade && this.cascadeRefused) return { status: 400, body: { faultstring: 'Invalid input: cascade' } };
    if (!cascade && children.length) return { status: 400, body: { faultstring: 'Cannot delete Load Balancer - it has children' } };
    children.forEach((c) => {
      this.listeners.delete(c.id);
      this.pools.delete(c.id);
    });
    Object.assign(lb, { provisioning_status: 'PENDING_DELETE', pending: POLLS, after: 'GONE' });
    return { status: 204 };
  }

  private deleteChild(kind: string, id: string, poolId?: string): FakeReply {
    const pools = [...this.pools.values()];
    const owner =
      kind === 'listeners'
        ? this.listeners.get(id)?.lbId
        : kind === 'pools'
          ? this.pools.get(id)?.lbId
          : kind === 'healthmonitors'
            ? pools.find((p) => p.healthmonitor_id === id)?.lbId
            : kind === 'members'
              ? this.pools.get(poolId!)?.lbId
              : [...this.listeners.values()].find((l) => l.l7policies.some((p) => p.id === id))?.lbId;
    if (!owner) return { status: 404, body: { faultstring: `${kind} ${id} not found` } };
    const lb = this.lbOf(owner);
    if (kind === 'listeners') this.listeners.delete(id);
    if (kind === 'pools') this.pools.delete(id);
    if (kind === 'healthmonitors')
      pools
        .filter((p) => p.healthmonitor_id === id)
        .forEach((p) => {
          p.healthmonitor_id = null;
        });
    if (kind === 'members') this.pools.get(poolId!)!.members = this.pools.get(poolId!)!.members.filter((x) => x.id !== id);
    if (kind === 'l7policies')
      this.listeners.forEach((l) => {
        l.l7policies = l.l7policies.filter((p) => p.id !== id);
      });
    Object.assign(lb, { provisioning_status: 'PENDING_UPDATE', pending: POLLS, after: 'ACTIVE' });
    return { status: 204 };
  }

  private deleteSg(id: string): FakeReply {
    this.need(this.sgs, id);
    if ([...this.ports.values()].some((p) => p.security_groups.includes(id)))
      return { status: 409, body: { NeutronError: { message: `Security Group ${id} in use.` } } };
    this.sgs.delete(id);
    return { status: 204 };
  }

  private showVolume(id: string): FakeReply {
    const v = this.need(this.volumes, id);
    const shown = { ...v, attachments: [...v.attachments] };
    this.tick(
      v,
      (x) => {
        x.status = x.after;
        x.attachments = x.after === 'available' ? [] : x.attachments;
      },
      () => this.volumes.delete(id),
    );
    return { status: 200, body: { volume: shown } };
  }

  private deleteVolume(id: string): FakeReply {
    const v = this.need(this.volumes, id);
    if (!['available', 'error'].includes(v.status))
      return { status: 400, body: { badRequest: { message: `Invalid volume: Volume status must be available or error, but current status is: ${v.status}` } } };
    Object.assign(v, { status: 'deleting', pending: POLLS, after: 'GONE' });
    return { status: 202 };
  }

  private detach(server: string, id: string): FakeReply {
    const v = this.need(this.volumes, id);
    if (!v.attachments.some((a) => a.server_id === server)) return { status: 404, body: { itemNotFound: { message: 'volume not attached' } } };
    Object.assign(v, { status: 'detaching', pending: POLLS, after: 'available' });
    return { status: 202 };
  }
}
