import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformVariable } from 'cdktf';
import { ClusterTeardown, ClusterTemplate, DEFAULT_TEARDOWN_COMMAND, MagnumCluster, ValidationError } from '../../../lib';
import {
  CLUSTER_ENV,
  KUBECONFIG_ENV,
  NODE_COUNT_ENV,
  NODE_GROUP_ENV,
  parseTeardownArgs,
  runCli,
  TEARDOWN_CLI_NAME,
  TEARDOWN_FLAGS,
  TeardownFlagKey,
  USAGE,
} from '../../../runtime/teardown';
import { FakeOpenStack } from '../../support/fake-openstack';
import { deletersOf, givenPlatformParts, givenStack, NullResource, onlyResource, synthJson } from '../../support/fixtures';
import { CLUSTER, cloudSelectedBy, HOSTILE, HOSTILE_CLOUDS, NODE_GROUP, runThroughShell, STUB } from '../../support/provisioner-shell';

/** A platform's cluster with node groups of these names, and its teardown. */
function givenTeardown(groupNames: string[], options: { cloudName?: string; includeVolumes?: boolean; command?: string } = {}) {
  const stack = givenStack();
  const { external, image } = givenPlatformParts(stack);
  const cluster = new MagnumCluster(stack, 'c', { template: new ClusterTemplate(stack, 'tpl', { image, externalNetwork: external }) });
  groupNames.forEach((name, i) => cluster.addNodeGroup(`ng${i}`, { name }));
  new ClusterTeardown(stack, 't', { cluster, ...options });
  return { stack, cluster, local: onlyResource<NullResource>(stack, 'null_resource').provisioner[0]['local-exec'] };
}

describe('ClusterTeardown', () => {
  test('a null_resource whose destroy-time local-exec runs the CLI, the cluster id from its trigger passed in the environment', () => {
    const stack = givenStack();
    new ClusterTeardown(stack, 't', { cluster: { clusterId: '${openstack_containerinfra_cluster_v1.c.id}' } });
    const teardown = onlyResource<NullResource>(stack, 'null_resource');
    expect(teardown.triggers).toEqual({ cluster_id: '${openstack_containerinfra_cluster_v1.c.id}' });
    expect(teardown.provisioner).toEqual([
      {
        'local-exec': {
          when: 'destroy',
          // (a cluster given by id only: not this stack's to delete, so no --delete-cluster)
          command: `${DEFAULT_TEARDOWN_COMMAND} --cluster-from-env --kubeconfig-from-env`,
          environment: { [CLUSTER_ENV]: '${self.triggers.cluster_id}' },
        },
      },
    ]);
  });

  test('names the cloud (as OS_CLOUD) and opts into volumes only when asked, in the provisioner, not the triggers', () => {
    const stack = givenStack();
    new ClusterTeardown(stack, 't', { cluster: { clusterId: 'x' }, cloudName: 'devcloud', includeVolumes: true, command: 'node teardown.js' });
    const teardown = onlyResource<NullResource>(stack, 'null_resource');
    expect(teardown.provisioner[0]['local-exec'].command).toBe('node teardown.js --cluster-from-env --kubeconfig-from-env --include-volumes');
    expect(teardown.provisioner[0]['local-exec'].environment).toEqual({ [CLUSTER_ENV]: '${self.triggers.cluster_id}', OS_CLOUD: 'devcloud' });
    // A trigger change replaces the resource, and replacing it would tear down a live cluster's Services.
    expect(Object.keys(teardown.triggers)).toEqual(['cluster_id']);
  });

  test('deletes the cluster itself only when the stack made it: never an imported one', () => {
    const made = givenTeardown([]).local.command;
    expect(made).toBe(`${DEFAULT_TEARDOWN_COMMAND} --cluster-from-env --kubeconfig-from-env --delete-cluster`);
    const stack = givenStack();
    const imported = MagnumCluster.fromClusterId(stack, 'imported', '3f7a89e8-0a9b-4f56-88e7-dfacb86eaca0');
    new ClusterTeardown(stack, 't', { cluster: imported });
    const command = onlyResource<NullResource>(stack, 'null_resource').provisioner[0]['local-exec'].command;
    expect(command).toBe(`${DEFAULT_TEARDOWN_COMMAND} --cluster-from-env --kubeconfig-from-env`);
    expect(command).not.toMatch(/--delete-(failed-)?cluster/);
  });

  test('puts no credential into the synthesized JSON, whatever the environment holds', () => {
    const saved = { ...process.env };
    process.env.OS_PASSWORD = 'hunter2-not-a-real-password';
    process.env.OS_CLOUD = 'devcloud';
    try {
      const stack = givenStack();
      new ClusterTeardown(stack, 't', { cluster: { clusterId: 'x' } });
      expect(JSON.stringify(synthJson(stack))).not.toContain('hunter2');
    } finally {
      process.env = saved;
    }
  });

  test("deletes the cluster's node groups first, even those added after it, and is destroyed before them", () => {
    // Provider 3.4.0's own node-group delete fails on Magnum 15 (stale CREATE_COMPLETE): the CLI deletes them first.
    const stack = givenStack();
    const { external, image } = givenPlatformParts(stack);
    const cluster = new MagnumCluster(stack, 'c', { template: new ClusterTemplate(stack, 'tpl', { image, externalNetwork: external }) });
    cluster.addNodeGroup('infra');
    new ClusterTeardown(stack, 't', { cluster, cloudName: 'devcloud' });
    cluster.addNodeGroup('gpu', { name: 'gpu-workers' });
    const teardown = onlyResource<NullResource>(stack, 'null_resource');
    expect(teardown.provisioner[0]['local-exec'].command).toBe(
      `${DEFAULT_TEARDOWN_COMMAND} --cluster-from-env --kubeconfig-from-env --delete-cluster --delete-node-groups`,
    );
    // Before the groups, and before their deleter (which then finds them gone).
    const [[deleterId, deleter]] = Object.entries(deletersOf(stack));
    expect(teardown.depends_on).toEqual([
      expect.stringMatching(/^openstack_containerinfra_nodegroup_v1\.c_infra_/),
      expect.stringMatching(/^openstack_containerinfra_nodegroup_v1\.c_gpu_/),
      `terraform_data.${deleterId}`,
    ]);
    expect(Object.keys(deleter.for_each)).toEqual(['c/gpu', 'c/infra']);
  });

  test('node group names known only at apply work too: no name is written into the provisioner', () => {
    const stack = givenStack();
    const { external, image } = givenPlatformParts(stack);
    const cluster = new MagnumCluster(stack, 'c', { template: new ClusterTemplate(stack, 'tpl', { image, externalNetwork: external }) });
    cluster.addNodeGroup('ng', { name: new TerraformVariable(stack, 'group', { type: 'string' }).stringValue });
    new ClusterTeardown(stack, 't', { cluster });
    const local = onlyResource<NullResource>(stack, 'null_resource').provisioner[0]['local-exec'];
    // Terraform refuses `var.` in a destroy-time provisioner; the CLI asks Magnum for the groups instead.
    expect(JSON.stringify(local)).not.toContain('var.group');
    expect(local.command).toContain('--delete-node-groups');
  });
});

describe('no name reaches a shell: the provisioner through the real /bin/sh', () => {
  test.each(HOSTILE)('a node group named with a %s is never written into the command or the environment', (_kind, name) => {
    const { local } = givenTeardown([name, 'infra'], { command: STUB });
    expect(local.command).toBe(`${STUB} --cluster-from-env --kubeconfig-from-env --delete-cluster --delete-node-groups`);
    expect(Object.values(local.environment)).not.toContain(name);
    const { argv, env } = runThroughShell(local);
    expect(argv).toEqual(['--cluster-from-env', '--kubeconfig-from-env', '--delete-cluster', '--delete-node-groups']);
    expect(env[CLUSTER_ENV]).toBe(CLUSTER);
  });

  test.each(HOSTILE_CLOUDS)('a cloud name with a %s reaches the CLI verbatim', (_kind, cloudName) => {
    const { local } = givenTeardown([], { command: STUB, cloudName, includeVolumes: true });
    const { argv, env } = runThroughShell(local);
    expect(argv).toEqual(['--cluster-from-env', '--kubeconfig-from-env', '--delete-cluster', '--include-volumes']);
    expect(env.OS_CLOUD).toBe(cloudName);
    expect(env[CLUSTER_ENV]).toBe(CLUSTER);
    // And the CLI reads it as its cloud (OS_CLOUD, as every OpenStack client does), with nothing else changed.
    const args = parseTeardownArgs(argv, env);
    expect(args).toMatchObject({ command: 'teardown', cluster: CLUSTER, includeVolumes: true, deleteCluster: true, dryRun: false });
    expect(cloudSelectedBy(args.cloud, env)).toBe(cloudName);
  });

  test('the stub is a real check: an argument the shell would split arrives split', () => {
    const { argv } = runThroughShell({ command: `${STUB} gpu pool` });
    expect(argv).toEqual(['gpu', 'pool']);
  });

  test.each([
    ['empty', ''],
    ['control characters', 'dev\u0007cloud'],
  ])('a cloud name that is %s is refused at synth', (_kind, cloudName) => {
    expect(() => givenTeardown([], { cloudName })).toThrow(/^test\/t: cloudName = .*: is not a clouds\.yaml entry name\. Fix: /);
  });

  test('a cloud name known only at apply is refused at synth: a destroy-time provisioner cannot read it', () => {
    const stack = givenStack();
    const cloudName = new TerraformVariable(stack, 'cloud', { type: 'string' }).stringValue;
    expect(() => new ClusterTeardown(stack, 't', { cluster: { clusterId: 'x' }, cloudName })).toThrow(ValidationError);
    expect(() => new ClusterTeardown(stack, 't2', { cluster: { clusterId: 'x' }, cloudName })).toThrow(
      /^test\/t2: cloudName = <known at apply: var\.cloud>: is known only at apply/,
    );
  });
});

describe('the construct and the CLI share one table of flags', () => {
  test.each([
    ['no options', {}, [], { deleteCluster: true, deleteNodeGroups: false, includeVolumes: false, cloud: undefined }],
    ['volumes and a cloud', { includeVolumes: true, cloudName: 'prod east' }, [], { includeVolumes: true }],
    ['node groups', {}, ['infra', 'gpu pool'], { deleteNodeGroups: true, nodeGroups: [] }],
  ])('what the construct writes, the CLI parses as meant: %s', (_name, options, groups, expected) => {
    const { local } = givenTeardown(groups as string[], { command: STUB, ...options });
    const { argv, env } = runThroughShell(local);
    const args = parseTeardownArgs(argv, env);
    expect(args).toMatchObject({ command: 'teardown', cluster: CLUSTER, dryRun: false, ...expected });
    expect(cloudSelectedBy(args.cloud, env)).toBe((options as { cloudName?: string }).cloudName ?? 'only');
  });

  test('every flag of the table parses into its field', () => {
    const keys = (Object.keys(TEARDOWN_FLAGS) as TeardownFlagKey[]).filter(
      (k) => !['help', 'allProjects', 'clusterFromEnv', 'nodeGroupFromEnv', 'nodeCountFromEnv', 'claimedAtFromEnv', 'kubeconfigFromEnv'].includes(k),
    );
    for (const key of keys) {
      const f = TEARDOWN_FLAGS[key];
      const value = key === 'concurrency' ? '4' : key === 'timeoutSeconds' ? '30' : key === 'mode' ? 'ordered' : key === 'cluster' ? CLUSTER : 'x';
      const argv = [`--${f.name}`, ...(f.type === 'string' ? [value] : []), ...(key === 'cluster' ? [] : ['--cluster', CLUSTER])];
      const parsed = parseTeardownArgs(argv, {}) as unknown as Record<string, unknown>;
      const field = key === 'nodeGroup' ? 'nodeGroups' : key === 'kubeconfig' ? 'kubeconfigPaths' : key;
      expect([key, parsed[field]]).toEqual([
        key,
        f.type === 'boolean'
          ? true
          : ['nodeGroup', 'kubeconfig'].includes(key)
            ? ['x']
            : ['concurrency', 'timeoutSeconds'].includes(key)
              ? Number(value)
              : value,
      ]);
    }
    expect(parseTeardownArgs(['audit', '--all-projects'], {}).allProjects).toBe(true);
    expect(parseTeardownArgs(['--cluster-from-env'], { [CLUSTER_ENV]: CLUSTER }).cluster).toBe(CLUSTER);
    expect(parseTeardownArgs(['delete-node-group', '--node-group-from-env'], { [NODE_GROUP_ENV]: `${CLUSTER}/${NODE_GROUP}` })).toMatchObject({
      command: 'delete-node-group',
      cluster: CLUSTER,
      nodeGroupId: NODE_GROUP,
    });
    expect(
      parseTeardownArgs(['resize-node-group', '--node-group-from-env', '--node-count-from-env'], {
        [NODE_GROUP_ENV]: `${CLUSTER}/${NODE_GROUP}`,
        [NODE_COUNT_ENV]: '0',
      }),
    ).toMatchObject({ command: 'resize-node-group', cluster: CLUSTER, nodeGroupId: NODE_GROUP, nodeCount: 0 });
  });

  test("the usage text documents every flag of the table, and the package installs the CLI under the table's name", () => {
    for (const f of Object.values(TEARDOWN_FLAGS)) expect([f.name, USAGE.includes(`--${f.name}`)]).toEqual([f.name, true]);
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
    expect(Object.keys(pkg.bin)).toEqual([TEARDOWN_CLI_NAME]);
  });

  test('the kubeconfig paths are read from KUBECONFIG only when --kubeconfig-from-env asks for it, after --kubeconfig', () => {
    const env = { [KUBECONFIG_ENV]: ['/home/ops/.kube/prod', '', '/etc/kube/lab'].join(path.delimiter) };
    expect(parseTeardownArgs(['--cluster', CLUSTER], env).kubeconfigPaths).toEqual([]);
    expect(parseTeardownArgs(['--cluster', CLUSTER, '--kubeconfig-from-env'], env).kubeconfigPaths).toEqual(['/home/ops/.kube/prod', '/etc/kube/lab']);
    expect(parseTeardownArgs(['--cluster', CLUSTER, '--kubeconfig', `/a${path.delimiter}/etc/kube/lab`, '--kubeconfig-from-env'], env).kubeconfigPaths).toEqual(
      ['/a', '/etc/kube/lab', '/home/ops/.kube/prod'],
    );
    // ClusterTeardown always passes the flag: unset or empty is no Kubernetes step, not an error.
    expect(parseTeardownArgs(['--cluster', CLUSTER, '--kubeconfig-from-env'], {}).kubeconfigPaths).toEqual([]);
    expect(parseTeardownArgs(['--cluster', CLUSTER, '--kubeconfig-from-env'], { [KUBECONFIG_ENV]: '' }).kubeconfigPaths).toEqual([]);
    expect(() => parseTeardownArgs(['--cluster', CLUSTER, '--kubeconfig', ''], {})).toThrow(/--kubeconfig "": give one or more kubeconfig files/);
    expect(() => parseTeardownArgs(['audit', '--kubeconfig-from-env'], env)).toThrow(/audit takes no --kubeconfig-from-env/);
  });

  test('the synthesized provisioner hands the KUBECONFIG of cdktf destroy to the CLI, which reads it', () => {
    // Terraform's local-exec inherits its own environment: KUBECONFIG is never written into the configuration.
    const { local } = givenTeardown([], { command: STUB, includeVolumes: true });
    expect(JSON.stringify(local)).not.toContain(KUBECONFIG_ENV);
    const { argv, env } = runThroughShell(local);
    expect(argv).toContain('--kubeconfig-from-env');
    expect(parseTeardownArgs(argv, { ...env, [KUBECONFIG_ENV]: '/home/ops/.kube/prod' })).toMatchObject({
      kubeconfigPaths: ['/home/ops/.kube/prod'],
      includeVolumes: true,
    });
  });

  test('the cluster id is read from the environment only when --cluster-from-env asks for it', () => {
    // A variable left exported in an operator's shell must not turn a bare command into a teardown.
    expect(() => parseTeardownArgs([], { [CLUSTER_ENV]: CLUSTER })).toThrow(/--cluster UUID is required/);
    expect(parseTeardownArgs(['audit'], { [CLUSTER_ENV]: CLUSTER }).cluster).toBeUndefined();
    expect(() => parseTeardownArgs(['--cluster-from-env'], {})).toThrow(/--cluster-from-env: MAGNUM_CDKTF_TEARDOWN_CLUSTER is not set/);
    expect(() => parseTeardownArgs(['--cluster-from-env', '--cluster', CLUSTER], { [CLUSTER_ENV]: CLUSTER })).toThrow(
      /give --cluster or --cluster-from-env, not both/,
    );
  });

  test('the synthesized provisioner, run with --dry-run against a fake OpenStack, names the groups Magnum lists and deletes nothing', async () => {
    const fake = await FakeOpenStack.start();
    try {
      fake.addCluster(CLUSTER, []);
      fake.addNodeGroup(CLUSTER, 'gpu; pool $(reboot)');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teardown-contract-'));
      fs.writeFileSync(path.join(dir, 'clouds.yaml'), JSON.stringify({ clouds: { 'dev cloud; x': fake.cloudEntry() } }));
      const { local } = givenTeardown(['gpu; pool $(reboot)'], { command: STUB, cloudName: 'dev cloud; x' });
      const { argv, env } = runThroughShell(local);
      const out: string[] = [];
      const code = await runCli([...argv, '--dry-run'], {
        out: (l) => out.push(l),
        err: (l) => out.push(l),
        cwd: dir,
        env: { HOME: dir, OS_CLIENT_CONFIG_FILE: path.join(dir, 'clouds.yaml'), [CLUSTER_ENV]: env[CLUSTER_ENV], OS_CLOUD: env.OS_CLOUD },
      });
      expect(out.join('\n')).toContain('node group gpu; pool $(reboot): would go with the cluster');
      expect(code).toBe(0);
      expect(fake.calls.filter((c) => c.method === 'DELETE')).toEqual([]);
    } finally {
      fake.close();
    }
  });
});
