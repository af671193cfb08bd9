import { ImageSource, MagnumImage, MagnumImageProps, OsDistro } from '../../lib';
import { OpenStackClient } from '../../runtime/openstack';
import { devcloudClient } from '../../devcloud';
import { givenStack } from '../support/fixtures';

/**
 * The failure MagnumImage exists to move to synth time, shown on the real Magnum of
 * the local cloud: a template whose image lacks `os_distro` is refused with
 * "Cluster type (vm, None, kubernetes) not supported", and the same template with
 * the property is accepted. The library refuses the first case before any API call.
 */
jest.setTimeout(300_000);

const tag = `refusal${process.pid}`;
const MAGNUM_REFUSAL = 'Cluster type (vm, None, kubernetes) not supported';
let os: OpenStackClient;
let external = '';
const images: string[] = [];
const templates: string[] = [];

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

afterAll(async () => {
  if (!os) return;
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
