// The teardown's Kubernetes step: the identity proof, the deletes through the proven API, the wait, and how a run uses it.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { OpenStackClient } from '../../../../runtime/openstack';
import {
  ClusterFacts,
  identityRefusal,
  KubernetesStepOptions,
  runCli,
  runKubernetesStep,
  RunEvent,
  runTeardown,
  serverOfProviderId,
} from '../../../../runtime/teardown';
import { teardownSummary } from '../../../../runtime/teardown/cli-output';
import { FakeKubernetes } from '../../../support/fake-kubernetes';
import { FakeOpenStack } from '../../../support/fake-openstack';

const X = '3f7a89e8-0a9b-4f56-88e7-dfacb86eaca0';
const Y = '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d';
const S1 = 'a1b2c3d4-0000-4000-8000-000000000001';
const S2 = 'a1b2c3d4-0000-4000-8000-000000000002';
const fast = { baseMs: 1, maxMs: 5 };

let cloud: FakeOpenStack;
let client: OpenStackClient;
let kube: FakeKubernetes;
let dir: string;

beforeEach(async () => {
  cloud = await FakeOpenStack.start();
  client = await OpenStackClient.connect(cloud.cloud(), { backoff: fast, attempts: 2 });
  kube = await FakeKubernetes.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-step-'));
  // X's Heat stack holds servers S1 and S2; its neighbour Y's holds s9.
  cloud.addCluster(X, [S1, S2]);
  cloud.addCluster(Y, ['s9']);
});
afterEach(async () => {
  await kube.close();
  await cloud.close();
});

/** A kubeconfig with one context per fake (named as given), written to the sandbox. */
function kubeconfig(contexts: Record<string, FakeKubernetes | string>, file = 'config'): string {
  return FakeKubernetes.writeKubeconfig(
    path.join(dir, file),
    Object.entries(contexts).map(([name, k]) => (typeof k === 'string' ? { name, server: k } : { name, server: k.url, token: k.token })),
  );
}

/** X's cluster nodes on the fake: a master and a worker on its own servers. */
function ownNodes(k = kube) {
  k.addNode('k8s-master-0', S1);
  k.addNode('k8s-node-0', `openstack://RegionOne/${S2}`);
}

/** Runs the step for X; returns its result and lines. */
async function step(options: Partial<KubernetesStepOptions> & { kubeconfigPaths: string[] }) {
  const lines: string[] = [];
  const result = await runKubernetesStep(new ClusterFacts(client, X), { backoff: fast, timeoutSeconds: 5, onLine: (l) => lines.push(l), ...options });
  return { ...result, lines };
}

describe('the identity proof', () => {
  test.each([
    ['openstack:///a1b2c3d4-0000-4000-8000-000000000001', S1],
    ['openstack://RegionOne/A1B2C3D4-0000-4000-8000-000000000001', S1],
    ['aws:///eu-west-1a/i-0abc', undefined],
    ['openstack:///', undefined],
    ['openstack:///a/b', undefined],
    [undefined, undefined],
  ])('providerID %j names server %j', (providerId, server) => {
    expect(serverOfProviderId(providerId)).toBe(server);
  });

  test("a context whose Nodes are another cluster's servers is left alone, and nothing is deleted there", async () => {
    // GIVEN a reachable API whose Nodes are Y's server, holding an LB Service and an openstack Ingress
    kube.addNode('other-master', 's9');
    kube.addService('default', 'web');
    kube.addIngress('default', 'front', { className: 'openstack' });
    // WHEN X's step runs with volumes
    const result = await step({ kubeconfigPaths: [kubeconfig({ other: kube })], includeVolumes: true });
    // THEN a note says why, and the API saw only the list of Nodes
    expect(result.context).toBeUndefined();
    expect(result.lines).toEqual([
      `kubernetes: context "other" of ${path.join(dir, 'config')} (${kube.url}): its Nodes are not cluster ${X}'s servers (Node other-master: providerID openstack:///s9): left alone`,
      `kubernetes: no context is cluster ${X}'s API: nothing done through Kubernetes`,
    ]);
    expect(kube.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /api/v1/nodes']);
    expect(result).toMatchObject({ deleted: [], provenVolumes: [] });
  });

  test('a context with no Node proves nothing: left alone', async () => {
    kube.addService('default', 'web');
    const result = await step({ kubeconfigPaths: [kubeconfig({ empty: kube })] });
    expect(result.notes[0]).toMatch(new RegExp(`context "empty" .*: lists no Node, so nothing proves it is cluster ${X}'s API: left alone$`));
    expect(kube.deletes).toEqual([]);
  });

  test("a context whose Nodes are partly X's servers is not X's: left alone", async () => {
    ownNodes();
    kube.addNode('intruder', 's9');
    kube.addNode('bare-metal', '');
    kube.addService('default', 'web');
    const result = await step({ kubeconfigPaths: [kubeconfig({ mixed: kube })] });
    expect(result.notes[0]).toMatch(/: 2 of its 4 Nodes are not cluster .*'s servers \(Node intruder: providerID openstack:\/\/\/s9\): left alone$/);
    expect(kube.deletes).toEqual([]);
    expect(identityRefusal([{ name: 'n', namespace: '', uid: 'u', finalizers: [] }], new Set([S1]), X)).toBe(
      `its Nodes are not cluster ${X}'s servers (Node n: no providerID)`,
    );
  });

  test("the proven context is the first whose Nodes are all X's servers; unreachable and foreign ones before it are notes", async () => {
    // GIVEN, in KUBECONFIG order: a file that is missing, an unreachable API, another cluster's, then X's in a second file
    const other = await FakeKubernetes.start();
    try {
      other.addNode('m', 's9');
      ownNodes();
      const closed = await FakeKubernetes.start();
      const down = closed.url;
      await closed.close();
      const first = kubeconfig({ down, other }, 'first');
      const second = kubeconfig({ ours: kube }, 'second');
      // WHEN the step runs
      const result = await step({ kubeconfigPaths: [path.join(dir, 'missing'), first, second] });
      // THEN each context before X's is a one-line note, and X's is used
      expect(result.notes).toEqual([
        `kubeconfig ${path.join(dir, 'missing')} cannot be read (ENOENT): skipped`,
        expect.stringMatching(new RegExp(`^context "down" of ${first} \\(${down}\\): GET /api/v1/nodes: connect ECONNREFUSED .*: left alone$`)),
        expect.stringMatching(/^context "other" .*: its Nodes are not cluster .*'s servers .*: left alone$/),
      ]);
      expect(result.context).toBe(`context "ours" of ${second} (${kube.url})`);
      expect(result.lines).toContain(`kubernetes: context "ours" of ${second} (${kube.url}): its 2 Node(s) are cluster ${X}'s servers: cleaning up through it`);
      expect(other.deletes).toEqual([]);
    } finally {
      await other.close();
    }
  });

  test('a cluster Magnum cannot show has no known servers: no context is tried', async () => {
    ownNodes();
    cloud.clusters.delete(X);
    const result = await step({ kubeconfigPaths: [kubeconfig({ ours: kube })] });
    expect(result.notes).toEqual([
      `Magnum does not know cluster ${X} (HTTP 404): its servers are unknown, so no context can be proven its API: nothing done through Kubernetes`,
    ]);
    expect(kube.calls).toEqual([]);
  });

  test('no usable context at all is one note', async () => {
    const result = await step({ kubeconfigPaths: [path.join(dir, 'none')] });
    expect(result.notes).toEqual([
      `kubeconfig ${path.join(dir, 'none')} cannot be read (ENOENT): skipped`,
      `no context in ${path.join(dir, 'none')}: nothing done through Kubernetes`,
    ]);
  });
});

describe('in the proven context', () => {
  /** X's nodes, and one object of every kind the step judges. */
  function givenWorkloads() {
    ownNodes();
    kube.addService('default', 'web');
    kube.addService('default', 'api', 'ClusterIP');
    kube.addService('default', 'ports', 'NodePort');
    kube.addIngress('shop', 'by-class', { className: 'openstack' });
    kube.addIngress('shop', 'by-annotation', { annotation: 'openstack' });
    kube.addIngress('shop', 'nginx', { className: 'nginx' });
    kube.addIngress('shop', 'nginx-annotated', { annotation: 'nginx' });
    const data = kube.addClaim('db', 'data', 'vol-data');
    const kept = kube.addClaim('db', 'kept', 'vol-kept', { reclaimPolicy: 'Retain' });
    kube.addClaim('db', 'nfs', 'nfs-share-1', { driver: 'nfs.csi.k8s.io' });
    return { data, kept };
  }

  test('deletes LoadBalancer Services and openstack Ingresses, waits until they are gone; claims stay without includeVolumes', async () => {
    givenWorkloads();
    const result = await step({ kubeconfigPaths: [kubeconfig({ ours: kube })] });
    expect(kube.deletes.sort()).toEqual(['ingresses/shop/by-annotation', 'ingresses/shop/by-class', 'services/default/web']);
    expect(result.deleted.map((o) => `${o.kind} ${o.namespace}/${o.name}`)).toEqual([
      'Service default/web',
      'Ingress shop/by-class',
      'Ingress shop/by-annotation',
    ]);
    expect(result.gone).toHaveLength(3);
    expect(result).toMatchObject({ remaining: [], failed: [], provenVolumes: [] });
    // The Service went only once its controller let go of it (two lists in the fake), and the step saw it go.
    expect(kube.has('services', 'default', 'web')).toBe(false);
    expect(result.lines).toContain('kubernetes: deleting Service default/web (type LoadBalancer)');
    expect(result.lines).toContain('kubernetes: Service default/web is gone');
    expect(result.lines.at(-1)).toMatch(/^kubernetes: all 3 gone \(\d+\.\d s\)$/);
    for (const [collection, ns, name] of [
      ['services', 'default', 'api'],
      ['services', 'default', 'ports'],
      ['ingresses', 'shop', 'nginx'],
      ['ingresses', 'shop', 'nginx-annotated'],
      ['persistentvolumeclaims', 'db', 'data'],
    ] as const) {
      expect([collection, name, kube.has(collection, ns, name)]).toEqual([collection, name, true]);
    }
  });

  test('with includeVolumes, the Cinder CSI claims too: a Delete volume is waited for and proven, a Retain one stays and is not', async () => {
    const { data, kept } = givenWorkloads();
    const result = await step({ kubeconfigPaths: [kubeconfig({ ours: kube })], includeVolumes: true });
    expect(kube.deletes.filter((d) => d.startsWith('persistentvolumeclaims/')).sort()).toEqual([
      'persistentvolumeclaims/db/data',
      'persistentvolumeclaims/db/kept',
    ]);
    expect(kube.has('persistentvolumeclaims', 'db', 'nfs')).toBe(true);
    expect(result.gone.map((o) => `${o.kind} ${o.name}`)).toEqual(expect.arrayContaining(['PersistentVolumeClaim data', `PersistentVolume ${data}`]));
    expect(result.remaining).toEqual([]);
    expect(kube.has('persistentvolumes', '', data)).toBe(false);
    expect(kube.has('persistentvolumes', '', kept)).toBe(true);
    expect(result.lines).toContain(`kubernetes: PersistentVolume ${kept} stays (reclaimPolicy Retain), and so does its Cinder volume vol-kept`);
    expect(result.provenVolumes).toEqual([
      { id: 'vol-data', name: data, evidence: `volume of PersistentVolume ${data} in the cluster's Kubernetes API (its Nodes are the cluster's servers)` },
    ]);
  });

  test('a PersistentVolume written by hand proves nothing: it may name any volume id', async () => {
    ownNodes();
    kube.addClaim('db', 'static', 'vol-someone-elses', { handWritten: true });
    const result = await step({ kubeconfigPaths: [kubeconfig({ ours: kube })], includeVolumes: true });
    expect(result.provenVolumes).toEqual([]);
  });

  test('a controller that never lets go: the wait ends at the timeout, says what is left and what holds it, and the step returns', async () => {
    ownNodes();
    kube.addService('default', 'web');
    kube.listsToRemove = Infinity;
    const started = Date.now();
    const result = await step({ kubeconfigPaths: [kubeconfig({ ours: kube })], timeoutSeconds: 0.3 });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(result.remaining).toEqual([{ kind: 'Service', namespace: 'default', name: 'web' }]);
    expect(result.lines.at(-1)).toMatch(
      /^kubernetes: still there after \d+\.\d s: Service default\/web \(finalizers: service.kubernetes.io\/load-balancer-cleanup\); the OpenStack sweep follows$/,
    );
  });

  test('a delete the API refuses is a line and a failure, and the others still go', async () => {
    ownNodes();
    kube.addService('default', 'web');
    kube.addService('locked', 'web');
    kube.interceptors.push((req) => (req.method === 'DELETE' && req.path.includes('/locked/') ? { status: 403, body: { message: 'forbidden' } } : undefined));
    const result = await step({ kubeconfigPaths: [kubeconfig({ ours: kube })] });
    expect(result.failed).toEqual([{ object: { kind: 'Service', namespace: 'locked', name: 'web' }, error: expect.stringContaining('HTTP 403 forbidden') }]);
    expect(result.gone).toEqual([{ kind: 'Service', namespace: 'default', name: 'web' }]);
    expect(result.lines).toContain(
      `kubernetes: FAILED to delete Service locked/web: context "ours" of ${path.join(dir, 'config')} (${kube.url}): DELETE /api/v1/namespaces/locked/services/web: HTTP 403 forbidden`,
    );
  });

  test('a dry run says what it would delete, deletes nothing, and still proves the volumes', async () => {
    givenWorkloads();
    const result = await step({ kubeconfigPaths: [kubeconfig({ ours: kube })], includeVolumes: true, dryRun: true });
    expect(kube.calls.filter((c) => c.method !== 'GET')).toEqual([]);
    expect(result.lines.filter((l) => l.includes('would delete'))).toEqual([
      'kubernetes: would delete Service default/web (type LoadBalancer)',
      'kubernetes: would delete Ingress shop/by-class (class openstack)',
      'kubernetes: would delete Ingress shop/by-annotation (class openstack)',
      'kubernetes: would delete PersistentVolumeClaim db/data (bound to cinder.csi.openstack.org volume vol-data)',
      'kubernetes: would delete PersistentVolumeClaim db/kept (bound to cinder.csi.openstack.org volume vol-kept)',
    ]);
    expect(result).toMatchObject({ dryRun: true, gone: [], remaining: [] });
    expect(result.provenVolumes.map((v) => v.id)).toEqual(['vol-data']);
  });

  test('nothing to delete is one line', async () => {
    ownNodes();
    const result = await step({ kubeconfigPaths: [kubeconfig({ ours: kube })] });
    expect(result.lines.at(-1)).toBe('kubernetes: nothing to delete: no Service of type LoadBalancer, no Ingress of class openstack');
  });
});

describe('a run with kubeconfigs', () => {
  test('the step runs before the plan, and a volume it proved that is still there is planned with that evidence, only with volumes', async () => {
    // GIVEN X's claim whose Cinder volume is still in Cinder (the provisioner has not deleted it yet), with no CSI metadata naming X
    ownNodes();
    const volumeId = cloud.addVolume({ 'cinder.csi.openstack.org/cluster': 'kubernetes' });
    const pv = kube.addClaim('db', 'data', volumeId, { pvName: `pvc-${volumeId}` });
    const kubeconfigPaths = [kubeconfig({ ours: kube })];
    // WHEN torn down without, then with volumes
    const without = await runTeardown(client, { clusterId: X, kubeconfigPaths, backoff: fast, timeoutSeconds: 5 });
    const events: RunEvent[] = [];
    const run = await runTeardown(client, { clusterId: X, includeVolumes: true, kubeconfigPaths, backoff: fast, timeoutSeconds: 5 }, (e) => events.push(e));
    // THEN only the run with volumes plans and deletes it, with the Kubernetes evidence, after the step's lines
    expect(without.plan.resources).toEqual([]);
    expect(without.kubernetes?.provenVolumes).toEqual([]);
    expect(run.plan.resources).toEqual([
      {
        kind: 'volume',
        id: volumeId,
        name: `pvc-${volumeId}`,
        evidence: `volume of PersistentVolume ${pv} in the cluster's Kubernetes API (its Nodes are the cluster's servers)`,
      },
    ]);
    expect(run.execution.deleted.map((r) => r.id)).toEqual([volumeId]);
    expect(run.ok).toBe(true);
    const order = events.map((e) => e.type).filter((t, i, all) => all.indexOf(t) === i);
    expect(order.slice(0, 2)).toEqual(['kubernetes', 'planned']);
    expect(teardownSummary(run)).toMatchObject({
      kubernetes: { context: expect.stringContaining('context "ours"'), deleted: [{ kind: 'PersistentVolumeClaim' }] },
    });
  });

  test('Magnum and Heat are read once for the step and the plan', async () => {
    ownNodes();
    await runTeardown(client, { clusterId: X, includeVolumes: true, kubeconfigPaths: [kubeconfig({ ours: kube })], backoff: fast, dryRun: true });
    expect(cloud.calls.filter((c) => c.path.endsWith(`/clusters/${X}`))).toHaveLength(1);
    // (Heat redirects each read of a stack's resources by id to its name: one read, two requests.)
    expect(cloud.calls.filter((c) => c.path.endsWith('/resources') && !c.path.includes('/k8s-stack/'))).toHaveLength(1);
  });

  test('an unreachable context never fails the run: a note, then the OpenStack sweep as without it', async () => {
    const lb = cloud.addLoadBalancer(`Kubernetes external service default/web from cluster ${X}`);
    const closed = await FakeKubernetes.start();
    const down = closed.url;
    await closed.close();
    const run = await runTeardown(client, { clusterId: X, kubeconfigPaths: [kubeconfig({ down })], backoff: fast, timeoutSeconds: 5 });
    expect(run.ok).toBe(true);
    expect(run.kubernetes?.notes[0]).toMatch(/context "down" .*ECONNREFUSED.*: left alone$/);
    expect(run.execution.deleted.map((r) => r.id)).toEqual([lb]);
  });

  test('the CLI reads KUBECONFIG only with --kubeconfig-from-env, prints the lines, and --json carries the step', async () => {
    // GIVEN X's API in a kubeconfig named by KUBECONFIG
    ownNodes();
    kube.addService('default', 'web');
    const config = kubeconfig({ ours: kube });
    fs.writeFileSync(path.join(dir, 'clouds.yaml'), stringify({ clouds: { fake: cloud.cloudEntry() } }));
    const cli = async (argv: string[]) => {
      const out: string[] = [];
      const code = await runCli(argv, {
        out: (l) => out.push(l),
        err: (l) => out.push(l),
        env: { HOME: dir, OS_CLIENT_CONFIG_FILE: path.join(dir, 'clouds.yaml'), OS_CLOUD: 'fake', KUBECONFIG: config },
        cwd: dir,
        clientOptions: { backoff: fast, attempts: 2 },
      });
      return { code, out };
    };
    // WHEN run without the flag, then with it (dry run), then with --json
    const bare = await cli(['--cluster', X, '--dry-run']);
    const fromEnv = await cli(['--cluster', X, '--dry-run', '--kubeconfig-from-env']);
    const json = await cli(['--cluster', X, '--dry-run', '--json', '--kubeconfig', config]);
    // THEN KUBECONFIG alone does nothing; the flag prints the step; --json holds it
    expect(bare.out.some((l) => l.startsWith('kubernetes:'))).toBe(false);
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.out).toContain('kubernetes: would delete Service default/web (type LoadBalancer)');
    expect(JSON.parse(json.out[0]).kubernetes).toMatchObject({ dryRun: true, deleted: [{ kind: 'Service', namespace: 'default', name: 'web' }] });
    expect(kube.deletes).toEqual([]);
    expect(json.out.join('\n')).not.toContain(kube.token);
  });
});
