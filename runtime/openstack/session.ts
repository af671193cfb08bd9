import { authFailure, AuthAttempt, noAnswerDetail } from './auth-failure';
import { AbortedError, backoffDelayMs, BackoffPolicy, sleep } from './backoff';
import { CloudConfig, secretsOf } from './cloud-config';
import { OpenStackAuthError, OpenStackHttpError, OpenStackTransportError } from './errors';
import { authRequest, projectsUrl, tokensUrl, unscopedAuthRequest } from './keystone';
import { redact } from './redact';

/** The services the teardown talks to, by their service-types-authority names. */
export type ServiceType = 'identity' | 'load-balancer' | 'network' | 'block-storage' | 'container-infra' | 'compute' | 'orchestration' | 'image';

/** Catalog types each service may be registered under, preferred first (any other type is looked up as named). */
const CATALOG_TYPES: Record<string, readonly string[]> = {
  identity: ['identity'],
  'load-balancer': ['load-balancer'],
  network: ['network'],
  'block-storage': ['block-storage', 'volumev3'],
  'container-infra': ['container-infra'],
  compute: ['compute'],
  orchestration: ['orchestration'],
  image: ['image'],
};

/**
 * Brings a catalog URL to the API version the paths of client.ts are written for: Octavia
 * and Neutron put the version in the path; the others in the endpoint.
 */
const VERSIONED: Record<string, (url: string, projectId: string) => string> = {
  identity: (u) => u,
  'load-balancer': (u) => u.replace(/\/v2(\.0)?$/, ''),
  network: (u) => u.replace(/\/v2\.0$/, ''),
  'block-storage': (u, p) => (/\/v3(\/|$)/.test(u) ? u : `${u}/v3/${p}`),
  'container-infra': (u) => (/\/v1$/.test(u) ? u : `${u}/v1`),
  compute: (u) => (/\/v2(\.1)?(\/|$)/.test(u) ? u : `${u}/v2.1`),
  orchestration: (u, p) => (/\/v1(\/|$)/.test(u) ? u : `${u}/v1/${p}`),
  image: (u) => u.replace(/\/v2(\.\d+)?$/, ''),
};

const TRANSIENT_STATUS = new Set([429, 500, 502, 503, 504]);
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
/** Connection errors (undici/Node codes) that mean the request was never sent. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Options of {@link OpenStackSession.open} (and so of `OpenStackClient.connect`). */
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

interface CatalogEntry {
  type: string;
  endpoints: { interface: string; region?: string; region_id?: string; url: string }[];
}
interface RawResponse {
  status: number;
  text: string;
  headers: Headers;
}

/** Raw API bodies: typed at the boundary by the mappers of resources.ts. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the one untyped boundary: each API's body is typed by its mapper
export type Json = any;

/**
 * One authenticated session with an OpenStack cloud: Keystone v3 token (renewed once on
 * 401), the catalog's endpoints, and JSON requests with bounded retries and pagination.
 */
export class OpenStackSession {
  /** Authenticates and reads the catalog. */
  public static async open(cloud: CloudConfig, options: ClientOptions = {}): Promise<OpenStackSession> {
    const session = new OpenStackSession(cloud, options);
    await session.authenticate();
    return session;
  }

  private token = '';
  private catalog: CatalogEntry[] = [];
  private reauth?: Promise<void>;
  private scope = { projectId: '', userId: '', roles: [] as string[] };

  private constructor(
    private readonly cloud: CloudConfig,
    private readonly options: ClientOptions,
  ) {}

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

  /** Gets a token; throws OpenStackAuthError, naming the cloud, what failed and the fix, when Keystone gives none. */
  private async authenticate(): Promise<void> {
    const res = await this.requestToken(authRequest(this.cloud));
    if (res.status !== 201) throw await this.refusal(res);
    const { token } = JSON.parse(res.text);
    this.token = res.headers.get('x-subject-token') ?? '';
    this.catalog = token.catalog ?? [];
    this.scope = { projectId: token.project?.id ?? '', userId: token.user?.id ?? '', roles: (token.roles ?? []).map((r: Json) => r.name) };
  }

  /** POSTs a token request (retried as any request is); no answer at all is an OpenStackAuthError of kind `unreachable`. */
  private async requestToken(body: object): Promise<RawResponse> {
    try {
      return await this.send('POST', tokensUrl(this.cloud.authUrl), JSON.stringify(body), {}, false);
    } catch (error) {
      if (!(error instanceof OpenStackTransportError)) throw error;
      throw authFailure(this.cloud, { detail: noAnswerDetail(error, Math.max(1, this.options.attempts ?? 4), this.options.timeoutMs ?? 30_000) });
    }
  }

  /**
   * Why Keystone refused a token. Its 401 is the same for a wrong password and a missing role,
   * so a password is tried once more without a scope: granted, the password is right and the
   * scope is refused (and that token lists the projects the user has a role on).
   */
  private async refusal(res: RawResponse): Promise<OpenStackAuthError> {
    const attempt: AuthAttempt = { status: res.status, detail: this.detail(res.text) };
    const unscoped = res.status === 401 ? unscopedAuthRequest(this.cloud) : undefined;
    if (!unscoped) return authFailure(this.cloud, attempt);
    const probe = await this.requestToken(unscoped).catch(() => undefined);
    if (probe?.status !== 201) return authFailure(this.cloud, { ...attempt, credentialsAccepted: probe?.status === 401 ? false : undefined });
    const listed = await this.send(
      'GET',
      projectsUrl(this.cloud.authUrl),
      undefined,
      { 'X-Auth-Token': probe.headers.get('x-subject-token') ?? '' },
      false,
    ).catch(() => undefined);
    let projects: string[] | undefined;
    try {
      projects = listed?.status === 200 ? JSON.parse(listed.text).projects.map((p: Json) => String(p.name)) : undefined;
    } catch {
      // not the answer we know: leave the projects out
    }
    return authFailure(this.cloud, { ...attempt, credentialsAccepted: true, projects });
  }

  /** The versioned endpoint of a service (a {@link ServiceType} or any catalog type) in the cloud's region and interface. */
  public endpoint(service: ServiceType | string): string {
    const { regionName, interface: iface } = this.cloud;
    const types = CATALOG_TYPES[service] ?? [service];
    for (const type of types) {
      const ep = this.catalog
        .find((c) => c.type === type)
        ?.endpoints.find((e) => e.interface === iface && (!regionName || (e.region_id ?? e.region) === regionName));
      if (ep) {
        const url = (VERSIONED[service] ?? ((u: string) => u))(
          ep.url.replace(/%\((project_id|tenant_id)\)s/g, this.projectId).replace(/\/+$/, ''),
          this.projectId,
        );
        return this.options.endpointOverride ? this.options.endpointOverride(service, url) : url;
      }
    }
    throw new Error(
      `the catalog of ${this.cloud.source} has no ${service} endpoint (types ${types.join('/')}, interface ${iface}` +
        `${regionName ? `, region ${regionName}` : ''}); it has ${this.catalog.map((c) => c.type).join(', ') || 'nothing'}. Fix: choose the region/interface that has it.`,
    );
  }

  /** A JSON request to a service; re-authenticates once on 401; throws OpenStackHttpError on an error status. */
  public async request<T = Json>(
    service: ServiceType | string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
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
    this.reauth ??= this.authenticate().finally(() => {
      this.reauth = undefined;
    });
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
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          ...(withToken && this.token ? { 'X-Auth-Token': this.token } : {}),
          ...headers,
        },
      });
      return { status: res.status, text: await res.text(), headers: res.headers };
    } catch (error) {
      if (error instanceof AbortedError || outer?.aborted) throw new AbortedError();
      const cause = (error as Error & { cause?: Error & { code?: string } }).cause;
      const unconnected = NOT_CONNECTED.has(cause?.code ?? '');
      throw new OpenStackTransportError(method, url, timeout.signal.aborted, cause?.message ?? (error as Error).message, !unconnected, cause?.code);
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    }
  }

  /** GETs a collection, following `<key>_links` next links (Neutron, Octavia, Cinder pagination) or a `next` one (Glance, Magnum). */
  public async listAll(service: ServiceType, path: string, key: string, headers: Record<string, string> = {}): Promise<Json[]> {
    const items: Json[] = [];
    let next: string | undefined = path;
    for (let page = 0; next && page < 1000; page++) {
      const body: Json = await this.request(service, 'GET', next, undefined, headers);
      items.push(...(body[key] ?? []));
      const href: string | undefined =
        (body[`${key}_links`] ?? []).find((l: Json) => l.rel === 'next')?.href ?? (typeof body.next === 'string' ? body.next : undefined);
      next = href ? this.relativeTo(service, href) : undefined;
    }
    return items;
  }

  /** A next link made relative to our endpoint (the server may know itself by another host name). */
  private relativeTo(service: ServiceType, href: string): string {
    const base = new URL(this.endpoint(service));
    const link = new URL(href, base);
    const basePath = base.pathname.replace(/\/+$/, '');
    const path = link.pathname.startsWith(basePath) ? link.pathname.slice(basePath.length) : link.pathname;
    return `${path}${link.search}`;
  }
}
