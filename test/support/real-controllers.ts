import { spawnSync } from 'child_process';
import * as path from 'path';
import { OpenStackClient } from '../../runtime/openstack';

/**
 * The real cloud-provider controllers of a cluster on the local cloud, for the end-to-end tests:
 * `npm run cloud:k8s -- up --cluster <uuid>` (devcloud/k8s.sh: etcd, kube-apiserver, occm, the
 * Octavia ingress controller, Cinder CSI with its provisioner, configured from the cluster's trust as
 * Magnum configures them), what an operator creates with kubectl, and what the controllers made of it,
 * read back through the OpenStack APIs.
 *
 * @waitsFor k8s-toolchain (scripts/k8s-toolchain.sh builds the programs; npm test starts it in the background)
 */

const root = path.join(__dirname, '..', '..');

/** A started control plane: its kubeconfig and kubectl. */
export interface ControlPlane {
  readonly clusterId: string;
  readonly kubeconfig: string;
  /** Runs kubectl with this kubeconfig; throws with its output when it fails. */
  kubectl(args: string[], input?: string): string;
}

function run(command: string, args: string[], input?: string, env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(command, args, { cwd: root, encoding: 'utf8', input, env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}:\n${(r.stdout + r.stderr).slice(-3000)}`);
  return r.stdout;
}

/** The folder the toolchain builds kubectl and the controllers into (built once, then cached). */
export function k8sBin(): string {
  return run('bash', ['scripts/k8s-toolchain.sh']).trim().split('\n').pop() as string;
}

/** The README's `npm run cloud:k8s -- up --cluster <uuid>`; `clusterName` as the controllers are told it (default the UUID). */
export function startControlPlane(clusterId: string, clusterName?: string): ControlPlane {
  const out = run('npm', ['run', '--silent', 'cloud:k8s', '--', 'up', '--cluster', clusterId, ...(clusterName ? ['--cluster-name', clusterName] : [])]);
  const kubeconfig = /export KUBECONFIG=(\S+)/.exec(out)?.[1];
  if (!kubeconfig) throw new Error(`cloud:k8s up printed no kubeconfig:\n${out}`);
  const kubectl = path.join(k8sBin(), 'kubectl');
  return { clusterId, kubeconfig, kubectl: (args, input) => run(kubectl, ['--kubeconfig', kubeconfig, ...args], input) };
}

/** `npm run cloud:k8s -- down --cluster <uuid>`. */
export function stopControlPlane(clusterId: string): void {
  run('npm', ['run', '--silent', 'cloud:k8s', '--', 'down', '--cluster', clusterId]);
}

/**
 * Stops each cluster's control plane (also one that started half-way, or never), whatever the others do: what
 * fails to stop is said, not thrown, so that the rest are still stopped and the test's own failure is kept.
 */
export function stopControlPlanes(clusterIds: Iterable<string>): void {
  for (const clusterId of clusterIds) {
    try {
      stopControlPlane(clusterId);
    } catch (e) {
      console.error(`stopping cluster ${clusterId}'s controllers failed: ${(e as Error).message.slice(-1000)}`);
    }
  }
}

/** Where the workloads live, and their names. */
export const WORKLOADS = { namespace: 'kubernetes-dashboard', service: 'kubernetes-dashboard', ingress: 'dashboard', claim: 'dashboard-data' };

/**
 * What the seeds' operator made: the Kubernetes dashboard's Service of type LoadBalancer, an Ingress
 * for the Octavia ingress controller (its backend a NodePort Service), and a PersistentVolumeClaim on a
 * Cinder CSI storage class (bound at once: no pod will ever consume it here).
 */
export function workloadManifest(): string {
  const { namespace, service, ingress, claim } = WORKLOADS;
  const items = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: service, namespace },
      spec: { type: 'LoadBalancer', selector: { 'k8s-app': service }, ports: [{ port: 443, targetPort: 8443, protocol: 'TCP' }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `${service}-web`, namespace },
      spec: { type: 'NodePort', selector: { 'k8s-app': service }, ports: [{ port: 80, targetPort: 9090, protocol: 'TCP' }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      // External, as the dashboard's users reach it: the controller's default is an internal VIP without a floating IP.
      metadata: { name: ingress, namespace, annotations: { 'kubernetes.io/ingress.class': 'openstack', 'octavia.ingress.kubernetes.io/internal': 'false' } },
      spec: {
        rules: [
          {
            host: 'dashboard.example',
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: `${service}-web`, port: { number: 80 } } } }] },
          },
        ],
      },
    },
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'cinder' },
      provisioner: 'cinder.csi.openstack.org',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: claim, namespace },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'cinder', resources: { requests: { storage: '1Gi' } } },
    },
  ];
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

/** What the real controllers made in OpenStack for a cluster's workloads, as the APIs show it. */
export interface ControllerMade {
  readonly loadBalancers: Record<string, unknown>[];
  readonly listeners: Record<string, unknown>[];
  readonly pools: Record<string, unknown>[];
  readonly healthMonitors: Record<string, unknown>[];
  readonly floatingIps: Record<string, unknown>[];
  readonly securityGroups: Record<string, unknown>[];
  readonly volumes: Record<string, unknown>[];
}

type Body = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Everything in the cloud whose name or description names `clusterName`, and the volume named `claimVolume` (a claim's PersistentVolume). */
export async function madeFor(os: OpenStackClient, clusterName: string, claimVolume?: string): Promise<ControllerMade> {
  const names = (b: Body) => str(b.name).includes(clusterName) || str(b.description).includes(clusterName);
  const { loadbalancers } = await os.request<{ loadbalancers: Body[] }>('load-balancer', 'GET', '/v2/lbaas/loadbalancers');
  const lbs = loadbalancers.filter(names);
  const ids = new Set(lbs.map((lb) => lb.id));
  const { listeners } = await os.request<{ listeners: Body[] }>('load-balancer', 'GET', '/v2/lbaas/listeners');
  const { pools } = await os.request<{ pools: Body[] }>('load-balancer', 'GET', '/v2/lbaas/pools');
  const { healthmonitors } = await os.request<{ healthmonitors: Body[] }>('load-balancer', 'GET', '/v2/lbaas/healthmonitors');
  const onLb = (b: Body) => ((b.loadbalancers as { id: string }[] | undefined) ?? []).some((l) => ids.has(l.id));
  const ourPools = pools.filter(onLb);
  const poolIds = new Set(ourPools.map((p) => p.id));
  const members = await Promise.all(
    ourPools.map(async (p) => ({ ...p, members: (await os.request<{ members: Body[] }>('load-balancer', 'GET', `/v2/lbaas/pools/${p.id}/members`)).members })),
  );
  const { floatingips } = await os.request<{ floatingips: Body[] }>('network', 'GET', '/v2.0/floatingips');
  const { security_groups } = await os.request<{ security_groups: Body[] }>('network', 'GET', '/v2.0/security-groups');
  const sgs = security_groups.filter(names);
  const { ports } = await os.request<{ ports: Body[] }>('network', 'GET', '/v2.0/ports');
  const { volumes } = await os.request<{ volumes: Body[] }>('block-storage', 'GET', '/volumes/detail?all_tenants=1');
  return {
    loadBalancers: lbs,
    listeners: listeners.filter(onLb),
    pools: members,
    healthMonitors: healthmonitors.filter((m) => ((m.pools as { id: string }[] | undefined) ?? []).some((p) => poolIds.has(p.id))),
    floatingIps: floatingips.filter(names),
    securityGroups: sgs.map((sg) => ({
      ...sg,
      attachedToPorts: ports
        .filter((p) => ((p.security_groups as string[] | undefined) ?? []).includes(str(sg.id)))
        .map((p) => `${p.device_owner} ${p.device_id}`),
    })),
    volumes: volumes.filter((v) => claimVolume !== undefined && v.name === claimVolume),
  };
}

/**
 * Waits until the controllers have made, for {@link workloadManifest}: the Service's load balancer
 * (ACTIVE, with a health monitor) and its floating IP, the Ingress's load balancer and floating IP,
 * and the claim's volume; returns what the APIs show of them. No security group: Magnum's cloud config
 * sets neither controller's manage-security-groups, and both default to false.
 */
export async function waitForControllers(os: OpenStackClient, plane: ControlPlane, clusterName: string, timeoutSeconds = 240): Promise<ControllerMade> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let last: ControllerMade | undefined;
  let volume: string | undefined;
  for (;;) {
    const claim = JSON.parse(plane.kubectl(['-n', WORKLOADS.namespace, 'get', 'pvc', WORKLOADS.claim, '-o', 'json']));
    volume = claim.spec.volumeName ? str(claim.spec.volumeName) : undefined;
    last = await madeFor(os, clusterName, volume);
    const active = last.loadBalancers.filter((lb) => lb.provisioning_status === 'ACTIVE');
    const done = active.length === 2 && last.healthMonitors.length >= 1 && last.floatingIps.length === 2 && last.volumes.some((v) => v.status === 'available');
    if (done) return last;
    if (Date.now() > deadline) {
      throw new Error(
        `the controllers did not make everything within ${timeoutSeconds} s: ${JSON.stringify({
          loadBalancers: last.loadBalancers.map((lb) => `${lb.name} ${lb.provisioning_status}`),
          healthMonitors: last.healthMonitors.length,
          floatingIps: last.floatingIps.map((f) => f.description),
          securityGroups: last.securityGroups.map((s) => s.name),
          claimVolume: volume ?? 'not bound',
          volumes: last.volumes.map((v) => `${v.name} ${v.status}`),
        })}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 3000));
  }
}

/** The names, descriptions and tags of what the controllers made, one line each: for the log and the README. */
export function describeMade(made: ControllerMade): string[] {
  const line = (kind: string, b: Body, extra = '') =>
    `${kind}: name "${str(b.name)}", description "${str(b.description)}", tags ${JSON.stringify(b.tags ?? [])}${extra}`;
  return [
    ...made.loadBalancers.map((b) => line('load balancer', b, `, provider ${str(b.provider)}`)),
    ...made.listeners.map((b) => line('listener', b, `, ${str(b.protocol)}:${String(b.protocol_port)}`)),
    ...made.pools.map((b) => line('pool', b, `, ${str(b.lb_algorithm)}, ${(b.members as Body[]).length} member(s)`)),
    ...made.healthMonitors.map((b) =>
      line('health monitor', b, `, ${str(b.type)} delay ${String(b.delay)} timeout ${String(b.timeout)} retries ${String(b.max_retries)}`),
    ),
    ...made.floatingIps.map((b) => `floating IP: description "${str(b.description)}", tags ${JSON.stringify(b.tags ?? [])}`),
    ...made.securityGroups.map((b) => line('security group', b, `, on ports ${JSON.stringify(b.attachedToPorts)}`)),
    ...made.volumes.map((b) => `volume: name "${str(b.name)}", metadata ${JSON.stringify(b.metadata)}, user ${str(b.user_id)}`),
  ];
}

/** A Service load balancer's shape with its cluster, namespace and Service names written as placeholders. */
export interface ServiceShape {
  readonly loadBalancer: Body;
  readonly listeners: Body[];
  readonly pools: Body[];
  readonly healthMonitors: Body[];
  readonly floatingIps: Body[];
}

/**
 * What the APIs show of the Service load balancer `lbId` (its listeners, pools, health monitors and the floating
 * IP on its VIP port), reduced to the fields the cloud provider chooses, the names as placeholders: the real occm's
 * and the simulator's (devcloud/cloud-provider.ts) must come out equal.
 */
export async function serviceShape(os: OpenStackClient, lbId: string, names: { cluster: string; namespace: string; service: string }): Promise<ServiceShape> {
  const placeholders = (text: unknown) =>
    str(text)
      .replaceAll(names.cluster, 'CLUSTER')
      .replaceAll(`${names.namespace}/${names.service}`, 'NS/SVC')
      .replaceAll(`_${names.namespace}_${names.service}`, '_NS_SVC');
  const pick = (b: Body, keys: string[]) =>
    Object.fromEntries(
      keys.map((k) => [k, typeof b[k] === 'string' ? placeholders(b[k]) : Array.isArray(b[k]) ? (b[k] as unknown[]).map(placeholders) : b[k]]),
    );
  const { loadbalancer } = await os.request<{ loadbalancer: Body }>('load-balancer', 'GET', `/v2/lbaas/loadbalancers/${lbId}`);
  const { listeners } = await os.request<{ listeners: Body[] }>('load-balancer', 'GET', `/v2/lbaas/listeners?loadbalancer_id=${lbId}`);
  const { pools } = await os.request<{ pools: Body[] }>('load-balancer', 'GET', `/v2/lbaas/pools?loadbalancer_id=${lbId}`);
  const monitors = await Promise.all(
    pools
      .filter((p) => p.healthmonitor_id)
      .map(
        async (p) => (await os.request<{ healthmonitor: Body }>('load-balancer', 'GET', `/v2/lbaas/healthmonitors/${str(p.healthmonitor_id)}`)).healthmonitor,
      ),
  );
  const { floatingips } = await os.request<{ floatingips: Body[] }>('network', 'GET', `/v2.0/floatingips?port_id=${str(loadbalancer.vip_port_id)}`);
  return {
    loadBalancer: pick(loadbalancer, ['name', 'description', 'tags', 'provider']),
    listeners: listeners.map((l) => pick(l, ['name', 'description', 'tags', 'protocol', 'protocol_port'])),
    pools: pools.map((p) => ({
      ...pick(p, ['name', 'description', 'tags', 'protocol', 'lb_algorithm']),
      members: ((p.members as unknown[]) ?? []).length > 0,
    })),
    healthMonitors: monitors.map((m) => pick(m, ['name', 'type', 'delay', 'timeout', 'max_retries'])),
    floatingIps: floatingips.map((f) => pick(f, ['description', 'tags'])),
  };
}
