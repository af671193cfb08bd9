import { authRequest, CloudConfig } from './cloud-config';

/** An OpenStack API answered with an error status. */
export class OpenStackHttpError extends Error {
  constructor(
    /** HTTP status: 404 gone, 409 conflict or busy, ... */
    public readonly status: number,
    method: string,
    url: string,
    body: string,
  ) {
    super(`${method} ${url}: HTTP ${status} ${body.slice(0, 300)}`);
    this.name = 'OpenStackHttpError';
  }
}

/** Service types and the aliases clouds register them under. */
const ALIASES: Record<string, string[]> = {
  'load-balancer': ['load-balancer'],
  network: ['network'],
  'block-storage': ['block-storage', 'volumev3'],
  'container-infra': ['container-infra'],
  compute: ['compute'],
  orchestration: ['orchestration'],
};

/** Options of {@link OpenStackClient.connect}. */
export interface ClientOptions {
  /** Per-request timeout in ms. @default 30000 */
  readonly timeoutMs?: number;
  /** Attempts for network errors, timeouts and 5xx answers. @default 4 */
  readonly attempts?: number;
  /** Rewrites an endpoint URL (tests put a fault-injecting proxy in front). @default none */
  readonly endpointOverride?: (serviceType: string, url: string) => string;
}

interface Catalog { type: string; endpoints: { interface: string; region?: string; region_id?: string; url: string }[] }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One small OpenStack client: Keystone v3 token, catalog, JSON requests. */
export class OpenStackClient {
  /** Authenticates and reads the catalog. */
  public static async connect(cloud: CloudConfig, options: ClientOptions = {}): Promise<OpenStackClient> {
    const client = new OpenStackClient(cloud, options);
    await client.authenticate();
    return client;
  }

  private token = '';
  private catalog: Catalog[] = [];
  /** The project the token is scoped to. */
  public projectId = '';

  private constructor(private readonly cloud: CloudConfig, private readonly options: ClientOptions) {}

  private async authenticate(): Promise<void> {
    const url = `${this.cloud.authUrl.replace(/\/+$/, '').replace(/\/v3$/, '')}/v3/auth/tokens`;
    const res = await this.fetchWithRetry('POST', url, JSON.stringify(authRequest(this.cloud)), {});
    if (res.status !== 201) {
      throw new OpenStackHttpError(res.status, 'POST', url, `authentication failed for ${this.cloud.source}`);
    }
    this.token = res.headers.get('x-subject-token') ?? '';
    const body = JSON.parse(res.text);
    this.catalog = body.token.catalog ?? [];
    this.projectId = body.token.project?.id ?? '';
  }

  /** The endpoint of a service type in the cloud's region and interface. */
  public endpoint(serviceType: string): string {
    for (const type of ALIASES[serviceType] ?? [serviceType]) {
      const entry = this.catalog.find((c) => c.type === type);
      const ep = entry?.endpoints.find((e) => e.interface === this.cloud.interface && (!this.cloud.regionName || (e.region_id ?? e.region) === this.cloud.regionName));
      if (ep) {
        const url = ep.url.replace(/%\((project_id|tenant_id)\)s/g, this.projectId).replace(/\/+$/, '');
        return this.options.endpointOverride ? this.options.endpointOverride(serviceType, url) : url;
      }
    }
    throw new Error(`the catalog of ${this.cloud.source} has no ${serviceType} endpoint (${this.cloud.interface}${this.cloud.regionName ? `, ${this.cloud.regionName}` : ''})`);
  }

  /** A JSON request to a service; throws OpenStackHttpError on an error status. */
  public async request<T = any>(serviceType: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const url = `${this.endpoint(serviceType)}${path}`;
    let res = await this.fetchWithRetry(method, url, body === undefined ? undefined : JSON.stringify(body), headers);
    if (res.status === 401) {
      await this.authenticate();
      res = await this.fetchWithRetry(method, url, body === undefined ? undefined : JSON.stringify(body), headers);
    }
    if (res.status >= 400) {
      throw new OpenStackHttpError(res.status, method, url, res.text);
    }
    return (res.text ? JSON.parse(res.text) : undefined) as T;
  }

  private async fetchWithRetry(method: string, url: string, body: string | undefined, headers: Record<string, string>) {
    const attempts = this.options.attempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await fetch(url, {
          method,
          body,
          headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(this.token ? { 'X-Auth-Token': this.token } : {}), ...headers },
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        });
        const text = await res.text();
        if (res.status >= 500 && attempt < attempts) {
          await sleep(250 * 2 ** attempt);
          continue;
        }
        return { status: res.status, text, headers: res.headers };
      } catch (error) {
        if (attempt >= attempts) {
          throw new Error(`${method} ${url}: ${(error as Error).message} after ${attempts} attempts`);
        }
        await sleep(250 * 2 ** attempt);
      }
    }
  }
}
