import * as http from 'http';
import * as https from 'https';
import { redact } from '../openstack';
import { KubernetesApiError } from './errors';
import { describeContext, KubeContext, secretsOfContext } from './kubeconfig';
import { KubeJson, KubeObject, toIngress, toNode, toPersistentVolume, toPersistentVolumeClaim, toService } from './resources';

/** Each kind the teardown reads: where its collection lives (its API group's prefix and its plural), and how an object is read. */
const KINDS = {
  Node: { prefix: '/api/v1', plural: 'nodes', read: toNode },
  Service: { prefix: '/api/v1', plural: 'services', read: toService },
  Ingress: { prefix: '/apis/networking.k8s.io/v1', plural: 'ingresses', read: toIngress },
  PersistentVolumeClaim: { prefix: '/api/v1', plural: 'persistentvolumeclaims', read: toPersistentVolumeClaim },
  PersistentVolume: { prefix: '/api/v1', plural: 'persistentvolumes', read: toPersistentVolume },
} as const;

/** The kinds the teardown lists. */
export type ListedKind = keyof typeof KINDS;

/** The namespaced kinds the teardown deletes. */
export type NamespacedKind = 'Service' | 'Ingress' | 'PersistentVolumeClaim';

/** What a list of `K` holds. */
export type ObjectOf<K extends ListedKind> = ReturnType<(typeof KINDS)[K]['read']>;

/** Objects per page of a list. */
const PAGE = 500;

/** Options of a {@link KubernetesClient}. */
export interface KubernetesClientOptions {
  /** Per-request timeout in ms: an unreachable API must not hold the teardown. @default 10000 */
  readonly timeoutMs?: number;
  /** Aborts every request in flight. @default - never */
  readonly signal?: AbortSignal;
}

/** The TLS settings of a context for node's https: its CA, its client certificate, and whether to verify at all. */
export function tlsOptionsOf(context: KubeContext): https.RequestOptions {
  return {
    ca: context.ca,
    cert: context.clientCertificate,
    key: context.clientKey,
    rejectUnauthorized: !context.insecure,
    servername: context.tlsServerName,
  };
}

/**
 * A minimal client of one context's Kubernetes API: the lists the teardown reads (in all
 * namespaces) and the delete of one namespaced object. No retries: the teardown's Kubernetes
 * step is a courtesy before the OpenStack sweep, and one that fails only leaves more to sweep.
 */
export class KubernetesClient {
  constructor(
    /** The context this client speaks to. */
    public readonly context: KubeContext,
    private readonly options: KubernetesClientOptions = {},
  ) {}

  /** Every object of a kind, in all namespaces. */
  public list<K extends ListedKind>(kind: K): Promise<ObjectOf<K>[]> {
    const { prefix, plural, read } = KINDS[kind];
    return this.listPath(`${prefix}/${plural}`, read as (o: KubeJson) => ObjectOf<K>);
  }

  /**
   * Deletes one namespaced object, only while it is still the one listed (a uid precondition): false
   * when it is already gone (404) or was replaced by another of the same name (409).
   */
  public async delete(kind: NamespacedKind, object: KubeObject): Promise<boolean> {
    const { prefix, plural } = KINDS[kind];
    const path = `${prefix}/namespaces/${encodeURIComponent(object.namespace)}/${plural}/${encodeURIComponent(object.name)}`;
    try {
      await this.request('DELETE', path, { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: object.uid } });
      return true;
    } catch (error) {
      if (error instanceof KubernetesApiError && (error.status === 404 || error.status === 409)) return false;
      throw error;
    }
  }

  /** Every object of a collection, page by page. */
  private async listPath<T>(path: string, map: (o: KubeJson) => T): Promise<T[]> {
    const out: T[] = [];
    let next: string | undefined;
    do {
      const body = await this.request('GET', `${path}?limit=${PAGE}${next ? `&continue=${encodeURIComponent(next)}` : ''}`);
      out.push(...(body?.items ?? []).map(map));
      next = body?.metadata?.continue || undefined;
    } while (next);
    return out;
  }

  /** One JSON request; throws KubernetesApiError naming the context, the server and what failed, secrets removed. */
  private request(method: string, path: string, body?: unknown): Promise<KubeJson> {
    const c = this.context;
    const url = new URL(`${c.server}${path}`);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (payload !== undefined) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) });
    if (c.token) headers.Authorization = `Bearer ${c.token}`;
    else if (c.basicAuth) headers.Authorization = `Basic ${Buffer.from(`${c.basicAuth.username}:${c.basicAuth.password}`).toString('base64')}`;
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const fail = (status: number | undefined, detail: string) =>
      new KubernetesApiError(status, redact(`${describeContext(c)}: ${method} ${path.split('?')[0]}: ${detail}`, secretsOfContext(c)));
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(
        url,
        { method, headers, agent: false, timeout: timeoutMs, signal: this.options.signal, ...(url.protocol === 'https:' ? tlsOptionsOf(c) : {}) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (e) => reject(fail(undefined, e.message)));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: KubeJson;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = undefined;
            }
            const status = res.statusCode ?? 0;
            if (status >= 300) {
              // Redacted before it is cut: a secret echoed across the cut would leave its first half.
              const detail = redact(String(parsed?.message ?? text), secretsOfContext(c))
                .replace(/\s+/g, ' ')
                .trim()
                .slice(0, 300);
              reject(fail(status, `HTTP ${status}${detail ? ` ${detail}` : ''}`));
            } else if (text && parsed === undefined) {
              reject(fail(status, `answered with something that is not JSON (is ${c.server} a Kubernetes API?)`));
            } else {
              resolve(parsed);
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (e) => reject(fail(undefined, e.message)));
      req.end(payload);
    });
  }
}
