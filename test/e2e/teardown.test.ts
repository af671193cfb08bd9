import { randomUUID } from 'crypto';
import { OpenStackClient } from '../../lib/teardown/openstack-client';
import { executeTeardown, planTeardown } from '../../lib/teardown/teardown';
import { devcloudClient } from '../support/devcloud';

/**
 * Against the real local Octavia, Neutron and Cinder: resources made exactly as
 * Kubernetes' cloud provider makes them for cluster X and a neighbour Y; the
 * teardown of X must remove all of X and touch nothing of Y.
 */
jest.setTimeout(600_000);

let os: OpenStackClient;
const run = `td${process.pid}`;
const net: Record<string, string> = {};

async function waitActive(lbId: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const { loadbalancer } = await os.request('load-balancer', 'GET', `/v2/lbaas/loadbalancers/${lbId}`);
    if (loadbalancer.provisioning_status === 'ACTIVE') return;
    if (loadbalancer.provisioning_status === 'ERROR') throw new Error(`LB ${lbId} went to ERROR`);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`LB ${lbId} not ACTIVE`);
}

/** What the cloud provider creates for one LoadBalancer Service and one Ingress of `cluster`. */
async function cloudProviderResources(cluster: string) {
  const post = (svc: string, path: string, body: object) => os.request(svc, 'POST', path, body);
  const svcLb = (await post('load-balancer', '/v2/lbaas/loadbalancers', { loadbalancer: {
    name: `kube_service_${cluster}_default_web`, description: `Kubernetes external service default/web from cluster ${cluster}`, vip_subnet_id: net.subnet } })).loadbalancer;
  await waitActive(svcLb.id);
  const listener = (await post('load-balancer', '/v2/lbaas/listeners', { listener: { name: `listener_0_kube_service_${cluster}_default_web`, protocol: 'TCP', protocol_port: 80, loadbalancer_id: svcLb.id } })).listener;
  await waitActive(svcLb.id);
  const pool = (await post('load-balancer', '/v2/lbaas/pools', { pool: { name: `pool_0_kube_service_${cluster}_default_web`, protocol: 'TCP', lb_algorithm: 'ROUND_ROBIN', listener_id: listener.id } })).pool;
  await waitActive(svcLb.id);
  await post('load-balancer', `/v2/lbaas/pools/${pool.id}/members`, { member: { address: '10.77.0.10', protocol_port: 30080, subnet_id: net.subnet } });
  await waitActive(svcLb.id);
  await post('load-balancer', '/v2/lbaas/healthmonitors', { healthmonitor: { pool_id: pool.id, type: 'TCP', delay: 10, timeout: 5, max_retries: 3 } });
  await waitActive(svcLb.id);
  const fip = (await post('network', '/v2.0/floatingips', { floatingip: { floating_network_id: net.external, port_id: svcLb.vip_port_id,
    description: `Floating IP for Kubernetes external service default/web from cluster ${cluster}` } })).floatingip;
  const ingLb = (await post('load-balancer', '/v2/lbaas/loadbalancers', { loadbalancer: {
    name: `kube_ingress_${cluster}_default_app`, description: `Kubernetes Ingress default/app from cluster ${cluster}, version: 42`, vip_subnet_id: net.subnet } })).loadbalancer;
  const sg = (await post('network', '/v2.0/security-groups', { security_group: { name: `lb-sg-${randomUUID()}-default-web`,
    description: `Security Group for default/web Service LoadBalancer in cluster ${cluster}` } })).security_group;
  const volume = (await post('block-storage', '/volumes', { volume: { size: 1, name: `pvc-${randomUUID()}`,
    metadata: { 'cinder.csi.openstack.org/cluster': cluster, 'csi.storage.k8s.io/pvc/name': 'data' } } })).volume;
  await waitActive(ingLb.id);
  return { lbs: [svcLb.id, ingLb.id], fip: fip.id, sg: sg.id, volume: volume.id };
}

async function exists(svc: string, path: string): Promise<boolean> {
  try {
    const body = await os.request(svc, 'GET', path);
    return Object.values<any>(body)[0]?.provisioning_status !== 'DELETED';
  } catch (e: any) {
    if (e.status === 404) return false;
    throw e;
  }
}

async function present(r: Awaited<ReturnType<typeof cloudProviderResources>>) {
  return {
    lbs: await Promise.all(r.lbs.map((id) => exists('load-balancer', `/v2/lbaas/loadbalancers/${id}`))),
    fip: await exists('network', `/v2.0/floatingips/${r.fip}`),
    sg: await exists('network', `/v2.0/security-groups/${r.sg}`),
    volume: await exists('block-storage', `/volumes/${r.volume}`),
  };
}

beforeAll(async () => {
  os = await devcloudClient();
  const post = (path: string, body: object) => os.request('network', 'POST', path, body);
  net.external = (await post('/v2.0/networks', { network: { name: `${run}-ext`, 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': run } })).network.id;
  net.extSubnet = (await post('/v2.0/subnets', { subnet: { network_id: net.external, cidr: '198.51.100.0/24', ip_version: 4, enable_dhcp: false,
    allocation_pools: [{ start: '198.51.100.100', end: '198.51.100.200' }] } })).subnet.id;
  net.private = (await post('/v2.0/networks', { network: { name: `${run}-private` } })).network.id;
  net.subnet = (await post('/v2.0/subnets', { subnet: { network_id: net.private, cidr: '10.77.0.0/24', ip_version: 4 } })).subnet.id;
  net.router = (await post('/v2.0/routers', { router: { name: `${run}-router`, external_gateway_info: { network_id: net.external } } })).router.id;
  await os.request('network', 'PUT', `/v2.0/routers/${net.router}/add_router_interface`, { subnet_id: net.subnet });
});

afterAll(async () => {
  if (!os) return;
  const quiet = (p: Promise<unknown>) => p.catch(() => undefined);
  await quiet(os.request('network', 'PUT', `/v2.0/routers/${net.router}/remove_router_interface`, { subnet_id: net.subnet }));
  await quiet(os.request('network', 'DELETE', `/v2.0/routers/${net.router}`));
  for (const id of [net.private, net.external]) await quiet(os.request('network', 'DELETE', `/v2.0/networks/${id}`));
});

test('tears down everything of cluster X and nothing of its neighbour Y', async () => {
  // GIVEN cloud-provider resources of two clusters, and a third whose UUID shares X's prefix
  const x = randomUUID();
  const y = randomUUID();
  const ofX = await cloudProviderResources(x);
  const ofY = await cloudProviderResources(y);

  // WHEN X is torn down (volumes included)
  const dry = await executeTeardown(os, await planTeardown(os, x, true), { dryRun: true });
  expect(dry.deleted).toEqual([]);
  const plan = await planTeardown(os, x, true);
  expect(plan.resources.map((r) => r.id).sort()).toEqual([...ofX.lbs, ofX.fip, ofX.sg, ofX.volume].sort());
  const result = await executeTeardown(os, plan);

  // THEN nothing of X is left, all of Y is there, and a second run finds nothing
  expect(result.failed).toEqual([]);
  expect(await present(ofX)).toEqual({ lbs: [false, false], fip: false, sg: false, volume: false });
  expect(await present(ofY)).toEqual({ lbs: [true, true], fip: true, sg: true, volume: true });
  expect((await planTeardown(os, x, true)).resources).toEqual([]);

  // AND Y goes the same way through the ordered delete (health monitor -> members -> pool -> listener -> LB)
  const ordered = await executeTeardown(os, await planTeardown(os, y, true), { mode: 'ordered' });
  expect(ordered.failed).toEqual([]);
  expect(await present(ofY)).toEqual({ lbs: [false, false], fip: false, sg: false, volume: false });
});
