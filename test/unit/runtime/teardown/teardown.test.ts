// Over 300 lines: plan, execute and runTeardown share one fake cloud, its look-alike fixtures and the teardownX helper.
import { OpenStackClient } from '../../../../runtime/openstack';
import { planTeardown, ResourceKind, RunEvent, runTeardown, TeardownEvent, TeardownOptions } from '../../../../runtime/teardown';
import { FakeOpenStack } from '../../../support/fake-openstack';

const X = '3f7a89e8-0a9b-4f56-88e7-dfacb86eaca0';
const Y = '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d';
const svc = (c: string, name = 'web') => `Kubernetes external service default/${name} from cluster ${c}`;
const fipOf = (c: string) => `Floating IP for Kubernetes external service default/web from cluster ${c}`;
const sgOf = (c: string) => `Security Group for default/web Service LoadBalancer in cluster ${c}`;
const CSI = 'cinder.csi.openstack.org/cluster';

let fake: FakeOpenStack;
let client: OpenStackClient;
const fast = { baseMs: 1, maxMs: 10 };

beforeEach(async () => {
  fake = await FakeOpenStack.start();
  client = await OpenStackClient.connect(
    {
      name: 'fake',
      authType: 'password',
      authUrl: `${fake.url}/identity/v3`,
      username: 'admin',
      password: fake.password,
      projectName: 'admin',
      interface: 'public',
      insecure: false,
      source: 'test',
    },
    { backoff: fast, attempts: 2 },
  );
});
afterEach(() => fake.close());

/** Runs X's whole teardown, collecting the resources' events. */
async function teardownX({ onEvent, ...options }: TeardownOptions = {}, includeVolumes = false, kinds?: ResourceKind[]) {
  const events: TeardownEvent[] = [];
  const run = await runTeardown(client, { clusterId: X, includeVolumes, kinds, backoff: fast, ...options }, (e) => {
    if (e.type !== 'resource') return;
    events.push(e.event);
    onEvent?.(e.event);
  });
  return { ...run, result: run.execution, events };
}

const deletes = () => fake.calls.filter((c) => c.method === 'DELETE').map((c) => c.path.replace(/[0-9a-f-]{36}/g, '<id>'));

describe('planTeardown', () => {
  test("plans exactly X's load balancers, floating IPs and security groups, in delete order", async () => {
    // GIVEN resources of X, of Y, and look-alikes
    const lb = fake.addLoadBalancer(svc(X));
    const ing = fake.addLoadBalancer(`Kubernetes Ingress default/app from cluster ${X}, version: 3`);
    fake.addLoadBalancer(svc(Y));
    fake.addLoadBalancer(svc(`${X.slice(0, -1)}1`));
    fake.addLoadBalancer('', 'k8s-abc-api_lb-xyz-loadbalancer-qrs');
    const fip = fake.addFloatingIp(fipOf(X));
    fake.addFloatingIp(fipOf(Y));
    const sg = fake.addSecurityGroup(sgOf(X)).id;
    fake.addSecurityGroup(`${sgOf(X)}-old`);
    // WHEN planned
    const plan = await planTeardown(client, { clusterId: X });
    // THEN only X's, load balancers first
    expect(plan.resources.map((r) => [r.kind, r.id])).toEqual([
      ['loadbalancer', lb],
      ['loadbalancer', ing],
      ['floatingip', fip],
      ['securitygroup', sg],
    ]);
    expect(plan.resources[0].evidence).toContain(svc(X));
    expect(fake.calls.some((c) => c.method !== 'GET' && c.method !== 'POST')).toBe(false);
  });

  test('a load balancer whose name names another cluster is skipped, with the reason', async () => {
    fake.addLoadBalancer(svc(X), `kube_service_${Y}_default_web`);
    const plan = await planTeardown(client, { clusterId: X });
    expect(plan.resources).toEqual([]);
    expect(plan.skipped).toEqual([expect.objectContaining({ kind: 'loadbalancer', reason: expect.stringContaining(`names cluster ${Y}`) })]);
  });

  test("volumes only with --include-volumes, and only with proof; Heat's own volumes never", async () => {
    // GIVEN X's cluster with servers s1, s2 and a Heat docker volume attached to s1
    const heatVolume = fake.addVolume({}, ['s1']);
    fake.addCluster(X, ['s1', 's2'], [heatVolume]);
    const attached = fake.addVolume({}, ['s2']);
    const boot = fake.addVolume({}, ['s2'], true); // boot from volume: goes with the server
    const csi = fake.addVolume({ [CSI]: X });
    fake.addVolume({ [CSI]: 'kubernetes' }); // what Magnum's Heat driver sets for every cluster
    fake.addVolume({ [CSI]: Y });
    fake.addVolume({}, ['foreign-server']);
    // WHEN planned without and with volumes
    expect((await planTeardown(client, { clusterId: X })).resources).toEqual([]);
    const plan = await planTeardown(client, { clusterId: X, includeVolumes: true });
    // THEN exactly the attached and the CSI volume; the Heat volume is skipped with the reason
    expect(plan.resources.map((r) => r.id).sort()).toEqual([attached, csi].sort());
    expect(plan.resources.find((r) => r.id === attached)!.evidence).toBe('attached to cluster server s2');
    expect(plan.skipped).toEqual([
      expect.objectContaining({ id: heatVolume, reason: expect.stringMatching(/Heat stack/) }),
      expect.objectContaining({ id: boot, reason: 'the boot volume of cluster server s2: it goes with the server' }),
    ]);
    expect(plan.clusterServerIds.sort()).toEqual(['s1', 's2']);
  });

  test('a cluster Magnum no longer knows still has its CSI volumes found', async () => {
    const csi = fake.addVolume({ [CSI]: X });
    fake.addVolume({}, ['s1']);
    const plan = await planTeardown(client, { clusterId: X, includeVolumes: true });
    expect(plan.resources.map((r) => r.id)).toEqual([csi]);
  });

  test("a volume the cluster's Kubernetes API proved is planned with that evidence, only with volumes; Heat's own stays Heat's", async () => {
    // GIVEN a detached CSI volume whose metadata names no cluster (Magnum's --cluster=kubernetes), and X's Heat volume, both proven
    const heatVolume = fake.addVolume({}, []);
    fake.addCluster(X, ['s1'], [heatVolume]);
    const detached = fake.addVolume({ [CSI]: 'kubernetes' });
    fake.addVolume({ [CSI]: 'kubernetes' }); // not proven: another cluster's, for all OpenStack can tell
    const provenVolumes = [detached, heatVolume].map((id) => ({
      id,
      name: `pvc-${id}`,
      evidence: `volume of PersistentVolume pvc-${id} in the cluster's Kubernetes API`,
    }));
    // WHEN planned without and with volumes
    expect((await planTeardown(client, { clusterId: X, provenVolumes })).resources).toEqual([]);
    const plan = await planTeardown(client, { clusterId: X, includeVolumes: true, provenVolumes });
    // THEN the proven detached volume, with its evidence; the Heat volume skipped
    expect(plan.resources).toEqual([{ kind: 'volume', id: detached, name: `pvc-${detached}`, evidence: provenVolumes[0].evidence }]);
    expect(plan.skipped).toEqual([expect.objectContaining({ id: heatVolume, reason: expect.stringMatching(/Heat stack/) })]);
  });

  test('a volume id a PersistentVolume names is not proof when the volume bears another name (a PV written by hand)', async () => {
    fake.addCluster(X, ['s1']);
    const elsewhere = fake.addVolume({});
    const plan = await planTeardown(client, {
      clusterId: X,
      includeVolumes: true,
      provenVolumes: [{ id: elsewhere, name: 'pvc-mine', evidence: 'named by a PV' }],
    });
    expect(plan.resources).toEqual([]);
  });

  test('refuses a cluster id that is not a full UUID before any call', async () => {
    const before = fake.calls.length;
    await expect(planTeardown(client, { clusterId: X.slice(0, 8) })).rejects.toThrow(/is not a cluster UUID/);
    expect(fake.calls.length).toBe(before);
  });
});

describe('executeTeardown', () => {
  test("cascade-deletes X's LBs, then FIPs, then SGs, waits until each is gone, and leaves Y alone", async () => {
    const lbs = [fake.addLoadBalancer(svc(X)), fake.addLoadBalancer(svc(X, 'api'))];
    const yLb = fake.addLoadBalancer(svc(Y));
    fake.addFloatingIp(fipOf(X));
    const yFip = fake.addFloatingIp(fipOf(Y));
    fake.addSecurityGroup(sgOf(X));
    const { result, events } = await teardownX();
    expect(result.failed).toEqual([]);
    expect(result.deleted).toHaveLength(4);
    expect(lbs.every((id) => !fake.lbs.has(id))).toBe(true);
    expect([...fake.lbs.keys()]).toEqual([yLb]);
    expect([...fake.fips.keys()]).toEqual([yFip]);
    expect(fake.sgs.size).toBe(0);
    // every LB was confirmed gone (404) before the first floating IP was touched
    const order = deletes();
    expect(order.slice(0, 2)).toEqual(['/octavia/v2/lbaas/loadbalancers/<id>', '/octavia/v2/lbaas/loadbalancers/<id>']);
    expect(fake.calls.filter((c) => c.method === 'DELETE')[0].query.get('cascade')).toBe('true');
    const firstFip = fake.calls.findIndex((c) => c.method === 'DELETE' && c.path.includes('floatingips'));
    const lastLbGet = fake.calls.map((c) => c.method === 'GET' && /loadbalancers\/[0-9a-f-]{36}$/.test(c.path)).lastIndexOf(true);
    expect(lastLbGet).toBeLessThan(firstFip);
    expect(events.filter((e) => e.action === 'deleted').map((e) => e.resource.kind)).toEqual(['loadbalancer', 'loadbalancer', 'floatingip', 'securitygroup']);
  });

  test('waits out PENDING_* without sending a delete, and deletes an LB in ERROR', async () => {
    const pending = fake.addLoadBalancer(svc(X), 'pending', 'PENDING_UPDATE');
    const broken = fake.addLoadBalancer(svc(X, 'b'), 'broken', 'ERROR');
    const { result } = await teardownX();
    expect(result.failed).toEqual([]);
    expect(fake.lbs.has(pending) || fake.lbs.has(broken)).toBe(false);
    // the pending LB got exactly one DELETE, after it left PENDING_UPDATE: no 409 was provoked
    expect(fake.calls.filter((c) => c.method === 'DELETE' && c.path.endsWith(pending))).toHaveLength(1);
  });

  test('409 on delete is retried until it passes; 404 on delete counts as done', async () => {
    const lb = fake.addLoadBalancer(svc(X));
    let conflicts = 3;
    fake.interceptors.push((req) =>
      req.method === 'DELETE' && req.path.endsWith(lb) && conflicts-- > 0 ? { status: 409, body: { faultstring: 'Invalid state PENDING_UPDATE' } } : undefined,
    );
    const fip = fake.addFloatingIp(fipOf(X));
    fake.interceptors.push((req) => (req.method === 'DELETE' && req.path.endsWith(fip) ? (fake.fips.delete(fip), { status: 404, body: {} }) : undefined));
    const { result, events } = await teardownX();
    expect(result.failed).toEqual([]);
    expect(result.deleted.map((r) => r.id)).toEqual([lb, fip]);
    expect(events.filter((e) => e.action === 'retrying' && /busy/.test(e.detail ?? ''))).toHaveLength(3);
  });

  test('5xx answers are retried up to the bound, then the resource fails and the others still go', async () => {
    const stuck = fake.addFloatingIp(fipOf(X));
    const fine = fake.addSecurityGroup(sgOf(X)).id;
    fake.interceptors.push((req) => (req.path.endsWith(stuck) ? { status: 500, body: { message: 'neutron down' } } : undefined));
    const { result } = await teardownX({ maxTransientErrors: 3 });
    expect(result.failed).toEqual([{ resource: expect.objectContaining({ id: stuck }), error: expect.stringMatching(/HTTP 500 neutron down/) }]);
    expect(fake.sgs.has(fine)).toBe(false);
    // client tries 2 per call x (1 + 3 tolerated) probes
    expect(fake.calls.filter((c) => c.path.endsWith(stuck))).toHaveLength(8);
  });

  test('a transient fault that clears is survived', async () => {
    const lb = fake.addLoadBalancer(svc(X));
    let n = 0;
    fake.interceptors.push((req) => (req.path.includes('/octavia/') && n++ % 2 === 0 ? { status: 503, body: {} } : undefined));
    const { result } = await teardownX();
    expect(result.failed).toEqual([]);
    expect(fake.lbs.has(lb)).toBe(false);
  });

  test('gives up at the deadline on a load balancer that never leaves PENDING_UPDATE', async () => {
    const lb = fake.addLoadBalancer(svc(X), 'stuck', 'PENDING_UPDATE');
    fake.lbs.get(lb)!.pending = 1e9;
    const started = Date.now();
    const { result } = await teardownX({ timeoutSeconds: 0.3 });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(result.failed).toEqual([{ resource: expect.objectContaining({ id: lb }), error: expect.stringMatching(/gave up at the deadline/) }]);
    expect(deletes()).toEqual([]);
  });

  test('cascade refused: falls back to L7 policy, health monitor, members, pool, listener, then the LB', async () => {
    fake.cascadeRefused = true;
    fake.addLoadBalancer(svc(X));
    const { result, events } = await teardownX();
    expect(result.failed).toEqual([]);
    expect(deletes()).toEqual([
      '/octavia/v2/lbaas/loadbalancers/<id>', // ?cascade=true, refused
      '/octavia/v2/lbaas/l7policies/<id>',
      '/octavia/v2/lbaas/healthmonitors/<id>',
      '/octavia/v2/lbaas/pools/<id>/members/<id>',
      '/octavia/v2/lbaas/pools/<id>/members/<id>',
      '/octavia/v2/lbaas/pools/<id>',
      '/octavia/v2/lbaas/listeners/<id>',
      '/octavia/v2/lbaas/loadbalancers/<id>',
    ]);
    expect(events.some((e) => e.action === 'step' && /cascade refused \(HTTP 400\)/.test(e.detail ?? ''))).toBe(true);
  });

  test('mode ordered never asks for cascade', async () => {
    fake.addLoadBalancer(svc(X));
    const { result } = await teardownX({ mode: 'ordered' });
    expect(result.failed).toEqual([]);
    expect(fake.calls.some((c) => c.query.get('cascade') === 'true')).toBe(false);
    expect(deletes()).toHaveLength(7);
  });

  test('a security group still on a port is taken off it (other groups kept), then deleted', async () => {
    const { id, port, other } = fake.addSecurityGroup(sgOf(X), true);
    const { result } = await teardownX();
    expect(result.failed).toEqual([]);
    expect(fake.sgs.has(id)).toBe(false);
    expect(fake.ports.get(port!)!.security_groups).toEqual([other]);
  });

  test("volumes: detached from the cluster's own server, then deleted; one in use elsewhere is reported, not touched", async () => {
    fake.addCluster(X, ['s1']);
    const ours = fake.addVolume({}, ['s1']);
    const free = fake.addVolume({ [CSI]: X });
    const elsewhere = fake.addVolume({ [CSI]: X }, ['not-the-clusters']);
    const { result } = await teardownX({}, true);
    expect(fake.volumes.has(ours) || fake.volumes.has(free)).toBe(false);
    expect(result.failed).toEqual([
      {
        resource: expect.objectContaining({ id: elsewhere }),
        error: expect.stringMatching(/in use by server not-the-clusters, which is not one of the cluster's: left alone/),
      },
    ]);
    expect(fake.volumes.get(elsewhere)!.attachments).toEqual([{ server_id: 'not-the-clusters', device: '/dev/vdb' }]);
    expect(deletes().filter((d) => d.includes(elsewhere))).toEqual([]);
    expect(deletes()).toContain('/nova/v2.1/servers/s1/os-volume_attachments/<id>');
  });

  test('a dry run sends no mutating call and reports each resource with its evidence', async () => {
    fake.addLoadBalancer(svc(X));
    fake.addFloatingIp(fipOf(X));
    const { result, events } = await teardownX({ dryRun: true });
    expect(fake.calls.every((c) => c.method === 'GET' || c.path.endsWith('/auth/tokens'))).toBe(true);
    expect(result).toMatchObject({ dryRun: true, deleted: [], failed: [], interrupted: [] });
    expect(events.map((e) => e.action)).toEqual(['would-delete', 'would-delete']);
    expect(events[0].detail).toContain(svc(X));
  });

  test('runs at most `concurrency` resources at once, and in parallel', async () => {
    for (let i = 0; i < 12; i++) fake.addLoadBalancer(svc(X, `s${i}`));
    let running = 0;
    let peak = 0;
    const { result } = await teardownX({
      concurrency: 3,
      onEvent: (e) => {
        if (e.action === 'deleting') peak = Math.max(peak, ++running);
        if (e.action === 'deleted' || e.action === 'failed') running--;
      },
    });
    expect(result.deleted).toHaveLength(12);
    expect(peak).toBe(3);
  });

  test('interrupted halfway, a re-run converges to nothing of X left and Y untouched', async () => {
    for (let i = 0; i < 6; i++) fake.addLoadBalancer(svc(X, `s${i}`));
    const yLb = fake.addLoadBalancer(svc(Y));
    fake.addFloatingIp(fipOf(X));
    const controller = new AbortController();
    let deleted = 0;
    const first = await teardownX({
      concurrency: 2,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.action === 'deleted' && ++deleted === 2) controller.abort();
      },
    });
    expect(first.result.interrupted.length).toBeGreaterThan(0);
    expect(first.result.failed).toEqual([]);
    expect(fake.fips.size).toBe(1); // the floating IP phase never started
    const second = await teardownX();
    expect(second.result.failed).toEqual([]);
    expect((await planTeardown(client, { clusterId: X })).resources).toEqual([]);
    expect([...fake.lbs.keys()]).toEqual([yLb]);
  });
});

test('a cluster Magnum cannot render (400 mid-delete) still gets its CSI volumes, with a warning, and no attachment proof', async () => {
  fake.addCluster(X, ['s1']);
  fake.interceptors.push((req) => (req.path.endsWith(`/clusters/${X}`) ? { status: 400, body: { errors: [{ detail: 'master_count 0' }] } } : undefined));
  const csi = fake.addVolume({ [CSI]: X });
  fake.addVolume({}, ['s1']);
  const plan = await planTeardown(client, { clusterId: X, includeVolumes: true });
  expect(plan.resources.map((r) => r.id)).toEqual([csi]);
  expect(plan.warnings).toEqual([expect.stringMatching(/Magnum could not show cluster .* \(HTTP 400\): volumes are matched by CSI metadata only/)]);
});

describe('runTeardown', () => {
  test('reports the plan, then each resource, then the Magnum deletes, in that order', async () => {
    fake.addCluster(X, []);
    fake.addNodeGroup(X, 'infra');
    fake.addLoadBalancer(svc(X));
    const events: RunEvent[] = [];
    const run = await runTeardown(client, { clusterId: X, deleteNodeGroups: true, backoff: fast, timeoutSeconds: 30 }, (e) => events.push(e));
    expect(run).toMatchObject({ ok: true, remaining: [], nodeGroups: { gone: ['infra'], failed: [] } });
    expect(run.cluster).toBeUndefined();
    const types = events.map((e) => e.type).filter((t, i, all) => t !== all[i - 1]);
    expect(types).toEqual(['planned', 'resource', 'magnum']);
  });

  test('an interrupted run is never ok, and deletes no cluster, even with nothing left to sweep', async () => {
    fake.addCluster(X, []);
    const stop = new AbortController();
    stop.abort();
    const run = await runTeardown(client, { clusterId: X, deleteCluster: true, signal: stop.signal, backoff: fast, timeoutSeconds: 30 });
    expect(run.ok).toBe(false);
    expect(run.cluster).toBeUndefined();
    expect(fake.clusters.get(X)!.status).toBe('CREATE_COMPLETE');
  });

  test('lists again for proof: what appeared during the run is remaining, and the run is not ok', async () => {
    const lb = fake.addLoadBalancer(svc(X));
    let late = '';
    // The cloud provider, still running, makes another load balancer while the first goes.
    fake.interceptors.push((req) => {
      if (req.method === 'DELETE' && req.path.endsWith(lb) && !late) late = fake.addLoadBalancer(svc(X, 'late'));
      return undefined;
    });
    const { ok, result, remaining } = await teardownX();
    expect(result.deleted.map((r) => r.id)).toEqual([lb]);
    expect(remaining.map((r) => r.id)).toEqual([late]);
    expect(ok).toBe(false);
  });

  test('kinds limits the plan, the deletes and the proof to those kinds', async () => {
    const lb = fake.addLoadBalancer(svc(X));
    const fip = fake.addFloatingIp(fipOf(X));
    const { ok, plan, remaining } = await teardownX({}, false, ['loadbalancer']);
    expect(plan.resources.map((r) => r.id)).toEqual([lb]);
    expect(remaining).toEqual([]);
    expect(ok).toBe(true);
    expect(fake.lbs.has(lb)).toBe(false);
    expect(fake.fips.has(fip)).toBe(true);
  });
});
