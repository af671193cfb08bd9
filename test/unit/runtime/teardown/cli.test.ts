import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { CliIo, EXIT_CODES, NODE_BOUNDS_ENV, NODE_COUNT_ENV, NODE_GROUP_ENV, runCli, TEARDOWN_FLAGS, USAGE } from '../../../../runtime/teardown';
import { FakeOpenStack } from '../../../support/fake-openstack';

const X = '3f7a89e8-0a9b-4f56-88e7-dfacb86eaca0';
const GONE = '0d4ec5b5-3f61-4a47-8a38-0c1c6b1f1a11';

let fake: FakeOpenStack;
let dir: string;

beforeEach(async () => {
  fake = await FakeOpenStack.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teardown-cli-'));
});
afterEach(() => fake.close());

/** Runs the CLI in-process against clouds.yaml entries (`env`: more environment); returns exit code and output. */
async function run(argv: string[], clouds: Record<string, unknown> = { fake: fake.cloudEntry() }, extra: Partial<CliIo> = {}, env: NodeJS.ProcessEnv = {}) {
  fs.writeFileSync(path.join(dir, 'clouds.yaml'), stringify({ clouds }));
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { HOME: dir, OS_CLIENT_CONFIG_FILE: path.join(dir, 'clouds.yaml'), OS_CLOUD: 'fake', ...env },
    cwd: dir,
    clientOptions: { backoff: { baseMs: 1, maxMs: 5 }, attempts: 2 },
    ...extra,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('usage', () => {
  test.each([
    [[], /--cluster UUID is required/],
    [['--cluster', 'k8s-aio'], /"k8s-aio" is not a cluster UUID/],
    [['--cluster', X.slice(0, 8)], /is not a cluster UUID/],
    [['--cluster', X, '--concurrency', '0'], /--concurrency 0: give a whole number from 1 to 64/],
    [['--cluster', X, '--timeout-seconds', 'soon'], /--timeout-seconds soon/],
    [['--cluster', X, '--mode', 'fast'], /--mode fast: give cascade or ordered/],
    [['--cluster', X, '--bogus'], /Unknown option '--bogus'/],
    [['audit', '--cluster', X], /audit takes no --cluster/],
    [['audit', '--delete-failed-cluster'], /audit takes no .*--delete-failed-cluster/],
    [['--cluster', X, '--all-projects'], /teardown takes no --all-projects/],
    [['audit', '--delete-node-groups'], /audit takes no --delete-node-groups: it only lists/],
    [['delete', '--cluster', X], /unexpected argument "delete"/],
  ])('%j exits 2 naming the problem, and sends nothing', async (argv, message) => {
    const { code, err } = await run(argv as string[]);
    expect(code).toBe(EXIT_CODES.USAGE);
    expect(err).toMatch(message);
    expect(err).toContain('usage: magnum-cdktf-teardown');
    expect(fake.calls).toEqual([]);
  });

  test('--help prints the usage with the exit codes and the data-loss warning, exit 0', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    expect(out).toBe(USAGE);
    expect(out).toMatch(/THIS DESTROYS THEIR DATA/);
    expect(out).toMatch(/Exit codes: 0 .* 2 bad usage/s);
  });
});

describe('teardown', () => {
  test('progress lines per resource, a summary, exit 0 when nothing is left', async () => {
    const lb = fake.addLoadBalancer(`Kubernetes external service default/web from cluster ${X}`, 'kube_service_web');
    const { code, out } = await run(['--cluster', X]);
    expect(code).toBe(0);
    expect(out).toContain(`deleting loadbalancer ${lb} (kube_service_web)…`);
    expect(out).toContain(`deleted loadbalancer ${lb} (kube_service_web)`);
    expect(out).toMatch(new RegExp(`cluster ${X}: deleted 1, failed 0, interrupted 0, nothing left`));
  });

  test('--dry-run --json prints one JSON document and deletes nothing', async () => {
    fake.addLoadBalancer(`Kubernetes external service default/web from cluster ${X}`);
    const { code, out } = await run(['--cluster', X, '--dry-run', '--json']);
    expect(code).toBe(0);
    const summary = JSON.parse(out);
    expect(summary).toMatchObject({ command: 'teardown', ok: true, clusterId: X, dryRun: true, deleted: [], remaining: [] });
    expect(summary.planned).toHaveLength(1);
    expect(fake.lbs.size).toBe(1);
  });

  test('a resource that cannot be deleted makes exit 1 and is listed as failed and remaining', async () => {
    const fip = fake.addFloatingIp(`Floating IP for Kubernetes external service default/web from cluster ${X}`);
    fake.interceptors.push((req) =>
      req.method === 'DELETE' && req.path.endsWith(fip) ? { status: 403, body: { NeutronError: { message: 'disallowed by policy' } } } : undefined,
    );
    const { code, out } = await run(['--cluster', X, '--json']);
    expect(code).toBe(EXIT_CODES.FAILED);
    const summary = JSON.parse(out);
    expect(summary.ok).toBe(false);
    expect(summary.failed).toEqual([expect.objectContaining({ id: fip, error: expect.stringContaining('disallowed by policy') })]);
    expect(summary.remaining).toEqual([expect.objectContaining({ id: fip })]);
  });

  test('an authentication failure exits 1 and never prints the password', async () => {
    const secret = 'Tr0ub4dor&3-not-printed';
    const { code, out, err } = await run(['--cluster', X, '--json'], {
      fake: { ...fake.cloudEntry(), auth: { ...(fake.cloudEntry().auth as object), password: secret } },
    });
    expect(code).toBe(EXIT_CODES.FAILED);
    expect(err).toMatch(/authentication failed/);
    expect(`${out}\n${err}`).not.toContain(secret);
    expect(JSON.parse(out)).toMatchObject({ ok: false });
  });

  test('a cloud with a CA file is run again in a fresh process with NODE_EXTRA_CA_CERTS', async () => {
    const envs: NodeJS.ProcessEnv[] = [];
    const { code } = await run(
      ['--cluster', X],
      { fake: fake.cloudEntry({ cacert: '/etc/ssl/lab-ca.pem' }) },
      {
        respawn: async (env) => {
          envs.push(env);
          return 7;
        },
      },
    );
    expect(code).toBe(7);
    expect(envs).toEqual([expect.objectContaining({ NODE_EXTRA_CA_CERTS: '/etc/ssl/lab-ca.pem', MAGNUM_CDKTF_TEARDOWN_RESPAWNED: '1' })]);
    expect(fake.calls).toEqual([]);
  });
});

describe('audit', () => {
  test("lists resources of clusters Magnum no longer knows, exit 1; live clusters' resources are not orphans", async () => {
    fake.addCluster(X, []);
    fake.addLoadBalancer(`Kubernetes external service default/web from cluster ${X}`);
    const lb = fake.addLoadBalancer(`Kubernetes external service default/web from cluster ${GONE}`);
    const sg = fake.addSecurityGroup(`Security Group for default/web Service LoadBalancer in cluster ${GONE}`).id;
    const vol = fake.addVolume({ 'cinder.csi.openstack.org/cluster': GONE });
    fake.addVolume({ 'cinder.csi.openstack.org/cluster': 'kubernetes' });
    fake.addFloatingIp(`Kubernetes external service default/web from cluster ${GONE}`); // an LB description on a FIP proves nothing
    const { code, out } = await run(['audit', '--json']);
    expect(code).toBe(EXIT_CODES.FAILED);
    const report = JSON.parse(out);
    expect(report.orphans.map((o: { id: string }) => o.id).sort()).toEqual([lb, sg, vol].sort());
    expect(report.orphans.every((o: { clusterId: string }) => o.clusterId === GONE)).toBe(true);
    expect(report.liveClusters).toEqual([X]);
    expect(fake.calls.some((c) => c.method === 'DELETE')).toBe(false);
  });

  test('no orphans: exit 0 and a line that says so', async () => {
    const { code, out } = await run(['audit']);
    expect(code).toBe(0);
    expect(out).toMatch(/0 orphan\(s\) of 0 deleted cluster\(s\) among 0 cloud-provider resource\(s\) of project/);
  });
});

describe('--delete-node-groups / --node-group: node groups deleted before the provider tries', () => {
  /** Calls that address one added node group, by the UUID Magnum listed or by its name. */
  const group = (name: string) => {
    const uuid = [...fake.nodeGroups.values()].find((g) => g.name === name)?.uuid ?? ids.get(name);
    return fake.calls.filter((c) => c.path.endsWith(`/nodegroups/${uuid}`) || c.path.endsWith(`/nodegroups/${encodeURIComponent(name)}`));
  };
  const ids = new Map<string, string>();
  const addGroup = (name: string) => ids.set(name, fake.addNodeGroup(X, name));
  beforeEach(() => ids.clear());

  test("--delete-node-groups deletes every added group, addressed by UUID, and waits through Magnum 15's stale CREATE_COMPLETE", async () => {
    fake.addCluster(X, []);
    addGroup('infra');
    addGroup('gpu; pool $(x)');
    const { code, out } = await run(['--cluster', X, '--delete-node-groups', '--timeout-seconds', '30']);
    expect(out).toContain('deleted node group infra');
    expect(out).toContain('deleted node group gpu; pool $(x)');
    expect(code).toBe(EXIT_CODES.OK);
    expect(fake.hasNodeGroup(X, 'infra')).toBe(false);
    expect(fake.hasNodeGroup(X, 'gpu; pool $(x)')).toBe(false);
    // Polled until Magnum answered 404, by UUID: no name is ever put into a URL.
    expect(group('infra').map((c) => c.method)).toEqual(['DELETE', 'GET', 'GET', 'GET']);
    expect(group('infra').every((c) => c.path.endsWith(`/nodegroups/${ids.get('infra')}`))).toBe(true);
    // The cluster's default groups are never asked to go (Magnum refuses that).
    expect(fake.calls.filter((c) => c.method === 'DELETE' && /default-|-(master|worker)$/.test(c.path))).toEqual([]);
  });

  test('--node-group deletes only the named group; another of the same cluster is untouched', async () => {
    fake.addCluster(X, []);
    addGroup('infra');
    addGroup('other');
    const { code, out } = await run(['--cluster', X, '--node-group', 'infra', '--timeout-seconds', '30']);
    expect(out).toContain('deleted node group infra');
    expect(code).toBe(EXIT_CODES.OK);
    expect(fake.hasNodeGroup(X, 'infra')).toBe(false);
    expect(fake.hasNodeGroup(X, 'other')).toBe(true);
    expect(group('other')).toEqual([]);
  });

  test('retries while Magnum refuses the delete (409, cluster busy)', async () => {
    fake.addCluster(X, []);
    addGroup('infra');
    fake.nodeGroupRefusals = 2;
    const { code, out } = await run(['--cluster', X, '--delete-node-groups', '--timeout-seconds', '30']);
    expect(out).toMatch(/node group infra: Magnum refused the delete for now/);
    expect(code).toBe(EXIT_CODES.OK);
    expect(group('infra').filter((c) => c.method === 'DELETE')).toHaveLength(3);
  });

  test('a group already gone counts as done (a re-run converges), and a dry run deletes nothing', async () => {
    fake.addCluster(X, []);
    addGroup('infra');
    const dry = await run(['--cluster', X, '--delete-node-groups', '--node-group', 'gone', '--dry-run']);
    expect(dry.code).toBe(EXIT_CODES.OK);
    expect(dry.out).toContain('would delete node group infra (CREATE_COMPLETE)');
    expect(dry.out).toContain('node group gone: already gone');
    expect(fake.calls.filter((c) => c.method === 'DELETE')).toEqual([]);
    const again = await run(['--cluster', X, '--node-group', 'gone']);
    expect(again.code).toBe(EXIT_CODES.OK);
  });

  test('gives up after the timeout and exits 1 naming the group', async () => {
    fake.addCluster(X, []);
    addGroup('infra');
    fake.interceptors.push((req) =>
      req.method === 'GET' && req.path.endsWith(`/nodegroups/${ids.get('infra')}`)
        ? { status: 200, body: { name: 'infra', status: 'CREATE_COMPLETE' } }
        : undefined,
    );
    const { code, out } = await run(['--cluster', X, '--delete-node-groups', '--timeout-seconds', '1']);
    expect(code).toBe(EXIT_CODES.FAILED);
    expect(out).toMatch(/FAILED node group infra: still there \(CREATE_COMPLETE\) after 1 s/);
  });

  test('refuses an empty name as bad usage', async () => {
    const { code, err } = await run(['--cluster', X, '--node-group', '']);
    expect(code).toBe(EXIT_CODES.USAGE);
    expect(err).toMatch(/--node-group "": give the name of a node group of the cluster/);
    expect(fake.calls).toEqual([]);
  });

  test.each([['n'.repeat(256)], ['\u{1F680}'.repeat(256)]])(
    'leaves any other name %j to Magnum: one it does not know (404) is reported already gone',
    async (name) => {
      fake.addCluster(X, []);
      const { code, out } = await run(['--cluster', X, '--node-group', name, '--timeout-seconds', '30']);
      expect(code).toBe(EXIT_CODES.OK);
      expect(out).toContain(`node group ${name}: already gone`);
      expect(fake.calls.filter((c) => c.method === 'DELETE' && c.path.endsWith(`/nodegroups/${encodeURIComponent(name)}`))).toHaveLength(1);
    },
  );
});

describe('delete-node-group: one node group, as its destroy-time deleter hands it over', () => {
  /** Runs delete-node-group for `<cluster>/<group>` as the deleter does, with more flags. */
  const deleteGroup = (value: string | undefined, ...flags: string[]) =>
    run(['delete-node-group', '--node-group-from-env', ...flags], undefined, {}, value === undefined ? {} : { [NODE_GROUP_ENV]: value });
  const deletes = () => fake.calls.filter((c) => c.method === 'DELETE').map((c) => c.path);

  test("deletes exactly that group, by UUID, and waits through Magnum 15's stale CREATE_COMPLETE until it is gone; the cluster is left alone", async () => {
    fake.addCluster(X, []);
    const gpu = fake.addNodeGroup(X, 'gpu');
    fake.addNodeGroup(X, 'infra');
    fake.addLoadBalancer(`Kubernetes external service default/web from cluster ${X}`);
    const { code, out } = await deleteGroup(`${X}/${gpu}`, '--timeout-seconds', '30');
    expect(code).toBe(EXIT_CODES.OK);
    expect(out).toContain(`deleted node group ${gpu} of cluster ${X}`);
    expect(fake.hasNodeGroup(X, 'gpu')).toBe(false);
    expect(fake.hasNodeGroup(X, 'infra')).toBe(true);
    expect(fake.lbs.size).toBe(1);
    const group = fake.calls.filter((c) => c.path.includes('/nodegroups/')).map((c) => [c.method, c.path.split('/').pop()]);
    expect(group).toEqual([
      ['DELETE', gpu],
      ['GET', gpu],
      ['GET', gpu],
      ['GET', gpu],
    ]);
  });

  test('a second run, a group already gone and a cluster already gone all exit 0', async () => {
    fake.addCluster(X, []);
    const gpu = fake.addNodeGroup(X, 'gpu');
    expect((await deleteGroup(`${X}/${gpu}`, '--timeout-seconds', '30')).code).toBe(EXIT_CODES.OK);
    const again = await deleteGroup(`${X}/${gpu}`);
    expect(again.code).toBe(EXIT_CODES.OK);
    expect(again.out).toContain(`node group ${gpu} of cluster ${X}: already gone`);
    const orphan = await deleteGroup(`${GONE}/${gpu}`);
    expect(orphan.code).toBe(EXIT_CODES.OK);
    expect(orphan.out).toContain('already gone');
  });

  test('--dry-run says what it would delete and deletes nothing; --json prints one summary', async () => {
    fake.addCluster(X, []);
    const gpu = fake.addNodeGroup(X, 'gpu');
    const dry = await deleteGroup(`${X}/${gpu}`, '--dry-run');
    expect(dry.code).toBe(EXIT_CODES.OK);
    expect(dry.out).toContain(`would delete node group ${gpu} of cluster ${X} (CREATE_COMPLETE)`);
    expect(deletes()).toEqual([]);
    expect(fake.hasNodeGroup(X, 'gpu')).toBe(true);
    const json = await deleteGroup(`${X.toUpperCase()}/${gpu}`, '--json', '--timeout-seconds', '30');
    expect(json.code).toBe(EXIT_CODES.OK);
    expect(JSON.parse(json.out)).toEqual({
      command: 'delete-node-group',
      ok: true,
      clusterId: X,
      nodeGroupId: gpu,
      dryRun: false,
      gone: [`${gpu} of cluster ${X}`],
      failed: [],
    });
  });

  test('gives up after --timeout-seconds and exits 1 naming the group', async () => {
    fake.addCluster(X, []);
    const gpu = fake.addNodeGroup(X, 'gpu');
    fake.interceptors.push((req) =>
      req.method === 'GET' && req.path.endsWith(`/nodegroups/${gpu}`) ? { status: 200, body: { name: 'gpu', status: 'CREATE_COMPLETE' } } : undefined,
    );
    const { code, out } = await deleteGroup(`${X}/${gpu}`, '--timeout-seconds', '1');
    expect(code).toBe(EXIT_CODES.FAILED);
    expect(out).toMatch(new RegExp(`FAILED node group ${gpu} of cluster ${X}: still there \\(CREATE_COMPLETE\\) after 1 s`));
  });

  const GROUP = '5b0c7d2e-9a41-4e8f-b3c6-1d2e3f4a5b6c';
  const FROM_ENV = ['delete-node-group', '--node-group-from-env'];
  test.each([
    ['the variable unset', undefined, FROM_ENV, /^magnum-cdktf-teardown: --node-group-from-env: MAGNUM_CDKTF_TEARDOWN_NODE_GROUP is not set$/m],
    [
      'a node group name',
      `${X}/gpu`,
      FROM_ENV,
      /^magnum-cdktf-teardown: --node-group-from-env: MAGNUM_CDKTF_TEARDOWN_NODE_GROUP ".*" is not <cluster UUID>\/<node group UUID>$/m,
    ],
    ['the group alone', GROUP, FROM_ENV, /MAGNUM_CDKTF_TEARDOWN_NODE_GROUP "5b0c7d2e-.*" is not <cluster UUID>\/<node group UUID>/],
    ['a third part', `${X}/${GROUP}/x`, FROM_ENV, /is not <cluster UUID>\/<node group UUID>/],
    ['a shell word', `${X}/${GROUP}; reboot`, FROM_ENV, /is not <cluster UUID>\/<node group UUID>/],
    ['no --node-group-from-env', `${X}/${GROUP}`, ['delete-node-group'], /--node-group-from-env is required/],
    ['a teardown flag', `${X}/${GROUP}`, [...FROM_ENV, '--cluster', X], /delete-node-group takes no --cluster/],
    ['--include-volumes', `${X}/${GROUP}`, [...FROM_ENV, '--include-volumes'], /delete-node-group takes no --include-volumes/],
    ['--node-group-from-env to a teardown', `${X}/${GROUP}`, ['--cluster', X, '--node-group-from-env'], /teardown takes no --node-group-from-env/],
  ])('%s exits 2 with a usage error naming it, and sends nothing', async (_case, value, argv, message) => {
    const { code, err } = await run(argv, undefined, {}, value === undefined ? {} : { [NODE_GROUP_ENV]: value });
    expect(code).toBe(EXIT_CODES.USAGE);
    expect(err).toMatch(message);
    expect(err).toContain('usage: magnum-cdktf-teardown');
    expect(fake.calls).toEqual([]);
  });

  test('the variable is read only when --node-group-from-env asks for it: left exported, it never turns a teardown into a group delete', async () => {
    fake.addCluster(X, []);
    const gpu = fake.addNodeGroup(X, 'gpu');
    const { code } = await run(['--cluster', X], undefined, {}, { [NODE_GROUP_ENV]: `${X}/${gpu}` });
    expect(code).toBe(EXIT_CODES.OK);
    expect(deletes()).toEqual([]);
  });

  test('the usage shows the subcommand with exactly the flags the table gives it', () => {
    const line = USAGE.split('\n').find((l) => l.includes('magnum-cdktf-teardown delete-node-group'))!;
    const flags = Object.values(TEARDOWN_FLAGS).filter((f) => f.name !== 'help' && (f.commands as readonly string[]).includes('delete-node-group'));
    expect(line.match(/--[a-z-]+/g)).toEqual(flags.map((f) => `--${f.name}`));
    expect(line).toContain('[--node-group-from-env]');
  });
});

describe('--delete-failed-cluster: a cluster the provider cannot delete in its failed state', () => {
  const clusterCalls = () => fake.calls.filter((c) => c.path.endsWith(`/clusters/${X}`)).map((c) => c.method);
  const groupDeletes = () => fake.calls.filter((c) => c.method === 'DELETE' && c.path.includes('/nodegroups/'));

  test('deletes a CREATE_FAILED cluster and waits through its stale status until Magnum answers 404; its node groups go with it', async () => {
    fake.addCluster(X, [], [], 'CREATE_FAILED');
    fake.clusters.get(X)!.status_reason = 'Stack CREATE failed';
    fake.addNodeGroup(X, 'infra');
    const { code, out } = await run(['--cluster', X, '--delete-node-groups', '--delete-failed-cluster', '--timeout-seconds', '30']);
    expect(out).toContain(`deleting cluster ${X} (CREATE_FAILED: Stack CREATE failed), which the provider cannot delete in that state…`);
    expect(out).toContain(`deleted cluster ${X}`);
    expect(code).toBe(EXIT_CODES.OK);
    expect(fake.clusters.has(X)).toBe(false);
    // Read (planning and the status check), deleted once, then polled through CREATE_FAILED until 404.
    expect(clusterCalls().slice(clusterCalls().indexOf('DELETE'))).toEqual(['DELETE', 'GET', 'GET', 'GET']);
    expect(groupDeletes()).toEqual([]);
  });

  test('leaves a healthy cluster to Terraform and deletes its node groups as before', async () => {
    fake.addCluster(X, []);
    fake.addNodeGroup(X, 'infra');
    const { code, out } = await run(['--cluster', X, '--delete-node-groups', '--delete-failed-cluster', '--timeout-seconds', '30']);
    expect(code).toBe(EXIT_CODES.OK);
    expect(clusterCalls()).not.toContain('DELETE');
    expect(fake.clusters.get(X)!.status).toBe('CREATE_COMPLETE');
    expect(out).toContain('deleted node group infra');
  });

  test('without the flag a failed cluster is left alone', async () => {
    fake.addCluster(X, [], [], 'CREATE_FAILED');
    const { code } = await run(['--cluster', X]);
    expect(code).toBe(EXIT_CODES.OK);
    expect(clusterCalls()).not.toContain('DELETE');
  });

  test('a dry run says what it would delete and deletes nothing', async () => {
    fake.addCluster(X, [], [], 'UPDATE_FAILED');
    fake.addNodeGroup(X, 'infra');
    const { code, out } = await run(['--cluster', X, '--node-group', 'infra', '--delete-failed-cluster', '--dry-run']);
    expect(code).toBe(EXIT_CODES.OK);
    expect(out).toContain(`would delete cluster ${X} (UPDATE_FAILED), which the provider cannot delete in that state`);
    expect(fake.calls.filter((c) => c.method === 'DELETE')).toEqual([]);
  });

  test('a stale DELETE_FAILED right after the delete is waited through; a new DELETE_FAILED fails with exit 1', async () => {
    fake.addCluster(X, [], [], 'DELETE_FAILED');
    expect((await run(['--cluster', X, '--delete-failed-cluster', '--timeout-seconds', '30'])).code).toBe(EXIT_CODES.OK);
    expect(fake.clusters.has(X)).toBe(false);

    fake.addCluster(X, [], [], 'DELETE_FAILED');
    const seen = ['DELETE_FAILED', 'DELETE_IN_PROGRESS', 'DELETE_FAILED'];
    fake.interceptors.push((req) =>
      req.method === 'GET' && req.path.endsWith(`/clusters/${X}`) && fake.clusters.get(X)!.deleting !== undefined
        ? { status: 200, body: { ...fake.clusters.get(X), status: seen.shift() ?? 'DELETE_FAILED' } }
        : undefined,
    );
    const { code, out } = await run(['--cluster', X, '--delete-failed-cluster', '--timeout-seconds', '30']);
    expect(code).toBe(EXIT_CODES.FAILED);
    expect(out).toContain(`FAILED cluster ${X}: Magnum reports DELETE_FAILED`);
  });

  test('a cluster already gone counts as done: a re-run after an interruption converges', async () => {
    fake.addCluster(GONE, []);
    fake.clusters.delete(GONE);
    const { code, out } = await run(['--cluster', GONE, '--delete-node-groups', '--delete-failed-cluster']);
    expect(code).toBe(EXIT_CODES.OK);
    expect(out).toContain(`cluster ${GONE}: already gone`);
    expect(groupDeletes()).toEqual([]);
  });
});

describe('--delete-cluster: the cluster itself, once swept, so that the provider finds it gone', () => {
  const clusterCalls = () => fake.calls.filter((c) => c.path.endsWith(`/clusters/${X}`)).map((c) => c.method);
  const groupDeletes = () => fake.calls.filter((c) => c.method === 'DELETE' && c.path.includes('/nodegroups/'));
  const service = (cluster: string) => `Kubernetes external service default/web from cluster ${cluster}`;
  /** Magnum 15's answer to a GET of a cluster between its node groups' destroy and its own (service/periodic.py). */
  const MID_DELETE = {
    status: 400,
    body: {
      errors: [
        {
          status: 400,
          title: 'Invalid input for field/attribute master_count',
          detail: "Invalid input for field/attribute master_count. Value: '0'. Value should be greater or equal to 1",
        },
      ],
    },
  };

  test('sweeps, then deletes a healthy cluster and waits until Magnum answers 404; its node groups go with it', async () => {
    fake.addCluster(X, []);
    fake.addNodeGroup(X, 'infra');
    const lb = fake.addLoadBalancer(service(X));
    const { code, out } = await run(['--cluster', X, '--delete-node-groups', '--delete-cluster', '--timeout-seconds', '30']);
    expect(code).toBe(EXIT_CODES.OK);
    expect(fake.lbs.has(lb)).toBe(false);
    expect(fake.clusters.has(X)).toBe(false);
    expect(out).toContain(`deleting cluster ${X} (CREATE_COMPLETE)…`);
    expect(out).toContain(`deleted cluster ${X}`);
    expect(out).toMatch(new RegExp(`^cluster ${X}: deleted 1, failed 0, interrupted 0, nothing left \\([0-9.]+ s\\); then the cluster itself$`, 'm'));
    // The sweep comes first: the load balancer's delete precedes the cluster's.
    const deletes = fake.calls.filter((c) => c.method === 'DELETE').map((c) => c.path);
    expect(deletes.findIndex((p) => p.includes(lb))).toBeLessThan(deletes.findIndex((p) => p.endsWith(`/clusters/${X}`)));
    expect(groupDeletes()).toEqual([]);
    expect(out).toContain('node group infra: gone with the cluster');
  });

  test("Magnum 15's HTTP 400 (master_count 0) in the last moment of the delete is waited through, not taken as a failure", async () => {
    fake.addCluster(X, []);
    let answered = 0;
    fake.interceptors.push((req) =>
      req.method === 'GET' && req.path.endsWith(`/clusters/${X}`) && fake.clusters.get(X)?.deleting !== undefined && answered++ < 2 ? MID_DELETE : undefined,
    );
    const { code, out } = await run(['--cluster', X, '--delete-cluster', '--timeout-seconds', '30']);
    expect(answered).toBeGreaterThanOrEqual(2);
    expect(out).not.toContain('FAILED');
    expect(code).toBe(EXIT_CODES.OK);
    expect(fake.clusters.has(X)).toBe(false);
  });

  test('any other HTTP 400 while waiting still fails the run', async () => {
    fake.addCluster(X, []);
    fake.interceptors.push((req) =>
      req.method === 'GET' && req.path.endsWith(`/clusters/${X}`) && fake.clusters.get(X)?.deleting !== undefined
        ? { status: 400, body: { errors: [{ status: 400, title: 'Invalid input for field/attribute node_count' }] } }
        : undefined,
    );
    const { code, out } = await run(['--cluster', X, '--delete-cluster', '--timeout-seconds', '30']);
    expect(code).toBe(EXIT_CODES.FAILED);
    expect(out).toContain(`FAILED cluster ${X}`);
  });

  test('a cluster Magnum is already deleting (a run interrupted while it waited) is only waited for', async () => {
    fake.addCluster(X, [], [], 'DELETE_IN_PROGRESS');
    fake.clusters.get(X)!.deleting = 8;
    const { code, out } = await run(['--cluster', X, '--delete-cluster', '--timeout-seconds', '30']);
    expect(code).toBe(EXIT_CODES.OK);
    expect(out).toContain(`cluster ${X}: Magnum is deleting it already; waiting…`);
    expect(clusterCalls()).not.toContain('DELETE');
    expect(fake.clusters.has(X)).toBe(false);
  });

  test('when the sweep leaves something, the cluster is not deleted and the run fails: Heat would only fail on it', async () => {
    fake.addCluster(X, []);
    const lb = fake.addLoadBalancer(service(X));
    fake.interceptors.push((req) => (req.method === 'DELETE' && req.path.includes(lb) ? { status: 403, body: { faultstring: 'Forbidden' } } : undefined));
    const { code } = await run(['--cluster', X, '--delete-cluster', '--timeout-seconds', '30']);
    expect(code).toBe(EXIT_CODES.FAILED);
    expect(clusterCalls()).not.toContain('DELETE');
    expect(fake.clusters.get(X)!.status).toBe('CREATE_COMPLETE');
  });

  test('Heat failing on what a cloud provider re-created: swept again, the cluster deleted again, the run converges', async () => {
    fake.addCluster(X, []);
    let recreated: string | undefined;
    fake.interceptors.push((req) => {
      const cluster = fake.clusters.get(X);
      if (req.method !== 'GET' || !req.path.endsWith(`/clusters/${X}`) || cluster === undefined) return undefined;
      if (recreated === undefined && cluster.deleting !== undefined) {
        // occm, still running, made the Service's load balancer again after the sweep: Heat cannot delete the network.
        recreated = fake.addLoadBalancer(service(X));
        Object.assign(cluster, { deleting: undefined, status: 'DELETE_IN_PROGRESS' });
      } else if (recreated !== undefined && cluster.status === 'DELETE_IN_PROGRESS' && cluster.deleting === undefined) {
        Object.assign(cluster, { status: 'DELETE_FAILED', status_reason: 'Resource DELETE failed: Conflict: router interface in use' });
      }
      return undefined;
    });
    const { code, out } = await run(['--cluster', X, '--delete-cluster', '--timeout-seconds', '30']);
    expect(out).toContain(`cluster ${X}: Heat could not delete it (Resource DELETE failed: Conflict: router interface in use); sweeping again`);
    expect(out).toContain(`cluster ${X}: the sweep removed 1 more`);
    expect(out).toContain(`deleting cluster ${X} again (DELETE_FAILED: Resource DELETE failed: Conflict: router interface in use)…`);
    expect(fake.lbs.has(recreated!)).toBe(false);
    expect(out).toMatch(/; then the cluster itself, 1 more swept while it was deleted$/m);
    expect(clusterCalls().filter((m) => m === 'DELETE')).toHaveLength(2);
    expect(code).toBe(EXIT_CODES.OK);
    expect(fake.clusters.has(X)).toBe(false);
  });

  test('Heat failing with nothing more to sweep fails the run with exit 1, after one more sweep', async () => {
    fake.addCluster(X, []);
    fake.interceptors.push((req) => {
      const cluster = fake.clusters.get(X);
      if (req.method === 'GET' && req.path.endsWith(`/clusters/${X}`) && cluster?.deleting !== undefined) {
        Object.assign(cluster, { deleting: undefined, status: 'DELETE_IN_PROGRESS' });
        return { status: 200, body: { ...cluster } };
      }
      if (req.method === 'GET' && req.path.endsWith(`/clusters/${X}`) && cluster?.status === 'DELETE_IN_PROGRESS') cluster.status = 'DELETE_FAILED';
      return undefined;
    });
    const { code, out } = await run(['--cluster', X, '--delete-cluster', '--timeout-seconds', '30']);
    expect(code).toBe(EXIT_CODES.FAILED);
    expect(out).toContain(`FAILED cluster ${X}: Magnum reports DELETE_FAILED`);
    // (one more sweep ran, found nothing, so the cluster was not deleted again)
    expect(out).toContain(`cluster ${X}: Heat could not delete it; sweeping again`);
    expect(out.match(/0 resource\(s\) made by the cloud provider/g)).toHaveLength(2);
    expect(clusterCalls().filter((m) => m === 'DELETE')).toHaveLength(1);
  });

  test('a DELETE_FAILED Magnum saves at once after the second delete fails the run at once, not after the 30 min wait', async () => {
    fake.addCluster(X, []);
    let deletes = 0;
    fake.interceptors.push((req) => {
      const cluster = fake.clusters.get(X);
      if (!cluster || !req.path.endsWith(`/clusters/${X}`)) return undefined;
      if (req.method === 'DELETE') {
        deletes++;
        // The first: Heat fails on a load balancer made again; the second: Magnum's pre-delete fails before Heat runs.
        if (deletes === 1) fake.addLoadBalancer(service(X));
        Object.assign(cluster, { status: 'DELETE_FAILED', status_reason: deletes === 1 ? 'Heat: router in use' : 'Failed to pre-delete resources' });
        return { status: 204 };
      }
      return undefined;
    });
    const { code, out } = await run(['--cluster', X, '--delete-cluster']);
    expect(deletes).toBe(2);
    expect(out).toContain(`cluster ${X}: Heat could not delete it (Failed to pre-delete resources); sweeping again`);
    expect(out).toContain(`FAILED cluster ${X}: Magnum reports DELETE_FAILED`);
    expect(code).toBe(EXIT_CODES.FAILED);
  });

  test('what a resweep could not remove is listed again after the cluster is gone: the run fails, naming it', async () => {
    fake.addCluster(X, []);
    let made: string[] = [];
    fake.interceptors.push((req) => {
      const cluster = fake.clusters.get(X);
      if (req.method === 'DELETE' && made.length === 2 && req.path.includes(made[1])) return { status: 403, body: { faultstring: 'Forbidden' } };
      if (!cluster || req.method !== 'GET' || !req.path.endsWith(`/clusters/${X}`) || cluster.deleting === undefined || made.length) return undefined;
      made = [fake.addLoadBalancer(service(X), 'again-1'), fake.addLoadBalancer(service(X), 'again-2')];
      Object.assign(cluster, { deleting: undefined, status: 'DELETE_FAILED', status_reason: 'Heat: router in use' });
      return undefined;
    });
    const { code, out } = await run(['--cluster', X, '--delete-cluster']);
    expect(fake.clusters.has(X)).toBe(false);
    expect(fake.lbs.has(made[1])).toBe(true);
    expect(out).toMatch(new RegExp(`1 still there: loadbalancer ${made[1]} \\(again-2\\).*; then the cluster itself, 1 more swept`));
    expect(code).toBe(EXIT_CODES.FAILED);
  });

  test('a dry run says it would delete the cluster and deletes nothing', async () => {
    fake.addCluster(X, []);
    const { code, out } = await run(['--cluster', X, '--delete-cluster', '--dry-run']);
    expect(code).toBe(EXIT_CODES.OK);
    expect(out).toContain(`would delete cluster ${X} (CREATE_COMPLETE)`);
    expect(fake.calls.filter((c) => c.method === 'DELETE')).toEqual([]);
  });
});

describe('resize-node-group: one node group given its count, as its resizer hands it over', () => {
  /** Runs resize-node-group for `<cluster>/<group>` and a count, as the resizer does, with more flags. */
  const resize = (group: string, count: string | undefined, ...flags: string[]) => resizeWithin(group, count, undefined, ...flags);
  /** The same, with the bounds the group must show first (`<min>..<max>`). */
  const resizeWithin = (group: string, count: string | undefined, bounds: string | undefined, ...flags: string[]) =>
    run(
      ['resize-node-group', '--node-group-from-env', '--node-count-from-env', ...flags],
      undefined,
      {},
      {
        [NODE_GROUP_ENV]: group,
        ...(count === undefined ? {} : { [NODE_COUNT_ENV]: count }),
        ...(bounds === undefined ? {} : { [NODE_BOUNDS_ENV]: bounds }),
      },
    );
  const posts = () => fake.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/actions/resize')).map((c) => c.body);
  const groupOf = (uuid: string) => fake.nodeGroups.get(`${X}/${uuid}`)!;

  test("asks once and waits through the conductor's lag: the group's old CREATE_COMPLETE, read before Magnum took the resize up, is not the end", async () => {
    fake.addCluster(X, []);
    const infra = fake.addNodeGroup(X, 'infra', { node_count: 1, max_node_count: 3 });
    const other = fake.addNodeGroup(X, 'other');
    fake.resizing = { lag: 3, polls: 2 };
    const { code, out } = await resize(`${X}/${infra}`, '2', '--timeout-seconds', '30');
    expect(code).toBe(EXIT_CODES.OK);
    expect(posts()).toEqual([{ node_count: 2, nodegroup: infra }]);
    expect(groupOf(infra)).toMatchObject({ node_count: 2, status: 'UPDATE_COMPLETE' });
    expect(out).toContain(`resizing node group infra (${infra}) of cluster ${X} from 1 to 2 node(s)…`);
    expect(out).toContain(`resized node group infra (${infra}) of cluster ${X} to 2 node(s)`);
    // The lag's 3 stale reads, 1 taken up, 2 in progress, the complete one, and one with the cluster's (settled): 8 GETs.
    const after = fake.calls.slice(fake.calls.findIndex((c) => c.path.endsWith('/actions/resize')));
    expect(after.filter((c) => c.method === 'GET' && c.path.endsWith(`/nodegroups/${infra}`))).toHaveLength(8);
    expect(after.filter((c) => c.method === 'GET' && c.path === `/magnum/v1/clusters/${X}`)).toHaveLength(1);
    expect(groupOf(other)).toMatchObject({ node_count: 1, status: 'CREATE_COMPLETE' });
  });

  test('a group that has the count already is left alone: a re-run converges, and a dry run changes nothing', async () => {
    fake.addCluster(X, []);
    const infra = fake.addNodeGroup(X, 'infra', { node_count: 2 });
    const again = await resize(`${X}/${infra}`, '2');
    expect(again.code).toBe(EXIT_CODES.OK);
    expect(again.out).toContain(`node group infra (${infra}) of cluster ${X} has 2 node(s) already (CREATE_COMPLETE)`);
    const dry = await resize(`${X}/${infra}`, '0', '--dry-run');
    expect(dry.code).toBe(EXIT_CODES.OK);
    expect(dry.out).toContain(`would resize node group infra (${infra}) of cluster ${X} from 2 to 0 node(s) (CREATE_COMPLETE)`);
    const json = await resize(`${X}/${infra}`, '2', '--json');
    expect(JSON.parse(json.out)).toEqual({
      command: 'resize-node-group',
      ok: true,
      clusterId: X,
      nodeGroupId: infra,
      dryRun: false,
      from: 2,
      to: 2,
      resized: false,
    });
    expect(posts()).toEqual([]);
  });

  test('waits until neither the cluster nor the group is in progress before it asks', async () => {
    fake.addCluster(X, [], [], 'UPDATE_IN_PROGRESS');
    const infra = fake.addNodeGroup(X, 'infra');
    let reads = 0;
    fake.interceptors.push((req) => {
      if (req.method === 'GET' && req.path === `/magnum/v1/clusters/${X}` && ++reads === 3) fake.clusters.get(X)!.status = 'UPDATE_COMPLETE';
      return undefined;
    });
    const { code, out } = await resize(`${X}/${infra}`, '3', '--timeout-seconds', '30');
    expect(code).toBe(EXIT_CODES.OK);
    expect(out).toContain(`node group infra (${infra}) of cluster ${X}: waiting until Magnum has finished (UPDATE_IN_PROGRESS)`);
    const first = fake.calls.findIndex((c) => c.path.endsWith('/actions/resize'));
    expect(fake.calls.slice(0, first).filter((c) => c.path === `/magnum/v1/clusters/${X}`)).toHaveLength(3);
    expect(groupOf(infra).node_count).toBe(3);
  });

  test('returns only once the cluster, which Magnum marks in progress with the group, has finished too', async () => {
    fake.addCluster(X, []);
    const infra = fake.addNodeGroup(X, 'infra');
    fake.resizing = { lag: 0, polls: 0 };
    let clusterReads = 0;
    fake.interceptors.push((req) => {
      const cluster = fake.clusters.get(X)!;
      if (req.method === 'POST' && req.path.endsWith('/actions/resize')) cluster.status = 'UPDATE_IN_PROGRESS';
      if (req.method === 'GET' && req.path === `/magnum/v1/clusters/${X}` && cluster.status === 'UPDATE_IN_PROGRESS' && ++clusterReads === 3) {
        cluster.status = 'UPDATE_COMPLETE';
      }
      return undefined;
    });
    const { code } = await resize(`${X}/${infra}`, '2', '--timeout-seconds', '30');
    expect(code).toBe(EXIT_CODES.OK);
    expect(clusterReads).toBe(3);
    expect(fake.clusters.get(X)!.status).toBe('UPDATE_COMPLETE');
  });

  test("Magnum's failure exits 1 with its reason; a group failed before is resized again and waited for", async () => {
    fake.addCluster(X, []);
    const infra = fake.addNodeGroup(X, 'infra', { node_count: 1 });
    fake.resizing = { lag: 1, polls: 1, failure: 'Quota exceeded for instances' };
    const failed = await resize(`${X}/${infra}`, '4', '--timeout-seconds', '30');
    expect(failed.code).toBe(EXIT_CODES.FAILED);
    expect(failed.err).toContain(`node group infra (${infra}) of cluster ${X}: Magnum failed the resize (UPDATE_FAILED: Quota exceeded for instances)`);
    expect(groupOf(infra)).toMatchObject({ node_count: 1, status: 'UPDATE_FAILED' });
    // The next run reads the old UPDATE_FAILED (same updated_at) while the conductor lags: not this resize's failure.
    fake.resizing = { lag: 2, polls: 1 };
    const fixed = await resize(`${X}/${infra}`, '4', '--timeout-seconds', '30');
    expect(fixed.code).toBe(EXIT_CODES.OK);
    expect(groupOf(infra)).toMatchObject({ node_count: 4, status: 'UPDATE_COMPLETE' });
  });

  test('waits until the group shows the bounds the provider patched (Magnum applies them later), then resizes within them', async () => {
    fake.addCluster(X, []);
    const infra = fake.addNodeGroup(X, 'infra', { node_count: 2, min_node_count: 1, max_node_count: 3 });
    let reads = 0;
    // The conductor saves the new max only after a few reads; a resize to 5 before that is out of bounds (400).
    fake.interceptors.push((req) => {
      if (req.method === 'GET' && req.path.endsWith(`/nodegroups/${infra}`) && ++reads === 3) groupOf(infra).max_node_count = 6;
      return undefined;
    });
    const { code, out } = await resizeWithin(`${X}/${infra}`, '5', '1..6', '--timeout-seconds', '30');
    expect(out).toContain(`node group infra (${infra}) of cluster ${X}: waiting until Magnum has finished (bounds 1..3, not yet 1..6)`);
    expect(code).toBe(EXIT_CODES.OK);
    expect(posts()).toEqual([{ node_count: 5, nodegroup: infra }]);
    expect(groupOf(infra)).toMatchObject({ node_count: 5, max_node_count: 6, status: 'UPDATE_COMPLETE' });
    // A side left empty is not waited for; bounds that are not <min>..<max> are bad usage.
    expect((await resizeWithin(`${X}/${infra}`, '5', '..6')).code).toBe(EXIT_CODES.OK);
    const bad = await resizeWithin(`${X}/${infra}`, '5', '6');
    expect(bad.code).toBe(EXIT_CODES.USAGE);
    expect(bad.err).toMatch(/MAGNUM_CDKTF_TEARDOWN_NODE_BOUNDS "6" is not <min>\.\.<max>/);
  });

  test("Heat's failure, which Magnum reports with the new count kept, exits 1; a group failed so is resized again, not taken as done", async () => {
    fake.addCluster(X, []);
    const infra = fake.addNodeGroup(X, 'infra', { node_count: 1 });
    fake.resizing = { lag: 0, polls: 1, failure: 'Resource CREATE failed: ResourceInError', keepsCount: true };
    const failed = await resize(`${X}/${infra}`, '2', '--timeout-seconds', '30');
    expect(failed.code).toBe(EXIT_CODES.FAILED);
    expect(failed.err).toContain('Magnum failed the resize (UPDATE_FAILED: Resource CREATE failed: ResourceInError)');
    expect(groupOf(infra)).toMatchObject({ node_count: 2, status: 'UPDATE_FAILED' });
    fake.resizing = { lag: 2, polls: 1 };
    const again = await resize(`${X}/${infra}`, '2', '--timeout-seconds', '30');
    expect(again.code).toBe(EXIT_CODES.OK);
    expect(posts()).toHaveLength(2);
    expect(groupOf(infra)).toMatchObject({ node_count: 2, status: 'UPDATE_COMPLETE' });
  });

  test("Magnum's refusal (out of the group's bounds) and a cluster it resizes nothing of exit 1 at once", async () => {
    fake.addCluster(X, []);
    const infra = fake.addNodeGroup(X, 'infra', { node_count: 2, min_node_count: 1, max_node_count: 3 });
    const bounds = await resize(`${X}/${infra}`, '5', '--timeout-seconds', '30');
    expect(bounds.code).toBe(EXIT_CODES.FAILED);
    expect(bounds.err).toMatch(/Resizing infra outside the allowed range: min_node_count = 1, max_node_count = 3/);
    fake.clusters.get(X)!.status = 'CREATE_FAILED';
    const broken = await resize(`${X}/${infra}`, '3', '--timeout-seconds', '30');
    expect(broken.code).toBe(EXIT_CODES.FAILED);
    expect(broken.err).toContain('Magnum resizes no node group of a cluster in CREATE_FAILED');
    expect(posts()).toEqual([{ node_count: 5, nodegroup: infra }]);
    expect(groupOf(infra)).toMatchObject({ node_count: 2, status: 'CREATE_COMPLETE' });
    const gone = await resize(`${GONE}/${infra}`, '3');
    expect(gone.code).toBe(EXIT_CODES.FAILED);
    expect(gone.err).toContain('Magnum does not know node group');
  });

  test('gives up after --timeout-seconds, naming the group and where it stands', async () => {
    fake.addCluster(X, []);
    const infra = fake.addNodeGroup(X, 'infra');
    fake.resizing = { lag: 1_000_000, polls: 0 };
    const { code, err } = await resize(`${X}/${infra}`, '2', '--timeout-seconds', '1');
    expect(code).toBe(EXIT_CODES.FAILED);
    expect(err).toContain(`node group infra (${infra}) of cluster ${X}: not resized after 1 s (CREATE_COMPLETE, 1 node(s))`);
  });

  test.each([
    ['the count unset', undefined, /--node-count-from-env: MAGNUM_CDKTF_TEARDOWN_NODE_COUNT is not set/],
    ['a negative count', '-1', /MAGNUM_CDKTF_TEARDOWN_NODE_COUNT "-1" is not a whole number, 0 or more/],
    ['a shell word', '2; reboot', /MAGNUM_CDKTF_TEARDOWN_NODE_COUNT "2; reboot" is not a whole number/],
    ['a fraction', '1.5', /is not a whole number/],
  ])('%s is bad usage, and nothing is sent', async (_, count, message) => {
    const { code, err } = await resize(`${X}/5b0c7d2e-9a41-4e8f-b3c6-1d2e3f4a5b6c`, count);
    expect(code).toBe(EXIT_CODES.USAGE);
    expect(err).toMatch(message);
    expect(fake.calls).toEqual([]);
  });
});
