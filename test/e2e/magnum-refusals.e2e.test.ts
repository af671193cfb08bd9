import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ClusterTemplate, ImageSource, MagnumImage, MagnumImageProps, MagnumServiceRequirements, OsDistro } from '../../lib';
import { OpenStackClient } from '../../runtime/openstack';
import { devcloudClient } from '../../devcloud';
import { givenPlatformParts, givenStack } from '../support/fixtures';

/**
 * Failures the library moves to synth time, shown on the real Magnum of the local cloud:
 * - a template whose image lacks `os_distro` is refused with "Cluster type (vm, None,
 *   kubernetes) not supported", and the same template with the property is accepted;
 * - with `[trust] cluster_user_trust` off (Kolla-Ansible's default), a cluster on a template
 *   with the cloud provider on is accepted (202) and then fails in the conductor, before Heat
 *   is asked for anything: the cloud provider would have no trust to authenticate with.
 * The library refuses both before any API call, quoting what Magnum answers.
 */
jest.setTimeout(420_000);

const root = path.join(__dirname, '..', '..');
const tag = `refusal${process.pid}`;
const MAGNUM_REFUSAL = 'Cluster type (vm, None, kubernetes) not supported';
/** magnum/drivers/heat/k8s_fedora_template_def.py (Zed): the status_reason of such a cluster. */
const TRUST_REFUSAL = '"cluster_user_trust" must be set to True in magnum.conf when "cloud_provider_enabled" label is set to true.';
let os: OpenStackClient;
let external = '';
const images: string[] = [];
const templates: string[] = [];
const clusters: string[] = [];

async function image(properties: Record<string, string>): Promise<string> {
  const { id } = await os.request('image', 'POST', '/v2/images', {
    name: `${tag}-${images.length}`,
    disk_format: 'qcow2',
    container_format: 'bare',
    ...properties,
  });
  images.push(id);
  return id;
}

/** The fields this test reads of a cluster template Magnum created. */
interface TemplateBody {
  readonly uuid: string;
  readonly cluster_distro: string;
}

/** What Magnum answers to a template of the all-in-one kind on `imageId`: the template it created, or its error message. */
async function createTemplate(imageId: string): Promise<{ status: number; body: TemplateBody | string }> {
  try {
    const body = await os.request<TemplateBody>('container-infra', 'POST', '/clustertemplates', {
      name: `${tag}-${templates.length}`,
      image_id: imageId,
      coe: 'kubernetes',
      flavor_id: 'm1.small',
      master_flavor_id: 'm1.small',
      external_network_id: external,
      master_lb_enabled: true,
      floating_ip_enabled: true,
      labels: { cloud_provider_enabled: 'true' },
    });
    templates.push(body.uuid);
    return { status: 201, body };
  } catch (error) {
    const e = error as { status?: number; message: string };
    return { status: e.status ?? 0, body: e.message };
  }
}

beforeAll(async () => {
  os = await devcloudClient();
  external = (
    await os.request('network', 'POST', '/v2.0/networks', {
      network: {
        name: `${tag}-ext`,
        'router:external': true,
        'provider:network_type': 'flat',
        'provider:physical_network': tag,
      },
    })
  ).network.id;
});

/** The fields this test reads of a cluster. */
interface ClusterBody {
  readonly status: string;
  readonly status_reason: string | null;
  readonly stack_id: string | null;
}

/** The cluster once Magnum has stopped working on it (or `undefined` once it is gone). */
async function settled(uuid: string, timeoutSeconds: number): Promise<ClusterBody | undefined> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    let cluster: ClusterBody;
    try {
      cluster = await os.request<ClusterBody>('container-infra', 'GET', `/clusters/${uuid}`);
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined;
      throw error;
    }
    if (!cluster.status.endsWith('_IN_PROGRESS')) return cluster;
    if (Date.now() > deadline) throw new Error(`cluster ${uuid} still ${cluster.status} after ${timeoutSeconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

/**
 * Brings the local cloud's Magnum up with `[trust] cluster_user_trust` set as given (up.sh restarts
 * magnum-api and magnum-conductor when magnum.conf changes; an up.sh without the variable sets it back).
 */
function magnumWithClusterUserTrust(on: boolean): void {
  const run = spawnSync('bash', [path.join(root, 'devcloud', 'up.sh')], {
    encoding: 'utf8',
    env: { ...process.env, DEVCLOUD_CLUSTER_USER_TRUST: on ? 'True' : 'False' },
  });
  if (run.status !== 0) throw new Error(`devcloud/up.sh failed (${run.status}): ${run.stderr.slice(-2000)}`);
}

afterAll(async () => {
  if (!os) return;
  for (const uuid of clusters) {
    await os.request('container-infra', 'DELETE', `/clusters/${uuid}`).catch(() => undefined);
    // Gone, not only settled: right after the DELETE it still shows CREATE_FAILED, and its template stays referenced.
    const deadline = Date.now() + 180_000;
    while ((await settled(uuid, 180).catch(() => undefined)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  for (const id of templates) await os.request('container-infra', 'DELETE', `/clustertemplates/${id}`).catch(() => undefined);
  for (const id of images) await os.request('image', 'DELETE', `/v2/images/${id}`).catch(() => undefined);
  if (external) await os.request('network', 'DELETE', `/v2.0/networks/${external}`).catch(() => undefined);
});

test('the real Magnum refuses a template whose image lacks os_distro, and accepts it with the property', async () => {
  const refused = await createTemplate(await image({}));
  expect(refused.status).toBe(400);
  expect(refused.body).toContain(MAGNUM_REFUSAL);

  const accepted = await createTemplate(await image({ os_distro: OsDistro.FEDORA_COREOS }));
  expect(accepted.status).toBe(201);
  expect(accepted.body).toMatchObject({ cluster_distro: 'fedora-coreos' });
});

test('the library refuses the same image at synth, quoting what Magnum would answer', () => {
  const stack = givenStack();
  expect(() => new MagnumImage(stack, 'fcos', { source: ImageSource.fromFile('fcos.qcow2') } as MagnumImageProps)).toThrow(
    `osDistro = (not set): is not an os_distro Magnum knows; Magnum would refuse every template with "${MAGNUM_REFUSAL}"`,
  );
});

describe('with [trust] cluster_user_trust off in magnum.conf', () => {
  beforeAll(() => magnumWithClusterUserTrust(false));
  afterAll(() => magnumWithClusterUserTrust(true));

  test('the real Magnum accepts a cluster with the cloud provider on, then fails it before Heat makes anything', async () => {
    // GIVEN a template with cloud_provider_enabled=true, which Magnum accepts whatever the setting
    const template = await createTemplate(await image({ os_distro: OsDistro.FEDORA_COREOS }));
    expect(template.status).toBe(201);
    // (another checkout's `devcloud/up.sh` would have turned the setting back on)
    expect(fs.readFileSync('/etc/magnum/magnum.conf', 'utf8')).toMatch(/^cluster_user_trust = False$/m);
    // WHEN a cluster is made on it
    const { uuid } = await os.request<{ uuid: string }>('container-infra', 'POST', '/clusters', {
      name: `${tag}-trust`,
      cluster_template_id: (template.body as TemplateBody).uuid,
      master_count: 1,
      node_count: 1,
    });
    clusters.push(uuid);
    // THEN the conductor fails it with the reason the library quotes, and no Heat stack exists
    const cluster = await settled(uuid, 180);
    expect({ status: cluster?.status, reason: cluster?.status_reason, stack: cluster?.stack_id ?? null }).toEqual({
      status: 'CREATE_FAILED',
      reason: TRUST_REFUSAL,
      stack: null,
    });
  });
});

test('the library refuses that template at synth when the service requirements say cluster_user_trust is off, quoting Magnum', () => {
  const stack = givenStack();
  const { image, external } = givenPlatformParts(stack);
  const serviceRequirements = new MagnumServiceRequirements(stack, 'service', { clusterUserTrust: false });
  // (the library's message goes on after the quote, so it quotes it without Magnum's full stop)
  expect(() => new ClusterTemplate(stack, 'tpl', { image, externalNetwork: external, serviceRequirements })).toThrow(
    `every cluster would fail with ${TRUST_REFUSAL.replace(/\.$/, '')}`,
  );
});
