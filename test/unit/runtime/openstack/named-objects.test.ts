import { OpenStackClient } from '../../../../runtime/openstack';
import { FakeOpenStack, FakeRequest, PROJECT } from '../../../support/fake-openstack';

/**
 * The lookups scripts/before-apply.ts makes for objects a killed run left, against the fake: what each sends
 * (exact filters, Glance's `eq:`), how it pages (Glance's relative `next`, Magnum's absolute one) and how the
 * bodies map to NamedObject.
 */
let fake: FakeOpenStack;
let seen: FakeRequest[];
beforeEach(async () => {
  fake = await FakeOpenStack.start();
  seen = [];
});
afterEach(() => fake.close());

/** Answers GETs under `prefix` from pages, the request remembered. */
function serve(prefix: string, pages: (req: FakeRequest) => unknown): void {
  fake.interceptors.push((req) => {
    if (!req.path.startsWith(prefix)) return undefined;
    seen.push(req);
    return { status: 200, body: pages(req) };
  });
}

test('Glance: the name as `eq:<name>` (a `:` in it is no operator), the relative `next` followed, owner and tags read', async () => {
  serve('/glance', (req) =>
    req.query.get('marker') === null
      ? {
          images: [{ id: 'i1', name: 'fedora:38', owner: PROJECT, tags: ['magnum-cdktf:1'], status: 'queued' }],
          next: '/v2/images?name=eq%3Afedora%3A38&marker=i1',
        }
      : { images: [{ id: 'i2', name: 'fedora:38', owner: 'other', tags: [], status: 'active' }] },
  );
  const client = await OpenStackClient.connect(fake.cloud());
  const images = await client.listImages({ name: 'fedora:38' });
  expect(seen.map((r) => [r.path, r.query.get('name'), r.query.get('marker')])).toEqual([
    ['/glance/v2/images', 'eq:fedora:38', null],
    ['/glance/v2/images', 'eq:fedora:38', 'i1'],
  ]);
  expect(images).toEqual([
    expect.objectContaining({ id: 'i1', projectId: PROJECT, tags: ['magnum-cdktf:1'], status: 'queued' }),
    expect.objectContaining({ id: 'i2', projectId: 'other' }),
  ]);
});

test('Magnum: templates from the detailed list, by uuid, with image, external network, project and creation time, the absolute `next` followed', async () => {
  serve('/magnum', (req) =>
    req.query.get('marker') === null
      ? {
          clustertemplates: [
            { uuid: 't1', name: 'k8s-1a2b', project_id: PROJECT, image_id: 'img', external_network_id: 'ext', created_at: '2026-12-03T06:00:00+00:00' },
          ],
          next: `${fake.url}/magnum/v1/clustertemplates/detail?limit=1&marker=t1`,
        }
      : { clustertemplates: [] },
  );
  const client = await OpenStackClient.connect(fake.cloud());
  expect(await client.listClusterTemplates()).toEqual([
    expect.objectContaining({
      id: 't1',
      name: 'k8s-1a2b',
      projectId: PROJECT,
      imageId: 'img',
      externalNetworkId: 'ext',
      createdAt: '2026-12-03T06:00:00+00:00',
    }),
  ]);
  expect(seen.map((r) => r.path)).toEqual(['/magnum/v1/clustertemplates/detail', '/magnum/v1/clustertemplates/detail']);
});

test("Neutron: exact name and project filters; a router's interfaces of every kind (plain, DVR, L3-HA), not its gateway", async () => {
  serve('/neutron', (req) =>
    req.path.endsWith('/ports')
      ? {
          ports: [
            { id: 'p1', device_owner: 'network:router_interface', fixed_ips: [{ subnet_id: 's1' }] },
            { id: 'p2', device_owner: 'network:router_interface_distributed', fixed_ips: [{ subnet_id: 's2' }] },
            { id: 'p3', device_owner: 'network:ha_router_replicated_interface', fixed_ips: [{ subnet_id: 's3' }] },
            { id: 'gw', device_owner: 'network:router_gateway', fixed_ips: [{ subnet_id: 'ext' }] },
          ],
        }
      : { networks: [{ id: 'n1', name: 'k8s-net', description: 'magnum-cdktf:1', project_id: PROJECT }] },
  );
  const client = await OpenStackClient.connect(fake.cloud());
  expect(await client.listNetworks({ name: 'k8s-net', projectId: PROJECT })).toEqual([expect.objectContaining({ id: 'n1', description: 'magnum-cdktf:1' })]);
  expect(await client.listRouterInterfaces('r1')).toEqual([
    { portId: 'p1', subnetIds: ['s1'] },
    { portId: 'p2', subnetIds: ['s2'] },
    { portId: 'p3', subnetIds: ['s3'] },
  ]);
  expect(seen.map((r) => [r.path, Object.fromEntries(r.query)])).toEqual([
    ['/neutron/v2.0/networks', { name: 'k8s-net', project_id: PROJECT }],
    ['/neutron/v2.0/ports', { device_id: 'r1' }],
  ]);
});

test('exists: false on 404, true on 200, and anything else thrown', async () => {
  fake.interceptors.push((req) =>
    req.path.includes('/types/') ? { status: req.path.endsWith('/gone') ? 404 : req.path.endsWith('/broken') ? 403 : 200, body: {} } : undefined,
  );
  const client = await OpenStackClient.connect(fake.cloud());
  expect(await client.exists('block-storage', '/types/here')).toBe(true);
  expect(await client.exists('block-storage', '/types/gone')).toBe(false);
  await expect(client.exists('block-storage', '/types/broken')).rejects.toThrow(/403/);
});
