import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { ImageSource, MagnumPlatform, OpenstackProvider, OsDistro } from '../../../lib';
import { OpenStackClient } from '../../../runtime/openstack';
import { shellQuote } from '../../../scripts/lib/shell-quote';
import { terraformBinary } from '../../../scripts/lib/terraform';
import { e2eClient, e2eOpenrc } from '../../support/e2e-project';

/**
 * `terraform destroy` of platforms the provider cannot delete on its own, with the real
 * terraform-provider-openstack 3.4.0 and the real Magnum: one run, nothing left.
 * - a cluster whose update failed: the provider alone errors on the stale UPDATE_FAILED
 *   it reads right after its delete; ClusterTeardown's `--delete-failed-cluster` leaves it a 404;
 * - node groups with names a shell would split or run (a space, a `;`): the teardown
 *   deletes them first (the provider cannot wait for that on Magnum 15), and no name
 *   passes through the shell that runs the destroy-time command.
 */
jest.setTimeout(1_500_000);

const root = path.join(__dirname, '..', '..', '..');
const tag = `tdf${process.pid}`;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'failed-destroy-'));
const stackDir = path.join(work, 'out', 'stacks', tag);
let client: OpenStackClient;

/** Synthesizes the platform with `nodeCount` workers and these node groups; by default the boot simulator fails every update. */
function synth(nodeCount: number, nodeGroups: string[] = [], labels: Record<string, string> = { devcloud_boot: 'fail-updates' }): void {
  const app = new App({ outdir: path.join(work, 'out') });
  const stack = new TerraformStack(app, tag);
  new LocalBackend(stack, { path: path.join(work, 'terraform.tfstate') });
  new OpenstackProvider(stack, 'openstack', {});
  new NullProvider(stack, 'null', {});
  const image = path.join(work, 'stand-in.qcow2');
  fs.writeFileSync(image, Buffer.alloc(1 << 20)); // Nova's fake driver boots nothing
  const platform = new MagnumPlatform(stack, 'Platform', {
    externalNetwork: {
      name: `${tag}-ext`,
      cidr: '198.51.100.0/24',
      gatewayIp: '198.51.100.1',
      floatingIpRanges: [{ start: '198.51.100.100', end: '198.51.100.150' }],
      physicalNetwork: tag,
    },
    image: { name: tag, osDistro: OsDistro.FEDORA_COREOS, source: ImageSource.fromFile(image) },
    dockerVolumeType: { name: `${tag}-vol` },
    template: { name: tag, flavor: 'm1.small', masterFlavor: 'm1.small', dockerVolumeSizeGiB: 1 },
    cluster: { name: tag, masterCount: 1, nodeCount, labels },
    teardown: { command: `node ${shellQuote(path.join(root, 'dist', 'bin', 'magnum-teardown.js'))}` }, // run by a shell
  });
  nodeGroups.forEach((name, i) => platform.cluster.addNodeGroup(`group${i}`, { name, nodeCount: 1 }));
  app.synth();
}

/** Terraform in the synthesized stack, authenticated from OS_* of the e2e project only. */
function terraform(...args: string[]): { status: number | null; output: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OS_')));
  const run = spawnSync(terraformBinary, [...args, '-input=false', '-no-color'], {
    cwd: stackDir,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 1_200_000,
    env: { ...env, ...e2eOpenrc(), PATH: process.env.PATH },
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

async function ours() {
  const byName = (list: { name: string }[]) => list.filter((x) => x.name.startsWith(tag)).map((x) => x.name);
  return {
    clusters: byName(await client.listClusters()),
    templates: byName((await client.request('container-infra', 'GET', '/clustertemplates')).clustertemplates),
    images: byName((await client.request('image', 'GET', `/v2/images?name=${tag}`)).images),
    networks: byName((await client.request('network', 'GET', `/v2.0/networks?name=${tag}-ext`)).networks),
    volumeTypes: byName((await client.request('block-storage', 'GET', '/types')).volume_types),
  };
}

beforeAll(async () => {
  client = await e2eClient();
});

afterAll(async () => {
  // A failure above may have left the stack. Without the teardown's help the provider fails again while
  // Magnum is still deleting the cluster, so try a few times; say what is left if that does not converge.
  for (let attempt = 1; fs.existsSync(path.join(work, 'terraform.tfstate')); attempt++) {
    const run = terraform('destroy', '-auto-approve');
    if (run.status === 0) break;
    if (attempt === 3) {
      console.error(`cleanup: terraform destroy failed 3 times; state in ${work}\n${run.output.slice(-2000)}`);
      break;
    }
    await new Promise((r) => setTimeout(r, 30_000));
  }
});

test('destroy of a platform whose cluster failed its resize: one run, nothing left', async () => {
  // GIVEN the platform deployed with one worker
  synth(1);
  expect(terraform('init').status).toBe(0);
  const created = terraform('apply', '-auto-approve');
  expect(created.output).toMatch(/Apply complete!/);
  const cluster = (await client.listClusters()).find((c) => c.name.startsWith(tag))!;
  expect(cluster.status).toBe('CREATE_COMPLETE');

  // WHEN the resize to two workers fails on the servers: Terraform reports it, Magnum shows UPDATE_FAILED
  synth(2);
  const resized = terraform('apply', '-auto-approve');
  expect(resized.status).not.toBe(0);
  expect(resized.output).toMatch(/UPDATE_FAILED|error state/);
  expect((await client.getCluster(cluster.uuid))?.status).toBe('UPDATE_FAILED');

  // THEN one destroy removes it all: the teardown deletes the failed cluster, the provider finds it gone
  const destroyed = terraform('destroy', '-auto-approve');
  expect(destroyed.output).toContain(`deleting cluster ${cluster.uuid} (UPDATE_FAILED`);
  expect(destroyed.output).toMatch(/Destroy complete!/);
  expect(destroyed.status).toBe(0);
  expect(await client.getCluster(cluster.uuid)).toBeUndefined();
  expect(await ours()).toEqual({ clusters: [], templates: [], images: [], networks: [], volumeTypes: [] });
});

test('destroy of a platform whose node groups are named "gpu; pool" and "infra $(reboot)": one run, nothing left', async () => {
  // GIVEN a healthy platform with two node groups Magnum accepts under names a shell would split or run
  const groups = ['gpu; pool', 'infra $(reboot)'];
  synth(1, groups, {});
  expect(terraform('init').status).toBe(0);
  const created = terraform('apply', '-auto-approve');
  expect(created.output).toMatch(/Apply complete!/);
  const cluster = (await client.listClusters()).find((c) => c.name.startsWith(tag))!;
  expect(
    (await client.listNodeGroups(cluster.uuid))
      .filter((g) => !g.isDefault)
      .map((g) => g.name)
      .sort(),
  ).toEqual(groups);

  // WHEN it is destroyed
  const destroyed = terraform('destroy', '-auto-approve');

  // THEN the teardown deleted both groups by what Magnum listed, and Terraform finished in one run
  expect(destroyed.output).toContain('deleted node group gpu; pool');
  expect(destroyed.output).toContain('deleted node group infra $(reboot)');
  expect(destroyed.output).toMatch(/Destroy complete!/);
  expect(destroyed.status).toBe(0);
  expect(await client.getCluster(cluster.uuid)).toBeUndefined();
  expect(await ours()).toEqual({ clusters: [], templates: [], images: [], networks: [], volumeTypes: [] });
});
