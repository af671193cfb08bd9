import { randomUUID } from 'crypto';
import { OpenStackClient } from '../../../runtime/openstack';
import { runCli, runTeardown, TeardownEvent } from '../../../runtime/teardown';
import {
  cleanUp,
  ClusterResources,
  createClusterResources,
  createNetworks,
  deleteNetworks,
  devcloudEnv,
  fingerprint,
  stillThere,
  TestNetworks,
} from '../../../devcloud';
import { e2eClient } from '../../support/e2e-project';

/**
 * Against the real local Octavia, Neutron and Cinder: resources made exactly as the
 * cloud provider makes them for cluster X and its neighbour Y (plus look-alikes that
 * name neither), then the CLI tears X down. Everything of X must be gone, and Y and
 * the look-alikes unchanged to the bit. Fails (never skips) when the cloud is down.
 */
jest.setTimeout(600_000);

const X = randomUUID();
const Y = randomUUID();
let os: OpenStackClient;
let net: TestNetworks | undefined;
let ofX: ClusterResources | undefined;
let ofY: ClusterResources | undefined;
const lookAlikes: string[] = [];

const count = (r: ClusterResources) => r.loadBalancers.length + r.floatingIps.length + r.securityGroups.length + r.volumes.length;

/** Runs the CLI in-process against the local cloud. */
async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: { ...process.env, ...devcloudEnv }, cwd: process.cwd() });
  return { code, out, err };
}

beforeAll(async () => {
  os = await e2eClient();
  net = await createNetworks(os, `td${process.pid}`);
  [ofX, ofY] = await Promise.all([createClusterResources(os, X, net), createClusterResources(os, Y, net)]);
  // Look-alikes: X's UUID with a suffix, and one character off.
  const sg = (description: string) => os.request('network', 'POST', '/v2.0/security-groups', { security_group: { name: 'look-alike', description } });
  lookAlikes.push((await sg(`Security Group for default/web Service LoadBalancer in cluster ${X}0`)).security_group.id);
  lookAlikes.push(
    (await sg(`Security Group for default/web Service LoadBalancer in cluster ${X.slice(0, -1)}${X.endsWith('0') ? '1' : '0'}`)).security_group.id,
  );
});

afterAll(async () => {
  if (!os) return;
  await cleanUp(os, ofX).catch(() => undefined);
  await cleanUp(os, ofY).catch(() => undefined);
  for (const id of lookAlikes) await os.deleteSecurityGroup(id).catch(() => undefined);
  await deleteNetworks(os, net);
});

test("a dry run plans exactly X's resources and deletes nothing", async () => {
  const before = await fingerprint(os, ofX!);
  const { code, out } = await cli('--cluster', X, '--include-volumes', '--dry-run', '--json');
  expect(code).toBe(0);
  const summary = JSON.parse(out.join('\n'));
  const x = ofX!;
  expect(summary.planned.map((r: { id: string }) => r.id).sort()).toEqual([...x.loadBalancers, ...x.floatingIps, ...x.securityGroups, ...x.volumes].sort());
  expect(await fingerprint(os, x)).toEqual(before);
});

test('the CLI removes everything of X and leaves Y and the look-alikes untouched', async () => {
  // GIVEN X's and Y's resources as the cloud provider made them
  const yBefore = await fingerprint(os, ofY!);
  const total = count(ofX!);
  expect(await stillThere(os, ofX!)).toHaveLength(total);
  // WHEN X is torn down, volumes included
  const started = Date.now();
  const { code, out, err } = await cli('--cluster', X, '--include-volumes');
  const seconds = (Date.now() - started) / 1000;
  // THEN it says so, nothing of X is left, and Y is as it was
  expect(err).toEqual([]);
  expect(code).toBe(0);
  expect(out.join('\n')).toMatch(new RegExp(`cluster ${X}: deleted ${total}, failed 0, interrupted 0, nothing left`));
  expect(out.filter((l) => l.startsWith('deleted '))).toHaveLength(total);
  expect(await stillThere(os, ofX!)).toEqual([]);
  expect(await fingerprint(os, ofY!)).toEqual(yBefore);
  for (const id of lookAlikes) expect((await os.getSecurityGroup(id)).id).toBe(id);
  // the stand-in node port kept its node group, lost only X's
  const { port } = await os.request('network', 'GET', `/v2.0/ports/${ofX!.ports[0]}`);
  expect(port.security_groups).toEqual([net!.nodeSecurityGroup]);
  console.log(`e2e: CLI teardown of X (${total} resources: 2 LBs, one with listener/pool/member/monitor, 1 FIP, 2 SGs, 1 volume) took ${seconds.toFixed(1)} s`);
});

test('a second run finds nothing and exits 0 (idempotent)', async () => {
  const { code, out } = await cli('--cluster', X, '--include-volumes', '--json');
  expect(code).toBe(0);
  expect(JSON.parse(out.join('\n'))).toMatchObject({ ok: true, planned: [], deleted: [], remaining: [] });
});

test('the ordered delete (health monitor → member → pool → listener → LB) clears Y on real Octavia', async () => {
  const events: TeardownEvent[] = [];
  const { plan, execution } = await runTeardown(os, { clusterId: Y, includeVolumes: true, mode: 'ordered', concurrency: 1 }, (e) => {
    if (e.type === 'resource') events.push(e.event);
  });
  expect(plan.resources).toHaveLength(count(ofY!));
  expect(execution.failed).toEqual([]);
  expect(await stillThere(os, ofY!)).toEqual([]);
  const steps = events.filter((e) => e.action === 'step' && e.resource.kind === 'loadbalancer').map((e) => e.detail!.split(' ').slice(0, 2).join(' '));
  expect(steps).toEqual(['deleted healthmonitor', 'deleted member', 'deleted pool', 'deleted listener', 'delete accepted', 'delete accepted']);
});
