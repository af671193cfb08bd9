import { isTransient, OpenStackClient, OpenStackHttpError, OpenStackTransportError, statusOf } from '../../../../runtime/openstack';
import { FakeOpenStack, PROJECT } from '../../../support/fake-openstack';

let fake: FakeOpenStack;
const fast = { baseMs: 1, maxMs: 5 };

beforeEach(async () => {
  fake = await FakeOpenStack.start();
});
afterEach(() => fake.close());

describe('catalog', () => {
  test('picks each service by type and interface, with aliases, versions and project substitution', async () => {
    const client = await OpenStackClient.connect(fake.cloud());
    expect(client.session.endpoint('load-balancer')).toBe(`${fake.url}/octavia`);
    expect(client.session.endpoint('block-storage')).toBe(`${fake.url}/cinder/v3/${PROJECT}`); // registered as volumev3
    expect(client.session.endpoint('orchestration')).toBe(`${fake.url}/heat/v1/${PROJECT}`); // %(tenant_id)s
    expect(client.session.projectId).toBe(PROJECT);
    expect(client.session.isAdmin).toBe(true);
    const internal = await OpenStackClient.connect(fake.cloud({ interface: 'internal' }));
    expect(internal.session.endpoint('network')).toBe(`${fake.url}/neutron-internal`);
  });

  test('a missing service or region is named, with the fix', async () => {
    const client = await OpenStackClient.connect(fake.cloud({ regionName: 'Mars' }));
    expect(() => client.session.endpoint('network')).toThrow(/no network endpoint \(types network, interface public, region Mars\).*Fix:/);
  });

  test('the endpoint override sees the service type and catalog URL', async () => {
    const seen: string[] = [];
    const client = await OpenStackClient.connect(fake.cloud(), {
      endpointOverride: (type, url) => {
        seen.push(`${type} ${url}`);
        return url.replace('/neutron', '/neutron');
      },
    });
    await client.listFloatingIps();
    expect(seen).toEqual([`network ${fake.url}/neutron`]);
  });
});

describe('errors and retries', () => {
  test("404 and 409 are typed and distinguishable, with the API's message", async () => {
    const client = await OpenStackClient.connect(fake.cloud());
    const notFound = await client.getLoadBalancer('nope').catch((e) => e);
    expect(notFound).toBeInstanceOf(OpenStackHttpError);
    expect(statusOf(notFound)).toBe(404);
    expect(notFound.message).toMatch(/GET .*\/octavia\/v2\/lbaas\/loadbalancers\/nope: HTTP 404 nope not found/);
    const lb = fake.addLoadBalancer('x', 'lb', 'PENDING_UPDATE');
    const conflict = await client.deleteLoadBalancer(lb, { cascade: true }).catch((e) => e);
    expect(statusOf(conflict)).toBe(409);
    expect(isTransient(conflict)).toBe(false);
  });

  test('a 401 re-authenticates once and repeats the request; a second 401 is an error', async () => {
    const client = await OpenStackClient.connect(fake.cloud());
    fake.expireTokens();
    expect(await client.listLoadBalancers()).toEqual([]);
    expect(fake.authCount).toBe(2);
    fake.interceptors.push((req) => (req.path.includes('/octavia') ? { status: 401, body: {} } : undefined));
    await expect(client.listLoadBalancers()).rejects.toMatchObject({ status: 401 });
    expect(fake.authCount).toBe(3);
  });

  test('parallel requests that all see 401 share one re-authentication', async () => {
    const client = await OpenStackClient.connect(fake.cloud());
    fake.expireTokens();
    await Promise.all([...Array(6)].map(() => client.listSecurityGroups()));
    expect(fake.authCount).toBe(2);
  });

  test('5xx answers are retried up to the bound, then surface as transient', async () => {
    let failures = 2;
    fake.interceptors.push((req) => (req.path.endsWith('/floatingips') && failures-- > 0 ? { status: 503, body: { message: 'busy' } } : undefined));
    const client = await OpenStackClient.connect(fake.cloud(), { backoff: fast, attempts: 3 });
    expect(await client.listFloatingIps()).toEqual([]);
    fake.interceptors.push((req) => (req.path.endsWith('/floatingips') ? { status: 500, body: { message: 'down' } } : undefined));
    const before = fake.calls.length;
    const error = await client.listFloatingIps().catch((e) => e);
    expect(statusOf(error)).toBe(500);
    expect(isTransient(error)).toBe(true);
    expect(fake.calls.length - before).toBe(3);
  });

  test('a request without answer times out per request, is retried, then is a transport error', async () => {
    fake.interceptors.push((req) => (req.path.endsWith('/security-groups') ? 'hang' : undefined));
    const client = await OpenStackClient.connect(fake.cloud(), { timeoutMs: 100, attempts: 2, backoff: fast });
    const started = Date.now();
    const error = await client.listSecurityGroups().catch((e) => e);
    expect(error).toBeInstanceOf(OpenStackTransportError);
    expect(error.timedOut).toBe(true);
    expect(isTransient(error)).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(fake.calls.filter((c) => c.path.endsWith('/security-groups'))).toHaveLength(2);
  });

  test('a refused connection is a transport error, not a hang', async () => {
    const client = await OpenStackClient.connect(fake.cloud(), { attempts: 2, backoff: fast });
    const url = fake.url;
    await fake.close();
    const error = await client.listFloatingIps().catch((e) => e);
    expect(error).toBeInstanceOf(OpenStackTransportError);
    expect(error.message).toContain(url);
    fake = await FakeOpenStack.start(); // for afterEach
  });
});

describe('authentication', () => {
  test('a rejected password is reported without the password, even when Keystone echoes it', async () => {
    const error = await OpenStackClient.connect(fake.cloud({ password: 'wrong-Secret-42' })).catch((e) => e);
    expect(statusOf(error)).toBe(401);
    expect(error.message).toMatch(/authentication failed for test/);
    expect(error.message).not.toContain('wrong-Secret-42');
    expect(JSON.stringify(error)).not.toContain('wrong-Secret-42');
  });
});

describe('following', () => {
  test("Heat's redirect to /stacks/<name>/<id> is followed on the same origin", async () => {
    fake.addCluster('3f7a89e8-0a9b-4f56-88e7-dfacb86eaca0', ['server-1']);
    const client = await OpenStackClient.connect(fake.cloud());
    const stack = (await client.getCluster('3f7a89e8-0a9b-4f56-88e7-dfacb86eaca0'))!.stackId!;
    expect(await client.listStackResources(stack)).toEqual([{ type: 'OS::Nova::Server', name: 'kube-minion', physicalId: 'server-1' }]);
  });

  test('a redirect to another origin is not followed, so the token never goes there', async () => {
    const other = await FakeOpenStack.start();
    try {
      fake.interceptors.push((req) =>
        req.path.endsWith('/floatingips') ? { status: 302, headers: { Location: `${other.url}/neutron/v2.0/floatingips` } } : undefined,
      );
      const client = await OpenStackClient.connect(fake.cloud());
      await expect(client.listFloatingIps()).rejects.toMatchObject({ status: 302 });
      expect(other.calls).toEqual([]);
    } finally {
      await other.close();
    }
  });

  test('pagination follows next links, relative to our endpoint', async () => {
    fake.interceptors.push((req) => {
      if (!req.path.endsWith('/v2.0/security-groups')) return undefined;
      const marker = req.query.get('marker');
      return marker
        ? { status: 200, body: { security_groups: [{ id: 'b', description: '' }] } }
        : {
            status: 200,
            body: {
              security_groups: [{ id: 'a', description: '' }],
              security_groups_links: [{ rel: 'next', href: 'http://neutron.example:9696/v2.0/security-groups?marker=a' }],
            },
          };
    });
    const client = await OpenStackClient.connect(fake.cloud());
    expect((await client.listSecurityGroups()).map((s) => s.id)).toEqual(['a', 'b']);
    expect(fake.calls.filter((c) => c.path.endsWith('/security-groups')).map((c) => c.query.get('marker'))).toEqual([null, 'a']);
  });
});

test('a POST is never sent twice: it may have taken effect', async () => {
  fake.interceptors.push((req) => (req.method === 'POST' && req.path.includes('/octavia/') ? { status: 503, body: {} } : undefined));
  const client = await OpenStackClient.connect(fake.cloud(), { backoff: fast, attempts: 4 });
  await expect(client.request('load-balancer', 'POST', '/v2/lbaas/loadbalancers', { loadbalancer: {} })).rejects.toMatchObject({ status: 503 });
  expect(fake.calls.filter((c) => c.method === 'POST' && c.path.includes('/octavia/'))).toHaveLength(1);
});

test('a POST that never reached the server (connection refused) is sent again, up to the bound', async () => {
  const client = await OpenStackClient.connect(fake.cloud(), { backoff: fast, attempts: 3 });
  await fake.close();
  const spy = jest.spyOn(global, 'fetch');
  try {
    const error = await client.request('load-balancer', 'POST', '/v2/lbaas/loadbalancers', { loadbalancer: {} }).catch((e) => e);
    expect(error).toMatchObject({ reachedServer: false });
    expect(spy).toHaveBeenCalledTimes(3);
  } finally {
    spy.mockRestore();
    fake = await FakeOpenStack.start();
  }
});
