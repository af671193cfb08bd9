import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';

/**
 * A tiny in-process Kubernetes API on 127.0.0.1 for unit tests of the teardown's Kubernetes step:
 * Nodes, Services, Ingresses, PersistentVolumeClaims and PersistentVolumes, listed in all namespaces
 * (paged), and deletes that, like the real controllers, leave an object with finalizers there for a
 * few lists before it goes (a claim's Delete-policy volume after it). The real controllers are
 * proven by the end-to-end tests against the local cloud.
 */

/** A request as the fake saw it. */
export interface FakeKubeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly authorization?: string;
}

/** What an interceptor answers instead of the model; undefined lets the request through. */
export type FakeKubeInterceptor = (req: FakeKubeRequest) => { status: number; body?: unknown } | undefined;

/** One stored object: its JSON, and how many more lists it survives once deleted. */
interface Stored {
  readonly json: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the API's own JSON, as a fake serves it
  listsLeft?: number;
}

/** The collections the fake serves, by the path of their all-namespaces list. */
const COLLECTIONS = {
  nodes: '/api/v1/nodes',
  services: '/api/v1/services',
  ingresses: '/apis/networking.k8s.io/v1/ingresses',
  persistentvolumeclaims: '/api/v1/persistentvolumeclaims',
  persistentvolumes: '/api/v1/persistentvolumes',
} as const;
type Collection = keyof typeof COLLECTIONS;

/** The fake API: state, call log, interceptors. */
export class FakeKubernetes {
  /** Starts the fake on 127.0.0.1, on an ephemeral port. */
  public static async start(): Promise<FakeKubernetes> {
    const fake = new FakeKubernetes();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  public readonly calls: FakeKubeRequest[] = [];
  public readonly interceptors: FakeKubeInterceptor[] = [];
  /** The bearer token every request must carry. */
  public token = `kube-token-${randomUUID()}`;
  /** Lists a deleted object with finalizers survives before its controller lets it go; Infinity: a controller that never does. */
  public listsToRemove = 2;
  /** Objects per page when a list asks for fewer; Infinity: the `limit` asked for. */
  public pageSize = Infinity;
  private readonly store: Record<Collection, Map<string, Stored>> = {
    nodes: new Map(),
    services: new Map(),
    ingresses: new Map(),
    persistentvolumeclaims: new Map(),
    persistentvolumes: new Map(),
  };
  private readonly server = http.createServer((req, res) => this.handle(req, res));

  /** Base URL, e.g. http://127.0.0.1:40123. */
  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** The DELETE requests so far, as `<collection>/<namespace>/<name>`. */
  public get deletes(): string[] {
    return this.calls
      .filter((c) => c.method === 'DELETE')
      .map((c) => {
        const m = /\/namespaces\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(c.path);
        return m ? `${m[2]}/${m[1]}/${m[3]}` : c.path;
      });
  }

  /** Whether an object is still listed. */
  public has(collection: Collection, namespace: string, name: string): boolean {
    return this.store[collection].has(`${namespace}/${name}`);
  }

  /** A Node whose providerID names this server (`openstack:///<id>`), or exactly `providerId` when it holds `://`. */
  public addNode(name: string, server: string): void {
    this.put('nodes', {
      metadata: { name },
      spec: server.includes('://') || server === '' ? { providerID: server || undefined } : { providerID: `openstack:///${server}` },
    });
  }

  /** A Service; a LoadBalancer one carries the cloud provider's cleanup finalizer. */
  public addService(namespace: string, name: string, type = 'LoadBalancer'): void {
    const finalizers = type === 'LoadBalancer' ? ['service.kubernetes.io/load-balancer-cleanup'] : [];
    this.put('services', { metadata: { namespace, name, finalizers }, spec: { type } });
  }

  /** An Ingress with this `spec.ingressClassName` and/or `kubernetes.io/ingress.class` annotation; it goes at once when deleted. */
  public addIngress(namespace: string, name: string, klass: { className?: string; annotation?: string }): void {
    const annotations = klass.annotation ? { 'kubernetes.io/ingress.class': klass.annotation } : {};
    this.put('ingresses', { metadata: { namespace, name, annotations }, spec: klass.className ? { ingressClassName: klass.className } : {} });
  }

  /**
   * A claim bound to a CSI volume of `driver` whose handle is `volumeId`, made by that driver's provisioner (or, `handWritten`,
   * a PV written by hand); returns the volume's name.
   */
  public addClaim(
    namespace: string,
    name: string,
    volumeId: string,
    options: { driver?: string; reclaimPolicy?: 'Delete' | 'Retain'; pvName?: string; handWritten?: boolean } = {},
  ): string {
    const pv = options.pvName ?? `pvc-${randomUUID()}`;
    const driver = options.driver ?? 'cinder.csi.openstack.org';
    const annotations = options.handWritten ? {} : { 'pv.kubernetes.io/provisioned-by': driver };
    this.put('persistentvolumes', {
      metadata: { name: pv, annotations, finalizers: ['kubernetes.io/pv-protection'] },
      spec: {
        csi: { driver, volumeHandle: volumeId },
        persistentVolumeReclaimPolicy: options.reclaimPolicy ?? 'Delete',
        claimRef: { namespace, name },
      },
    });
    this.put('persistentvolumeclaims', { metadata: { namespace, name, finalizers: ['kubernetes.io/pvc-protection'] }, spec: { volumeName: pv } });
    return pv;
  }

  /** Writes a kubeconfig with one context per entry (token auth, each its own cluster and user) to `file`; JSON is YAML. */
  public static writeKubeconfig(file: string, contexts: { name: string; server: string; token?: string }[]): string {
    fs.writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: contexts.map((c) => ({ name: `${c.name}-cluster`, cluster: { server: c.server } })),
        users: contexts.map((c) => ({ name: `${c.name}-user`, user: c.token ? { token: c.token } : {} })),
        contexts: contexts.map((c) => ({ name: c.name, context: { cluster: `${c.name}-cluster`, user: `${c.name}-user` } })),
      }),
    );
    return file;
  }

  private put(collection: Collection, json: Stored['json']): void {
    json.metadata.uid = randomUUID();
    this.store[collection].set(`${json.metadata.namespace ?? ''}/${json.metadata.name}`, { json });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const text = Buffer.concat(chunks).toString('utf8');
      const call: FakeKubeRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        body: text ? JSON.parse(text) : undefined,
        authorization: req.headers.authorization,
      };
      this.calls.push(call);
      const reply = this.interceptors.map((i) => i(call)).find((r) => r !== undefined) ?? this.route(call);
      res.writeHead(reply.status, { 'Content-Type': 'application/json' });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  }

  private route(call: FakeKubeRequest): { status: number; body?: unknown } {
    if (call.authorization !== `Bearer ${this.token}`) return status(401, 'Unauthorized');
    const listed = (Object.keys(COLLECTIONS) as Collection[]).find((c) => COLLECTIONS[c] === call.path);
    if (call.method === 'GET' && listed) return { status: 200, body: this.list(listed, call.query) };
    const m = /^(\/api\/v1|\/apis\/networking\.k8s\.io\/v1)\/namespaces\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(call.path);
    if (call.method === 'DELETE' && m && m[3] in this.store) return this.remove(m[3] as Collection, `${m[2]}/${m[4]}`, call.body);
    return status(404, `the server could not find the requested resource (${call.method} ${call.path})`);
  }

  /** A page of a collection; every list is a controller's tick: deleted objects move one list closer to gone. */
  private list(collection: Collection, query: URLSearchParams): unknown {
    this.tick(collection);
    const items = [...this.store[collection].values()].map((s) => s.json);
    const from = Number(query.get('continue') ?? 0);
    const size = Math.min(Number(query.get('limit') ?? Infinity), this.pageSize);
    const page = items.slice(from, from + size);
    const next = from + size < items.length ? String(from + size) : undefined;
    return { kind: 'List', apiVersion: 'v1', metadata: next ? { continue: next } : {}, items: page };
  }

  private tick(collection: Collection): void {
    for (const [key, s] of this.store[collection]) {
      if (s.listsLeft === undefined) continue;
      s.listsLeft -= 1;
      if (s.listsLeft <= 0) this.gone(collection, key);
    }
  }

  /** An object goes; a claim's Delete-policy volume starts going with it, a Retain one is Released. */
  private gone(collection: Collection, key: string): void {
    const s = this.store[collection].get(key)!;
    this.store[collection].delete(key);
    if (collection !== 'persistentvolumeclaims') return;
    const pv = this.store.persistentvolumes.get(`/${s.json.spec.volumeName}`);
    if (!pv) return;
    if (pv.json.spec.persistentVolumeReclaimPolicy === 'Delete') this.terminate(pv, 'persistentvolumes', `/${s.json.spec.volumeName}`);
    else pv.json.status = { phase: 'Released' };
  }

  private terminate(s: Stored, collection: Collection, key: string): void {
    s.json.metadata.deletionTimestamp ??= new Date().toISOString();
    if ((s.json.metadata.finalizers ?? []).length === 0) this.gone(collection, key);
    else s.listsLeft ??= this.listsToRemove;
  }

  private remove(collection: Collection, key: string, body: unknown): { status: number; body?: unknown } {
    const s = this.store[collection].get(key);
    if (!s) return status(404, `${collection} "${key.split('/')[1]}" not found`);
    const uid = (body as { preconditions?: { uid?: string } } | undefined)?.preconditions?.uid;
    if (uid !== undefined && uid !== s.json.metadata.uid)
      return status(409, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${s.json.metadata.uid}`);
    this.terminate(s, collection, key);
    return { status: 200, body: s.json };
  }
}

/** A Kubernetes Status answer. */
function status(code: number, message: string): { status: number; body: unknown } {
  return { status: code, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code } };
}
