import { execFileSync } from 'child_process';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OpenStackClient } from '../../../runtime/openstack';
import { auditOrphans, planTeardown, runCli } from '../../../runtime/teardown';
import { waitActive, waitAvailable } from '../../../devcloud';
import { e2eClient, e2eOpenrc } from '../../support/e2e-project';

/**
 * With a real Magnum cluster (Heat stack, fake Nova servers, Heat's docker volumes and
 * API/etcd load balancers): volumes count as the cluster's only with proof (attached to
 * its servers, or CSI metadata naming it) and never when Heat owns them; security groups
 * are taken off the cluster's ports; the audit tells a live cluster's resources from a
 * deleted one's. The CLI authenticates from OS_* variables here, as an openrc would.
 */
jest.setTimeout(1_200_000);

const tag = `tdm${process.pid}`;
let client: OpenStackClient;
let external = '';
let clusterId = '';
/** A second cluster, whose updates "fail" on its servers (the boot simulator's devcloud_boot=fail-updates label). */
let failedId = '';
const created = { volumes: [] as string[], sgs: [] as string[] };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * The openstack CLI in the e2e project (for the image upload and Magnum objects), from OS_*
 * variables: Debian's openstacksdk lets clouds.yaml's project win over --os-project-name.
 */
const osc = (...args: string[]) => execFileSync('/usr/bin/openstack', args, { env: { PATH: process.env.PATH, ...e2eOpenrc() }, encoding: 'utf8' }).trim();

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: e2eOpenrc(), cwd: os.tmpdir() });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The cluster's status; Magnum 15 answers 400 (master_count 0) while a cluster's node groups are being deleted. */
async function clusterStatus(): Promise<string | undefined> {
  try {
    return (await client.getCluster(clusterId))?.status;
  } catch (e) {
    if ((e as { status?: number }).status === 400) return 'DELETE_IN_PROGRESS (unrenderable)';
    throw e;
  }
}

async function waitStatus(get: () => Promise<string | undefined>, done: (s: string | undefined) => boolean, what: string, failed = /FAILED/): Promise<void> {
  const until = Date.now() + 900_000;
  for (let s = await get(); !done(s); s = await get()) {
    if (Date.now() > until || failed.test(s ?? '')) throw new Error(`${what}: ${s}`);
    await sleep(3_000);
  }
}

beforeAll(async () => {
  client = await e2eClient();
  external = (
    await client.request('network', 'POST', '/v2.0/networks', {
      network: { name: `${tag}-ext`, 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': tag },
    })
  ).network.id;
  await client.request('network', 'POST', '/v2.0/subnets', {
    subnet: {
      network_id: external,
      cidr: '203.0.113.0/24',
      ip_version: 4,
      enable_dhcp: false,
      allocation_pools: [{ start: '203.0.113.100', end: '203.0.113.200' }],
    },
  });
  const image = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tdm-')), 'stand-in.qcow2');
  fs.writeFileSync(image, Buffer.alloc(1 << 20)); // Nova's fake driver boots nothing
  osc('image', 'create', '--disk-format', 'qcow2', '--container-format', 'bare', '--property', 'os_distro=fedora-coreos', '--file', image, tag);
  osc(
    'coe',
    'cluster',
    'template',
    'create',
    '--coe',
    'kubernetes',
    '--image',
    tag,
    '--external-network',
    external,
    '--master-lb-enabled',
    '--network-driver',
    'flannel',
    '--docker-volume-size',
    '1',
    '--flavor',
    'm1.small',
    '--master-flavor',
    'm1.small',
    '--dns-nameserver',
    '127.0.0.1',
    '--labels',
    'cloud_provider_enabled=true',
    tag,
  );
  osc('coe', 'cluster', 'create', '--cluster-template', tag, '--master-count', '1', '--node-count', '1', tag);
  clusterId = osc('coe', 'cluster', 'show', tag, '-f', 'value', '-c', 'uuid');
  osc(
    'coe',
    'cluster',
    'create',
    '--cluster-template',
    tag,
    '--master-count',
    '1',
    '--node-count',
    '1',
    '--labels',
    'devcloud_boot=fail-updates',
    '--merge-labels',
    `${tag}-fail`,
  );
  failedId = osc('coe', 'cluster', 'show', `${tag}-fail`, '-f', 'value', '-c', 'uuid');
  await waitStatus(
    async () => {
      const c = await client.getCluster(clusterId);
      return c?.status === 'CREATE_FAILED' ? `${c.status}: ${c.statusReason}` : c?.status;
    },
    (s) => s === 'CREATE_COMPLETE',
    'cluster',
  );
});

afterAll(async () => {
  if (!client) return;
  const quiet = (f: () => unknown) => {
    try {
      f();
    } catch {
      /* best effort */
    }
  };
  if (clusterId && (await clusterStatus())) {
    quiet(() => osc('coe', 'cluster', 'delete', clusterId));
    await waitStatus(clusterStatus, (s) => s === undefined, 'cluster delete', /DELETE_FAILED/).catch(() => undefined);
  }
  if (failedId && (await client.getCluster(failedId).catch(() => undefined))) {
    quiet(() => osc('coe', 'cluster', 'delete', failedId));
    await waitStatus(
      async () => (await client.getCluster(failedId))?.status,
      (s) => s === undefined,
      'failed cluster delete',
      /DELETE_FAILED/,
    ).catch(() => undefined);
  }
  quiet(() => osc('coe', 'cluster', 'template', 'delete', tag));
  quiet(() => osc('image', 'delete', tag));
  for (const id of created.volumes) await client.deleteVolume(id, { cascade: true }).catch(() => undefined);
  for (const id of created.sgs) await client.deleteSecurityGroup(id).catch(() => undefined);
  await client.request('network', 'DELETE', `/v2.0/networks/${external}`).catch(() => undefined);
});

test('a cluster whose update failed: --delete-failed-cluster deletes it, which provider 3.4.0 cannot', async () => {
  // GIVEN a cluster whose resize failed on its servers: Heat fails the update, Magnum shows UPDATE_FAILED
  const status = async () => (await client.getCluster(failedId))?.status;
  await waitStatus(status, (s) => s === 'CREATE_COMPLETE', 'cluster to resize');
  osc('coe', 'cluster', 'resize', failedId, '2');
  await waitStatus(status, (s) => s === 'UPDATE_FAILED', 'resized cluster labelled to fail', /UPDATE_COMPLETE|DELETE/);
  const failed = (await client.getCluster(failedId))!;
  expect(failed.statusReason).toMatch(/failed/i);

  // WHEN dry-run: it says what it would delete, and deletes nothing
  const dry = await cli('--cluster', failedId, '--delete-failed-cluster', '--dry-run');
  expect(dry.code).toBe(0);
  expect(dry.out).toContain(`would delete cluster ${failedId} (UPDATE_FAILED`);
  expect(await status()).toBe('UPDATE_FAILED');

  // WHEN run as ClusterTeardown runs it at destroy time
  const run = await cli('--cluster', failedId, '--delete-failed-cluster');
  expect(run.err).toBe('');
  expect(run.code).toBe(0);
  expect(run.out).toContain(`deleted cluster ${failedId}`);

  // THEN Magnum answers 404, which the provider's delete takes as done; the healthy cluster was not touched
  expect(await client.getCluster(failedId)).toBeUndefined();
  expect((await client.getCluster(clusterId))?.status).toBe('CREATE_COMPLETE');
  // AND a re-run (say, after an interrupted destroy) converges
  const again = await cli('--cluster', failedId, '--delete-failed-cluster');
  expect(again.code).toBe(0);
  expect(again.out).toContain(`cluster ${failedId}: already gone`);
});

test('volumes, ports and the audit on a real Magnum cluster', async () => {
  // GIVEN the cluster's Heat resources
  const cluster = (await client.getCluster(clusterId))!;
  const resources = await client.listStackResources(cluster.stackId!);
  const servers = resources.filter((r) => r.type === 'OS::Nova::Server').map((r) => r.physicalId);
  const minion = resources.find((r) => r.type === 'OS::Nova::Server' && r.name === 'kube-minion')!.physicalId;
  const { ports } = await client.request('network', 'GET', `/v2.0/ports?device_id=${minion}`);
  const subnet: string = ports[0].fixed_ips[0].subnet_id;
  const heatVolumes = (await client.listVolumes()).filter((v) => resources.some((r) => r.physicalId === v.id));
  expect(heatVolumes.length).toBeGreaterThan(0);
  expect(heatVolumes.every((v) => v.attachedServerIds.some((s) => servers.includes(s)))).toBe(true);

  // AND what the cloud provider would add: a PVC volume attached to the minion (metadata `kubernetes`, as Magnum sets it),
  const pvc = (
    await client.request('block-storage', 'POST', '/volumes', {
      volume: { size: 1, name: `pvc-${randomUUID()}`, metadata: { 'cinder.csi.openstack.org/cluster': 'kubernetes' } },
    })
  ).volume.id;
  created.volumes.push(pvc);
  await waitAvailable(client, pvc);
  await client.request('compute', 'POST', `/servers/${minion}/os-volume_attachments`, { volumeAttachment: { volumeId: pvc } });
  for (let v = await client.getVolume(pvc); v.status !== 'in-use'; v = await client.getVolume(pvc)) await sleep(500);
  // a detached CSI volume naming the cluster, a Service LB with its FIP, a Service SG on the minion's port,
  const csi = (
    await client.request('block-storage', 'POST', '/volumes', {
      volume: { size: 1, name: `pvc-${randomUUID()}`, metadata: { 'cinder.csi.openstack.org/cluster': clusterId } },
    })
  ).volume.id;
  created.volumes.push(csi);
  const lb = (
    await client.request('load-balancer', 'POST', '/v2/lbaas/loadbalancers', {
      loadbalancer: {
        name: `kube_service_${clusterId}_default_web`,
        description: `Kubernetes external service default/web from cluster ${clusterId}`,
        vip_subnet_id: subnet,
      },
    })
  ).loadbalancer;
  await waitActive(client, lb.id);
  const fip = (
    await client.request('network', 'POST', '/v2.0/floatingips', {
      floatingip: {
        floating_network_id: external,
        port_id: lb.vip_port_id,
        description: `Floating IP for Kubernetes external service default/web from cluster ${clusterId}`,
      },
    })
  ).floatingip.id;
  const sg = (
    await client.request('network', 'POST', '/v2.0/security-groups', {
      security_group: { name: 'lb-sg-web', description: `Security Group for default/web Service LoadBalancer in cluster ${clusterId}` },
    })
  ).security_group.id;
  created.sgs.push(sg);
  const heatGroups: string[] = ports[0].security_groups;
  await client.setPortSecurityGroups(ports[0].id, [...heatGroups, sg]);
  // and a leftover of a cluster that no longer exists
  const gone = randomUUID();
  const orphan = (
    await client.request('network', 'POST', '/v2.0/security-groups', {
      security_group: { name: 'lb-sg-old', description: `Security Group for default/old Service LoadBalancer in cluster ${gone}` },
    })
  ).security_group.id;
  created.sgs.push(orphan);

  // WHEN audited: the deleted cluster's leftover is an orphan, the live cluster's resources are not
  const report = await auditOrphans(client);
  expect(report.orphans.map((o) => o.id)).toEqual([orphan]);
  expect(report.liveClusters).toContain(clusterId);
  const viaCli = await cli('audit', '--json');
  expect(viaCli.code).toBe(1);
  expect(JSON.parse(viaCli.out).orphans).toEqual([expect.objectContaining({ id: orphan, clusterId: gone })]);

  // WHEN planned with volumes: Heat's volumes and load balancers are not the cloud provider's
  const plan = await planTeardown(client, { clusterId, includeVolumes: true });
  expect(plan.resources.map((r) => r.id).sort()).toEqual([lb.id, fip, sg, pvc, csi].sort());
  expect(plan.skipped.map((s) => s.id).sort()).toEqual(heatVolumes.map((v) => v.id).sort());
  expect(plan.resources.find((r) => r.id === pvc)!.evidence).toBe(`attached to cluster server ${minion}`);

  // AND torn down through the CLI (credentials from OS_* variables)
  const run = await cli('--cluster', clusterId, '--include-volumes');
  expect(run.err).toBe('');
  expect(run.code).toBe(0);
  expect(run.out).toMatch(/deleted 5, failed 0, interrupted 0, nothing left/);
  expect(run.out).toMatch(/detaching from cluster server/);

  // THEN the PVC was detached and deleted, Heat's volumes are still attached, the port kept Heat's groups
  for (const id of [pvc, csi]) await expect(client.getVolume(id)).rejects.toMatchObject({ status: 404 });
  for (const v of heatVolumes) expect((await client.getVolume(v.id)).attachedServerIds).toEqual(v.attachedServerIds);
  const port = (await client.request('network', 'GET', `/v2.0/ports/${ports[0].id}`)).port;
  expect(port.security_groups.sort()).toEqual([...heatGroups].sort());
  const heatLbs = (await client.listLoadBalancers({ projectId: client.session.projectId })).filter(
    (l) => l.name.includes('api_lb') || l.name.includes('etcd_lb'),
  );
  expect(heatLbs.length).toBeGreaterThan(0);

  // AND Magnum deletes the cluster afterwards, leaving nothing
  osc('coe', 'cluster', 'delete', clusterId);
  await waitStatus(clusterStatus, (s) => s === undefined, 'cluster delete', /DELETE_FAILED/);
  expect((await client.listVolumes()).filter((v) => heatVolumes.some((h) => h.id === v.id))).toEqual([]);
});
