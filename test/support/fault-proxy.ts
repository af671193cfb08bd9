import * as http from 'http';
import { AddressInfo, Socket } from 'net';
import { mulberry32 } from './prng';

/** Faults the proxy injects. */
export type FaultKind = '409' | '500' | '500-after' | 'timeout' | 'timeout-after';

/** Options of {@link FaultProxy.start}. */
export interface FaultProxyOptions {
  /** The origin forwarded to; must be on loopback (127.0.0.1, ::1 or localhost). */
  readonly target: string;
  /** Share of requests that get a fault, 0..1. */
  readonly rate: number;
  /**
   * Faults to draw from. `500` and `409` answer without forwarding; `500-after` forwards
   * (the call takes effect) then answers 500; `timeout` never answers; `timeout-after`
   * forwards, then never answers. @default all of them
   */
  readonly kinds?: readonly FaultKind[];
  /** Share of changes (non-GET requests) answered 409 before any other draw: few calls change things, so 409s need their own rate. @default 0 */
  readonly conflictRate?: number;
  /** Stop injecting after this many faults. @default 200 */
  readonly maxFaults?: number;
  /** Seed of the fault draw, so a failing run can be replayed. @default 1 */
  readonly seed?: number;
  /** A request held for a timeout is dropped after this long. @default 20000 */
  readonly holdMs?: number;
  /** Requests that are never faulted (e.g. the first listing). @default - none */
  readonly spare?: (method: string, path: string) => boolean;
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * A fault-injecting HTTP proxy listening on 127.0.0.1 only and forwarding only to a
 * loopback origin: some requests get 409, 500 or no answer at all, some take effect
 * and still get 500 or no answer. Bounded in faults and in how long it holds a request.
 */
export class FaultProxy {
  /** Starts a proxy in front of `options.target`. */
  public static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const target = new URL(options.target);
    if (!LOOPBACK.has(target.hostname) || target.protocol !== 'http:') {
      throw new Error(`fault proxy target ${options.target} is not http on loopback: refused`);
    }
    const proxy = new FaultProxy(target, options);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** Requests seen and faults injected, by kind. */
  public readonly stats = { requests: 0, faults: {} as Partial<Record<FaultKind, number>> };
  private readonly random: () => number;
  private readonly held = new Set<Socket>();
  private readonly server = http.createServer((req, res) => this.handle(req, res));

  private constructor(
    private readonly target: URL,
    private readonly options: FaultProxyOptions,
  ) {
    this.random = mulberry32(options.seed ?? 1);
    this.server.on('connection', (socket) => socket.setNoDelay(true));
  }

  /** The proxy's origin, e.g. http://127.0.0.1:41234. */
  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Total faults injected. */
  public get faultCount(): number {
    return Object.values(this.stats.faults).reduce((a, b) => a + (b ?? 0), 0);
  }

  /** Rewrites a URL on the target's origin to go through the proxy. */
  public rewrite(url: string): string {
    const u = new URL(url);
    return u.origin === this.target.origin ? `${this.url}${u.pathname}${u.search}`.replace(/\/$/, '') : url;
  }

  /** Stops injecting; requests pass through unchanged. */
  public calm(): void {
    (this.options as { rate: number }).rate = 0;
  }

  /** Closes the proxy and drops every held request. */
  public async close(): Promise<void> {
    this.held.forEach((s) => s.destroy());
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private draw(method: string, path: string): FaultKind | undefined {
    // OpenStack answers 409 to changes only: a GET never conflicts.
    const kinds = (this.options.kinds ?? ['409', '500', '500-after', 'timeout', 'timeout-after']).filter((k) => k !== '409' || method !== 'GET');
    if (this.options.spare?.(method, path) || this.faultCount >= (this.options.maxFaults ?? 200)) return undefined;
    const conflict = method !== 'GET' && kinds.includes('409') && this.random() < (this.options.conflictRate ?? 0);
    if (!conflict && (kinds.length === 0 || this.random() >= this.options.rate)) return undefined;
    const kind = conflict ? '409' : kinds[Math.floor(this.random() * kinds.length)];
    this.stats.faults[kind] = (this.stats.faults[kind] ?? 0) + 1;
    return kind;
  }

  private hold(req: http.IncomingMessage): void {
    const socket = req.socket;
    this.held.add(socket);
    const timer = setTimeout(() => socket.destroy(), this.options.holdMs ?? 20_000);
    socket.once('close', () => {
      clearTimeout(timer);
      this.held.delete(socket);
    });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.stats.requests++;
    const fault = this.draw(req.method ?? 'GET', req.url ?? '/');
    if (fault === '409' || fault === '500') {
      req.resume();
      res.writeHead(Number(fault), { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ faultstring: `injected ${fault}`, NeutronError: { message: `injected ${fault}` } }));
      return;
    }
    if (fault === 'timeout') {
      req.resume();
      this.hold(req);
      return;
    }
    // Host is passed as is: Heat and Neutron build redirect and next links from it, so they point back here.
    const upstream = http.request(
      { hostname: this.target.hostname.replace(/^\[|\]$/g, ''), port: this.target.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        if (fault === 'timeout-after') {
          up.resume();
          this.hold(req);
          return;
        }
        if (fault === '500-after') {
          up.resume();
          res.writeHead(500, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ faultstring: 'injected 500 after the call took effect' }));
          return;
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ faultstring: `proxy: ${e.message}` }));
    });
    req.pipe(upstream);
  }
}

/** Starts one proxy per loopback origin and gives the endpoint rewrite for the client. */
export async function faultProxies(origins: string[], options: Omit<FaultProxyOptions, 'target'>) {
  const proxies = await Promise.all([...new Set(origins)].map((target, i) => FaultProxy.start({ ...options, target, seed: (options.seed ?? 1) + i })));
  return {
    proxies,
    endpointOverride: (_type: string, url: string) => proxies.reduce((u, p) => p.rewrite(u), url),
    close: () => Promise.all(proxies.map((p) => p.close())),
  };
}
