import { spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { stringify } from 'yaml';
import { OpenStackClient, resolveCloud, statusOf } from '../../runtime/openstack';
import { devcloudClient, devcloudEnv, serviceLoadBalancer } from '../../devcloud';
import { terraformBinary } from '../../scripts/lib/terraform';
import { E2eStack, NOTHING_OURS, smallPlatform } from '../support/e2e-stack';

/**
 * Credentials gone bad at destroy, with the real Keystone, terraform-provider-openstack 3.4.0
 * and the teardown CLI, both authenticating with one clouds.yaml entry of a user and project
 * of this test's own (the devcloud admin's password and roles are never touched: other tests
 * use them). For each fault (the password changed, the role on the project removed, Keystone
 * unreachable: auth_url on a loopback port where nothing listens, so Keystone itself keeps
 * serving the other tests), `terraform destroy` fails and deletes nothing:
 * - as run, the provider fails first, when it refreshes (it authenticates before any delete);
 * - with `-refresh=false` the teardown runs first and fails closed with its one line naming
 *   the entry, its file, what failed and the fix; the provider deletes nothing after it.
 * No output holds a password or a token. Once the credentials are fixed, one destroy removes
 * everything, the cloud-provider resources included.
 */
jest.setTimeout(900_000);

const tag = `badcred${process.pid}`;
const entry = `${tag}-cloud`;
const stack = new E2eStack(tag);
const cloudsFile = path.join(stack.work, 'clouds.yaml');
const devcloud = resolveCloud(devcloudEnv.OS_CLOUD, { ...process.env, ...devcloudEnv });
const passwords = { first: `pw-${randomBytes(12).toString('hex')}`, changed: `pw-${randomBytes(12).toString('hex')}` };
/** Every secret that must never show: the test user's passwords, old and new, and the devcloud admin's. */
const secrets = [passwords.first, passwords.changed, devcloud.password!];

let admin: OpenStackClient;
let ids: { project: string; user: string; role: string };
/** What the clouds.yaml entry says now. */
let auth = { auth_url: devcloud.authUrl, password: passwords.first };
/** The OpenStack resources of the state, and what the cloud provider made, read back by id as admin. */
let inventory: { label: string; service: string; path: string }[] = [];
/** What each run took and printed first, logged at the end (the README's numbers). */
const timings: string[] = [];

/** Writes the test's clouds.yaml: one entry, the user and project of this test. */
function writeClouds(): void {
  const { auth_url, password } = auth;
  const cloud = { auth: { auth_url, username: tag, password, project_name: tag, user_domain_name: 'Default', project_domain_name: 'Default' } };
  fs.writeFileSync(cloudsFile, stringify({ clouds: { [entry]: { ...cloud, region_name: devcloud.regionName, interface: 'public' } } }), { mode: 0o600 });
}

/** Terraform in the stack, authenticated by the test's clouds.yaml entry only (OS_CLIENT_CONFIG_FILE + OS_CLOUD). */
function terraform(label: string, ...args: string[]): { status: number | null; output: string } {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OS_')));
  const [command, ...rest] = args;
  const started = Date.now();
  const run = spawnSync(terraformBinary, [command, '-input=false', '-no-color', ...rest], {
    cwd: stack.dir,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 900_000,
    env: { ...inherited, HOME: stack.work, OS_CLIENT_CONFIG_FILE: cloudsFile, OS_CLOUD: entry },
  });
  timings.push(`${label}: terraform ${args.join(' ')}: exit ${run.status}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** A client of the test's user, through its clouds.yaml entry. */
const userClient = () => OpenStackClient.connect(resolveCloud(entry, { HOME: stack.work, OS_CLIENT_CONFIG_FILE: cloudsFile }, stack.work));

/** Where each OpenStack resource type of the state is read back by id. */
const READERS: Record<string, (id: string) => { service: string; path: string }> = {
  openstack_networking_network_v2: (id) => ({ service: 'network', path: `/v2.0/networks/${id}` }),
  openstack_networking_subnet_v2: (id) => ({ service: 'network', path: `/v2.0/subnets/${id}` }),
  openstack_images_image_v2: (id) => ({ service: 'image', path: `/v2/images/${id}` }),
  openstack_blockstorage_volume_type_v3: (id) => ({ service: 'block-storage', path: `/types/${id}` }),
  openstack_containerinfra_clustertemplate_v1: (id) => ({ service: 'container-infra', path: `/clustertemplates/${id}` }),
  openstack_containerinfra_cluster_v1: (id) => ({ service: 'container-infra', path: `/clusters/${id}` }),
};

/** The OpenStack resources Terraform holds, with their readers; a type this test cannot read back fails it. */
function stateResources(): { label: string; service: string; path: string }[] {
  const state = JSON.parse(fs.readFileSync(path.join(stack.work, 'terraform.tfstate'), 'utf8'));
  return state.resources
    .filter((r: { type: string }) => r.type.startsWith('openstack_'))
    .flatMap((r: { type: string; name: string; instances: { attributes: { id: string } }[] }) => {
      const reader = READERS[r.type];
      if (!reader) throw new Error(`no reader for ${r.type}: add one to READERS`);
      return r.instances.map((i) => ({ label: `${r.type}.${r.name}`, ...reader(i.attributes.id) }));
    });
}

/** What of the inventory still exists, read as admin (a load balancer being deleted counts as gone). */
async function existing(): Promise<string[]> {
  const found = await Promise.all(
    inventory.map(async (r) => {
      try {
        const body = await admin.request(r.service, 'GET', r.path);
        return body?.loadbalancer?.provisioning_status === 'DELETED' ? undefined : r.label;
      } catch (e) {
        if (statusOf(e) === 404) return undefined;
        throw e;
      }
    }),
  );
  return found.filter((x): x is string => !!x);
}

/** A loopback port where nothing listens. */
function deadPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** No password and no Keystone token (Fernet tokens begin `gAAAAA`) in an output. */
function expectNoSecret(output: string): void {
  for (const secret of secrets) expect(output).not.toContain(secret);
  expect(output).not.toMatch(/gAAAAA[\w-]{20,}/);
}

/** The teardown's lines in Terraform's output, without Terraform's prefix. */
const teardownLines = (output: string) =>
  output
    .split('\n')
    .filter((l) => /^null_resource\.\S+ \(local-exec\): /.test(l))
    .map((l) => l.replace(/^null_resource\.\S+ \(local-exec\): /, ''));

beforeAll(async () => {
  // A user and project of the test's own, admin in it (the platform makes an external network and a volume type).
  admin = await devcloudClient();
  const project = (
    await admin.request('identity', 'POST', '/projects', { project: { name: tag, domain_id: 'default', description: 'magnum-cdktf bad-credentials e2e' } })
  ).project.id;
  const user = (
    await admin.request('identity', 'POST', '/users', { user: { name: tag, domain_id: 'default', password: passwords.first, default_project_id: project } })
  ).user.id;
  const role = (await admin.request('identity', 'GET', '/roles?name=admin')).roles[0].id;
  await admin.request('identity', 'PUT', `/projects/${project}/users/${user}/roles/${role}`);
  ids = { project, user, role };
  writeClouds();

  // The teardown e2e tests' platform, its teardown told the entry by name
  stack.synth((s) => smallPlatform(s, stack, { nodeCount: 1 }, { cloudName: entry }));
  expect(terraform('deploy', 'init').status).toBe(0);
  const applied = terraform('deploy', 'apply', '-auto-approve');
  expect(applied.output).toMatch(/Apply complete!/);

  // What Kubernetes' cloud provider would have made for the cluster: a Service LB with its floating IP, and its security group
  const me = await userClient();
  const cluster = (await me.listClusters()).find((c) => c.name === tag)!;
  expect(cluster.status).toBe('CREATE_COMPLETE');
  const { resources } = await me.request('orchestration', 'GET', `/stacks/${cluster.stackId}/resources?nested_depth=2`);
  const subnetId: string = resources.find((r: { resource_type: string }) => /Neutron::Subnet$/.test(r.resource_type)).physical_resource_id;
  const { subnet } = await me.request('network', 'GET', `/v2.0/subnets/${subnetId}`);
  const external: string = (await me.request('network', 'GET', `/v2.0/networks?name=${tag}-ext`)).networks[0].id;
  const { lb, fip } = await serviceLoadBalancer(me, cluster.uuid, 'web', { external, subnet: subnetId, memberAddress: subnet.allocation_pools[0].end });
  const sg = (
    await me.request('network', 'POST', '/v2.0/security-groups', {
      security_group: { name: `lb-sg-${tag}-default-web`, description: `Security Group for default/web Service LoadBalancer in cluster ${cluster.uuid}` },
    })
  ).security_group.id;
  inventory = [
    ...stateResources(),
    { label: `loadbalancer ${lb}`, service: 'load-balancer', path: `/v2/lbaas/loadbalancers/${lb}` },
    { label: `floatingip ${fip}`, service: 'network', path: `/v2.0/floatingips/${fip}` },
    { label: `security group ${sg}`, service: 'network', path: `/v2.0/security-groups/${sg}` },
  ];
  expect(inventory.map((r) => r.label)).toEqual(
    expect.arrayContaining(
      [/^openstack_containerinfra_cluster_v1\./, /^openstack_networking_network_v2\./, /^loadbalancer /].map((re) => expect.stringMatching(re)),
    ),
  );
  expect(await existing()).toEqual(inventory.map((r) => r.label));
});

afterAll(async () => {
  console.log(timings.join('\n'));
  if (!ids) return;
  // Whatever a failure left: the credentials as they should be (the entry's password the user's), destroy, then the user and project.
  await admin.request('identity', 'PATCH', `/users/${ids.user}`, { user: { password: auth.password } }).catch(() => undefined);
  await admin.request('identity', 'PUT', `/projects/${ids.project}/users/${ids.user}/roles/${ids.role}`).catch(() => undefined);
  auth = { auth_url: devcloud.authUrl, password: auth.password };
  writeClouds();
  const statePath = path.join(stack.work, 'terraform.tfstate');
  const left = () => fs.existsSync(statePath) && JSON.parse(fs.readFileSync(statePath, 'utf8')).resources.length > 0;
  for (let attempt = 1; left(); attempt++) {
    if (attempt > 3) {
      console.error(`cleanup: destroy failed 3 times; left user and project ${tag}, state and clouds.yaml in ${stack.work}`);
      return;
    }
    if (terraform('cleanup', 'destroy', '-auto-approve').status !== 0) await new Promise((r) => setTimeout(r, 30_000));
  }
  // Neutron makes a project's default security group on first use and never deletes it.
  const { security_groups } = await admin.request('network', 'GET', `/v2.0/security-groups?project_id=${ids.project}`);
  for (const g of security_groups) await admin.request('network', 'DELETE', `/v2.0/security-groups/${g.id}`).catch(() => undefined);
  await admin.request('identity', 'DELETE', `/users/${ids.user}`);
  await admin.request('identity', 'DELETE', `/projects/${ids.project}`);
  fs.rmSync(cloudsFile, { force: true }); // it holds the password
});

/** A fault: how to make it, the provider's error at refresh, the teardown's line (`FILE`, `ENTRY`, `USER`, `PORT` filled in), and the fix. */
interface Fault {
  readonly name: string;
  readonly make: () => Promise<void>;
  readonly providerError: RegExp;
  readonly teardownLine: string;
  readonly fix: () => Promise<void>;
}

let port = 0;
const FAULTS: Fault[] = [
  {
    name: 'the password changed',
    make: async () => {
      await admin.request('identity', 'PATCH', `/users/${ids.user}`, { user: { password: passwords.changed } });
    },
    providerError:
      /Error creating OpenStack [\w ]+ client: Expected HTTP response code \[201 202\] when accessing \[POST http:\/\/\S+\/v3\/auth\/tokens\], but got 401 instead/,
    teardownLine:
      'magnum-cdktf-teardown: authentication failed for FILE (cloud "ENTRY"): Keystone at KEYSTONE refused the password of user "USER" (HTTP 401): ' +
      'it is wrong or was changed, or the user is gone or disabled, so nothing was deleted. ' +
      `Fix: update auth.password of cloud "ENTRY" in FILE to the user's current password, then run it again.`,
    // The user's fix: the new password into clouds.yaml.
    fix: async () => {
      auth = { ...auth, password: passwords.changed };
      writeClouds();
    },
  },
  {
    name: "the user's role on the project removed",
    make: async () => {
      await admin.request('identity', 'DELETE', `/projects/${ids.project}/users/${ids.user}/roles/${ids.role}`);
    },
    providerError:
      /Error creating OpenStack [\w ]+ client: Expected HTTP response code \[201 202\] when accessing \[POST http:\/\/\S+\/v3\/auth\/tokens\], but got 401 instead/,
    teardownLine:
      'magnum-cdktf-teardown: authentication failed for FILE (cloud "ENTRY"): user "USER" has no role on project "USER" (or it is gone or disabled): ' +
      'Keystone at KEYSTONE accepted the password but refused the project (HTTP 401); it has a role on no project, so nothing was deleted. ' +
      'Fix: grant the user a role on project "USER" (openstack role add --user USER --project USER member), ' +
      'or set auth.project_name of cloud "ENTRY" in FILE to one it has a role on, then run it again.',
    fix: async () => {
      await admin.request('identity', 'PUT', `/projects/${ids.project}/users/${ids.user}/roles/${ids.role}`);
    },
  },
  {
    name: 'Keystone unreachable (auth_url on a loopback port where nothing listens)',
    make: async () => {
      port = await deadPort();
      auth = { ...auth, auth_url: `http://127.0.0.1:${port}/v3` };
      writeClouds();
    },
    providerError:
      /Post "http:\/\/127\.0\.0\.1:\d+\/v3\/auth\/tokens": OpenStack connection error, retries exhausted\. Aborting\. Last error was: dial tcp 127\.0\.0\.1:\d+: connect: connection refused/,
    teardownLine:
      'magnum-cdktf-teardown: authentication failed for FILE (cloud "ENTRY"): Keystone is unreachable at http://127.0.0.1:PORT/v3 (connection refused, 4 tries), ' +
      'so nothing was deleted. Fix: start Keystone, or correct auth.auth_url of cloud "ENTRY" in FILE, then run it again.',
    fix: async () => {
      auth = { ...auth, auth_url: devcloud.authUrl };
      writeClouds();
    },
  },
];

describe.each(FAULTS.map((f) => [f.name, f] as const))('%s', (_, fault) => {
  test('terraform destroy fails closed: nothing deleted, no secret; the teardown, when it runs first, names the entry and the fix', async () => {
    // GIVEN the deployed platform, and the fault
    await fault.make();
    try {
      // WHEN destroyed as usual: the provider refreshes first and fails to authenticate
      const plain = terraform(fault.name, 'destroy', '-auto-approve');
      // THEN it stops before anything is deleted, with the provider's error; the teardown never ran
      expect(plain.status).not.toBe(0);
      expect(plain.output).toMatch(fault.providerError);
      timings.push(`  first error: ${plain.output.split('\n').find((l) => l.startsWith('Error: '))}`);
      expect(plain.output).not.toMatch(/Destroying\.\.\.|Destruction complete/);
      expectNoSecret(plain.output);
      expect(await existing()).toEqual(inventory.map((r) => r.label));

      // WHEN destroyed without a refresh: the teardown runs before the provider deletes anything
      const unrefreshed = terraform(fault.name, 'destroy', '-auto-approve', '-refresh=false');
      // THEN the teardown fails with its one line, Terraform stops, and every resource is still there
      expect(unrefreshed.status).not.toBe(0);
      const line = fault.teardownLine
        .replace(/FILE/g, cloudsFile)
        .replace(/ENTRY/g, entry)
        .replace(/USER/g, tag)
        .replace(/KEYSTONE/g, devcloud.authUrl)
        .replace(/PORT/g, String(port));
      timings.push(...teardownLines(unrefreshed.output).map((l) => `  teardown: ${l}`));
      expect(teardownLines(unrefreshed.output)).toContain(line);
      expect(teardownLines(unrefreshed.output).filter((l) => l.startsWith('magnum-cdktf-teardown:'))).toEqual([line]);
      expect(unrefreshed.output).toMatch(/Error: local-exec provisioner error/);
      expect(unrefreshed.output).not.toMatch(/openstack_\S+: Destroying\.\.\.|openstack_\S+: Destruction complete/);
      expectNoSecret(unrefreshed.output);
      expect(await existing()).toEqual(inventory.map((r) => r.label));
    } finally {
      await fault.fix();
    }
  });
});

test('credentials fixed: one destroy removes everything, the cloud-provider resources included', async () => {
  // GIVEN the credentials as the entry's user has them now (the changed password), the role back, Keystone's URL
  expect(await existing()).toEqual(inventory.map((r) => r.label));
  // WHEN destroyed once
  const destroyed = terraform('fixed', 'destroy', '-auto-approve');
  // THEN the teardown deleted the cloud provider's resources, and Terraform the rest
  expect(destroyed.output).toMatch(/Destroy complete!/);
  expect(destroyed.status).toBe(0);
  expect(destroyed.output).toMatch(/\(local-exec\): cluster \S+: deleted 3, failed 0, interrupted 0, nothing left/);
  expectNoSecret(destroyed.output);
  expect(await existing()).toEqual([]);
  // AND nothing with the test's tag or in its project is listed any more
  expect(await stack.ours(await userClient())).toEqual(NOTHING_OURS);
  const inProject = async (service: string, p: string, key: string) =>
    ((await admin.request(service, 'GET', `${p}project_id=${ids.project}`))[key] as { id: string; name?: string }[]).filter((x) => x.name !== 'default');
  expect({
    loadbalancers: await inProject('load-balancer', '/v2/lbaas/loadbalancers?', 'loadbalancers'),
    floatingips: await inProject('network', '/v2.0/floatingips?', 'floatingips'),
    securityGroups: await inProject('network', '/v2.0/security-groups?', 'security_groups'),
    networks: await inProject('network', '/v2.0/networks?', 'networks'),
    routers: await inProject('network', '/v2.0/routers?', 'routers'),
    volumes: await inProject('block-storage', '/volumes?all_tenants=1&', 'volumes'),
  }).toEqual({ loadbalancers: [], floatingips: [], securityGroups: [], networks: [], routers: [], volumes: [] });
});
