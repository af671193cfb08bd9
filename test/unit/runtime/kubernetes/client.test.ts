import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { KubeContext, KubernetesApiError, KubernetesClient, readKubeconfigs } from '../../../../runtime/kubernetes';
import { FakeKubernetes } from '../../../support/fake-kubernetes';

let fake: FakeKubernetes;

beforeEach(async () => {
  fake = await FakeKubernetes.start();
});
afterEach(() => fake.close());

/** The fake's context, read from a kubeconfig as the teardown reads it. */
function contextOf(server = fake.url, token = fake.token): KubeContext {
  const file = FakeKubernetes.writeKubeconfig(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kube-client-')), 'config'), [{ name: 'lab', server, token }]);
  return readKubeconfigs([file]).contexts[0];
}

test('lists every kind in all namespaces, page by page, with the bearer token', async () => {
  // GIVEN objects of every kind, served one per page
  fake.pageSize = 1;
  fake.addNode('m0', 's1');
  fake.addNode('w0', 'openstack://RegionOne/s2');
  fake.addService('default', 'web');
  fake.addService('kube-system', 'dns', 'ClusterIP');
  fake.addIngress('shop', 'front', { className: 'openstack' });
  const pv = fake.addClaim('db', 'data', 'vol-1', { reclaimPolicy: 'Retain' });
  const client = new KubernetesClient(contextOf());
  // WHEN listed
  const [nodes, services, ingresses, claims, volumes] = await Promise.all([
    client.list('Node'),
    client.list('Service'),
    client.list('Ingress'),
    client.list('PersistentVolumeClaim'),
    client.list('PersistentVolume'),
  ]);
  // THEN each is typed as the teardown reads it, every page followed
  expect(nodes.map((n) => [n.name, n.providerId])).toEqual([
    ['m0', 'openstack:///s1'],
    ['w0', 'openstack://RegionOne/s2'],
  ]);
  expect(services.map((s) => [s.namespace, s.name, s.type, s.finalizers])).toEqual([
    ['default', 'web', 'LoadBalancer', ['service.kubernetes.io/load-balancer-cleanup']],
    ['kube-system', 'dns', 'ClusterIP', []],
  ]);
  expect(ingresses).toEqual([expect.objectContaining({ namespace: 'shop', name: 'front', className: 'openstack', classAnnotation: undefined })]);
  expect(claims).toEqual([expect.objectContaining({ namespace: 'db', name: 'data', volumeName: pv })]);
  expect(volumes).toEqual([
    expect.objectContaining({ name: pv, namespace: '', csiDriver: 'cinder.csi.openstack.org', volumeHandle: 'vol-1', reclaimPolicy: 'Retain' }),
  ]);
  expect(fake.calls.filter((c) => c.path === '/api/v1/nodes').map((c) => c.query.get('continue'))).toEqual([null, '1']);
  expect(fake.calls.every((c) => c.authorization === `Bearer ${fake.token}`)).toBe(true);
});

test('deletes one object only while it is the one listed: gone (404) and replaced (409) are false', async () => {
  fake.addService('default', 'web');
  const client = new KubernetesClient(contextOf());
  const [web] = await client.list('Service');
  expect(await client.delete('Service', { ...web, uid: 'another-uid' })).toBe(false);
  expect(fake.has('services', 'default', 'web')).toBe(true);
  expect(await client.delete('Service', web)).toBe(true);
  expect(fake.calls.at(-1)).toMatchObject({ method: 'DELETE', path: '/api/v1/namespaces/default/services/web', body: { preconditions: { uid: web.uid } } });
  expect(await client.delete('Ingress', { namespace: 'default', name: 'nope', uid: 'u', finalizers: [] })).toBe(false);
  expect(fake.calls.at(-1)!.path).toBe('/apis/networking.k8s.io/v1/namespaces/default/ingresses/nope');
});

test('an error names the context and the server, and never carries the token, even when the API echoes it', async () => {
  // GIVEN an API that refuses with a message quoting the request's token
  fake.interceptors.push((req) => ({ status: 403, body: { kind: 'Status', message: `forbidden: ${req.authorization} may not list nodes` } }));
  const context = contextOf();
  // WHEN listed
  const error = await new KubernetesClient(context).list('Node').catch((e) => e);
  // THEN the message says where and what, with the token redacted
  expect(error).toBeInstanceOf(KubernetesApiError);
  expect(error.status).toBe(403);
  expect(error.message).toBe(`context "lab" of ${context.file} (${fake.url}): GET /api/v1/nodes: HTTP 403 forbidden: Bearer *** may not list nodes`);
  expect(error.message).not.toContain(fake.token);
});

test('a token echoed across the cut of a long message leaves no part of it behind', async () => {
  // GIVEN a refusal whose 300-character cut falls inside the echoed token
  fake.interceptors.push((req) => ({ status: 403, body: { kind: 'Status', message: `${'x'.repeat(280)} ${req.authorization}` } }));
  // WHEN listed
  const error = await new KubernetesClient(contextOf()).list('Node').catch((e) => e);
  // THEN not even the token's first characters are in the message
  expect(error.message).not.toContain(fake.token.slice(0, 12));
});

test("a wrong token is the API's 401, named", async () => {
  const error = await new KubernetesClient(contextOf(fake.url, 'wrong')).list('Node').catch((e) => e);
  expect(error).toMatchObject({ status: 401, message: expect.stringMatching(/: GET \/api\/v1\/nodes: HTTP 401 Unauthorized$/) });
});

test('no answer: refused, or nothing within the timeout, is an error without a status that names the server', async () => {
  // GIVEN a port nothing listens on, and a server that never answers
  const closed = await FakeKubernetes.start();
  const refusedUrl = closed.url;
  await closed.close();
  const silent = http.createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
  try {
    // WHEN listed
    const refused = await new KubernetesClient(contextOf(refusedUrl)).list('Node').catch((e) => e);
    const started = Date.now();
    const timedOut = await new KubernetesClient(contextOf(silentUrl), { timeoutMs: 200 }).list('Node').catch((e) => e);
    // THEN each says where and why, promptly
    expect(refused).toMatchObject({
      status: undefined,
      message: expect.stringMatching(new RegExp(`\\(${refusedUrl}\\): GET /api/v1/nodes: connect ECONNREFUSED`)),
    });
    expect(timedOut).toMatchObject({ status: undefined, message: expect.stringMatching(/\): GET \/api\/v1\/nodes: no answer within 200 ms$/) });
    expect(Date.now() - started).toBeLessThan(2_000);
  } finally {
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  }
});

test('an answer that is not JSON is named as such', async () => {
  const plain = http.createServer((_req, res) => res.end('<html>login</html>'));
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(plain.address() as { port: number }).port}`;
  try {
    await expect(new KubernetesClient(contextOf(url)).list('Node')).rejects.toThrow(`answered with something that is not JSON (is ${url} a Kubernetes API?)`);
  } finally {
    plain.closeAllConnections();
    await new Promise((resolve) => plain.close(resolve));
  }
});
