import { randomUUID } from 'crypto';
import { forEachLimited, OpenStackClient } from '../runtime/openstack';
import { executeTeardown, planTeardown } from '../runtime/teardown';

/**
 * Makes, through the real APIs, what Kubernetes' OpenStack cloud provider makes for
 * a cluster (occm Service LBs with their floating IPs and security groups, Ingress
 * LBs, Cinder CSI volumes), and fingerprints it so a test can prove it untouched.
 */

/** The networks a test's load balancers and floating IPs live on. */
export interface TestNetworks {
  readonly external: string;
  readonly private: string;
  readonly subnet: string;
  readonly router: string;
  /** A plain group standing in for the node group Heat puts on cluster ports. */
  readonly nodeSecurityGroup: string;
  /** An address on the private subnet, for pool members. */
  readonly memberAddress: string;
}

/** What was made for one cluster. */
export interface ClusterResources {
  readonly clusterId: string;
  readonly loadBalancers: string[];
  readonly floatingIps: string[];
  readonly securityGroups: string[];
  readonly volumes: string[];
  /** "Node" ports carrying the Service security group, as occm's manage-security-groups does. */
  readonly ports: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until a load balancer is ACTIVE (Octavia refuses child changes before). */
export async function waitActive(os: OpenStackClient, id: string, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { provisioningStatus } = await os.getLoadBalancer(id);
    if (provisioningStatus === 'ACTIVE') return;
    if (provisioningStatus === 'ERROR') throw new Error(`load balancer ${id} went to ERROR`);
    if (Date.now() > until) throw new Error(`load balancer ${id} still ${provisioningStatus}`);
    await sleep(300);
  }
}

/** Waits until a volume is available. */
export async function waitAvailable(os: OpenStackClient, id: string, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (let v = await os.getVolume(id); v.status !== 'available'; v = await os.getVolume(id)) {
    if (v.status === 'error' || Date.now() > until) throw new Error(`volume ${id} is ${v.status}`);
    await sleep(300);
  }
}

/** An external flat network with a subnet, a private network and subnet, and a router between them. */
export async function createNetworks(os: OpenStackClient, tag: string): Promise<TestNetworks> {
  const post = (path: string, body: object) => os.request('network', 'POST', path, body);
  const octet = 100 + Math.floor(Math.random() * 100);
  const external = (
    await post('/v2.0/networks', {
      network: { name: `${tag}-ext`, 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': tag },
    })
  ).network.id;
  await post('/v2.0/subnets', {
    subnet: {
      name: `${tag}-ext`,
      network_id: external,
      cidr: '198.51.100.0/24',
      ip_version: 4,
      enable_dhcp: false,
      allocation_pools: [{ start: '198.51.100.100', end: '198.51.100.250' }],
    },
  });
  const priv = (await post('/v2.0/networks', { network: { name: `${tag}-private` } })).network.id;
  const subnet = (await post('/v2.0/subnets', { subnet: { name: `${tag}-private`, network_id: priv, cidr: `10.${octet}.0.0/24`, ip_version: 4 } })).subnet.id;
  const router = (await post('/v2.0/routers', { router: { name: `${tag}-router`, external_gateway_info: { network_id: external } } })).router.id;
  await os.request('network', 'PUT', `/v2.0/routers/${router}/add_router_interface`, { subnet_id: subnet });
  const nodeSecurityGroup = (
    await post('/v2.0/security-groups', { security_group: { name: `${tag}-node`, description: 'stand-in for a Heat node security group' } })
  ).security_group.id;
  return { external, private: priv, subnet, router, nodeSecurityGroup, memberAddress: `10.${octet}.0.10` };
}

/** Deletes the networks (best effort: a test that failed earlier may have left things on them). */
export async function deleteNetworks(os: OpenStackClient, net: TestNetworks | undefined): Promise<void> {
  if (!net) return;
  const quiet = (p: Promise<unknown>) => p.catch(() => undefined);
  const { ports } = await os.request('network', 'GET', `/v2.0/ports?network_id=${net.private}`).catch(() => ({ ports: [] }));
  for (const p of ports.filter((x: { device_owner?: string }) => x.device_owner === '')) await quiet(os.request('network', 'DELETE', `/v2.0/ports/${p.id}`));
  await quiet(os.request('network', 'PUT', `/v2.0/routers/${net.router}/remove_router_interface`, { subnet_id: net.subnet }));
  await quiet(os.request('network', 'DELETE', `/v2.0/routers/${net.router}`));
  await quiet(os.request('network', 'DELETE', `/v2.0/security-groups/${net.nodeSecurityGroup}`));
  for (const id of [net.private, net.external]) await quiet(os.request('network', 'DELETE', `/v2.0/networks/${id}`));
}

/** Where a simulated Service lives and what it exposes. */
export interface ServiceOptions {
  /** @default 'default' */
  readonly namespace?: string;
  /** The Service's port, which the listener takes. @default 80 */
  readonly port?: number;
}

/**
 * A Service load balancer as openstack-cloud-controller-manager 1.35 makes it with the cloud config Magnum writes
 * (create-monitor on, monitor-delay 1m, monitor-timeout 30s, monitor-max-retries 3; manage-security-groups off):
 * the LB and its listener tagged with the LB's name, a round-robin pool with a member, a TCP health monitor, a
 * floating IP on the VIP port. Measured against the real occm by test/e2e/stacks.e2e.test.ts, field by field.
 */
export async function serviceLoadBalancer(
  os: OpenStackClient,
  cluster: string,
  svc: string,
  net: Pick<TestNetworks, 'external' | 'subnet' | 'memberAddress'>,
  options: ServiceOptions = {},
): Promise<{ lb: string; fip: string }> {
  const namespace = options.namespace ?? 'default';
  const lbName = `kube_service_${cluster}_${namespace}_${svc}`;
  const tags = [lbName];
  const post = async (kind: string, body: object) => (await os.request('load-balancer', 'POST', `/v2/lbaas/${kind}s`, body))[kind];
  const lb = await post('loadbalancer', {
    loadbalancer: { name: lbName, description: `Kubernetes external service ${namespace}/${svc} from cluster ${cluster}`, vip_subnet_id: net.subnet, tags },
  });
  await waitActive(os, lb.id);
  const listener = await post('listener', {
    listener: { name: `listener_0_${lbName}`, protocol: 'TCP', protocol_port: options.port ?? 80, loadbalancer_id: lb.id, tags },
  });
  await waitActive(os, lb.id);
  const pool = await post('pool', { pool: { name: `pool_0_${lbName}`, protocol: 'TCP', lb_algorithm: 'ROUND_ROBIN', listener_id: listener.id } });
  await waitActive(os, lb.id);
  await os.request('load-balancer', 'POST', `/v2/lbaas/pools/${pool.id}/members`, {
    member: { name: 'node-0', address: net.memberAddress, protocol_port: 30080, subnet_id: net.subnet },
  });
  await waitActive(os, lb.id);
  await post('healthmonitor', { healthmonitor: { name: `monitor_0_${lbName}`, pool_id: pool.id, type: 'TCP', delay: 60, timeout: 30, max_retries: 3 } });
  await waitActive(os, lb.id);
  const fip = (
    await os.request('network', 'POST', '/v2.0/floatingips', {
      floatingip: {
        floating_network_id: net.external,
        port_id: lb.vip_port_id,
        description: `Floating IP for Kubernetes external service ${namespace}/${svc} from cluster ${cluster}`,
      },
    })
  ).floatingip;
  return { lb: lb.id, fip: fip.id };
}

/** Options of {@link createClusterResources}. */
export interface ClusterResourceOptions {
  /** Service load balancers (each with its children and floating IP). @default 1 */
  readonly services?: number;
  /** Service security groups (manage-security-groups on), the first held by the "node" port. @default 1 */
  readonly serviceSecurityGroups?: number;
  /** Also an Ingress load balancer with its security group. @default true */
  readonly ingress?: boolean;
  /** Also a Cinder CSI volume naming the cluster. @default true */
  readonly volume?: boolean;
}

/** Makes a cluster's cloud-provider resources, as occm, the Octavia ingress controller and Cinder CSI would. */
export async function createClusterResources(
  os: OpenStackClient,
  clusterId: string,
  net: TestNetworks,
  options: ClusterResourceOptions = {},
): Promise<ClusterResources> {
  const made: { lb: string; fip: string }[] = [];
  // A few at a time: the local Octavia API accepts few connections at once.
  await forEachLimited([...Array(options.services ?? 1).keys()], 3, async (i) => {
    made.push(await serviceLoadBalancer(os, clusterId, `web${i}`, net));
  });
  const loadBalancers = made.map((m) => m.lb);
  const floatingIps = made.map((m) => m.fip);
  const securityGroups: string[] = [];
  for (let i = 0; i < (options.serviceSecurityGroups ?? 1); i++) {
    const group = await os.request('network', 'POST', '/v2.0/security-groups', {
      security_group: {
        name: `lb-sg-${randomUUID()}-default-web${i}`,
        description: `Security Group for default/web${i} Service LoadBalancer in cluster ${clusterId}`,
      },
    });
    securityGroups.push(group.security_group.id);
  }
  const port = (
    await os.request('network', 'POST', '/v2.0/ports', {
      port: { network_id: net.private, name: `${clusterId}-node-0`, security_groups: [net.nodeSecurityGroup, ...securityGroups.slice(0, 1)] },
    })
  ).port.id;
  if (options.ingress ?? true) {
    const ing = (
      await os.request('load-balancer', 'POST', '/v2/lbaas/loadbalancers', {
        loadbalancer: {
          name: `kube_ingress_${clusterId}_default_app`,
          description: `Kubernetes Ingress default/app from cluster ${clusterId}, version: 42`,
          vip_subnet_id: net.subnet,
        },
      })
    ).loadbalancer.id;
    loadBalancers.push(ing);
    securityGroups.push(
      (
        await os.request('network', 'POST', '/v2.0/security-groups', {
          security_group: {
            name: `k8s-ingress-${randomUUID()}`,
            description: `Security group created for Ingress default/app from cluster ${clusterId}`,
          },
        })
      ).security_group.id,
    );
    await waitActive(os, ing);
  }
  const volumes: string[] = [];
  if (options.volume ?? true) {
    const v = (
      await os.request('block-storage', 'POST', '/volumes', {
        volume: {
          size: 1,
          name: `pvc-${randomUUID()}`,
          metadata: { 'cinder.csi.openstack.org/cluster': clusterId, 'csi.storage.k8s.io/pvc/name': 'data', 'csi.storage.k8s.io/pvc/namespace': 'default' },
        },
      })
    ).volume.id;
    await waitAvailable(os, v);
    volumes.push(v);
  }
  return { clusterId, loadBalancers, floatingIps, securityGroups, volumes, ports: [port] };
}

/** null when a GET answers 404 (or an LB shows DELETED). */
async function found<T>(get: () => Promise<T>): Promise<T | null> {
  try {
    const r = await get();
    return (r as { provisioningStatus?: string } | null | undefined)?.provisioningStatus === 'DELETED' ? null : r;
  } catch (e) {
    if ((e as { status?: number }).status === 404) return null;
    throw e;
  }
}

/** Every resource of a cluster's set that still exists (empty: all gone). */
export async function stillThere(os: OpenStackClient, r: ClusterResources): Promise<string[]> {
  const checks = [
    ...r.loadBalancers.map((id) => found(() => os.getLoadBalancer(id)).then((x) => x && `loadbalancer ${id}`)),
    ...r.floatingIps.map((id) => found(() => os.getFloatingIp(id)).then((x) => x && `floatingip ${id}`)),
    ...r.securityGroups.map((id) => found(() => os.getSecurityGroup(id)).then((x) => x && `securitygroup ${id}`)),
    ...r.volumes.map((id) => found(() => os.getVolume(id)).then((x) => x && `volume ${id}`)),
  ];
  return (await Promise.all(checks)).filter((x): x is string => !!x);
}

/** A fingerprint of a cluster's resources: what a teardown of another cluster must not change by one bit. */
export async function fingerprint(os: OpenStackClient, r: ClusterResources): Promise<unknown> {
  const lbs = await Promise.all(
    r.loadBalancers.map(async (id) => {
      const lb = await found(() => os.getLoadBalancer(id));
      const [listeners, pools] = lb ? await Promise.all([os.listListeners(id), os.listPools(id)]) : [[], []];
      return { id, status: lb?.provisioningStatus ?? 'GONE', listeners: listeners.map((l) => l.id), pools };
    }),
  );
  const fips = await Promise.all(r.floatingIps.map((id) => found(() => os.getFloatingIp(id))));
  const sgs = await Promise.all(r.securityGroups.map((id) => found(() => os.getSecurityGroup(id))));
  const ports = await Promise.all(
    r.ports.map(async (id) => (await os.request('network', 'GET', `/v2.0/ports/${id}`).catch(() => null))?.port?.security_groups?.sort() ?? 'GONE'),
  );
  const volumes = await Promise.all(
    r.volumes.map(async (id) => {
      const v = await found(() => os.getVolume(id));
      return v && { id, status: v.status, metadata: v.metadata };
    }),
  );
  return { lbs, fips, sgs, ports, volumes };
}

/** Tears a cluster's leftovers down without faults (test cleanup), then deletes its stand-in node ports. */
export async function cleanUp(os: OpenStackClient, r: ClusterResources | undefined): Promise<void> {
  if (!r) return;
  const plan = await planTeardown(os, { clusterId: r.clusterId, includeVolumes: true });
  await executeTeardown(os, plan, { timeoutSeconds: 180 });
  for (const port of r.ports) await os.request('network', 'DELETE', `/v2.0/ports/${port}`).catch(() => undefined);
}
