import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { descriptionHasMark, ownerMark } from '../../../runtime/owner-mark';
import type { Cluster, NamedObject, OpenStackClient, RouterInterface } from '../../../runtime/openstack';
import {
  findUnsaved,
  looksUp,
  IMAGE,
  NETWORK,
  ROUTER,
  ROUTER_INTERFACE,
  StackJson,
  StateJson,
  SUBNET,
  TEMPLATE,
  VOLUME_TYPE,
} from '../../../scripts/lib/unsaved-objects';
import { importCommand } from '../../../scripts/lib/terraform-state';
import { addExampleStacks } from '../../../stacks';

const PROJECT = 'p-ours';
const DIR = 'cdktf.out/stacks/s';
/** The last deploy from this checkout began here (scripts/lib/run-journal.ts): the objects below, without a time or later, are its. */
const RUN_START = Date.parse('2026-12-03T06:00:00Z');
const DEPLOY = { stackDir: DIR, command: 'deploy', madeSince: RUN_START } as const;
const DESTROY = { stackDir: DIR, command: 'destroy', madeSince: RUN_START } as const;

/** A configuration as cdktf writes it: each resource with its construct path. */
function resource(path: string, body: Record<string, unknown>) {
  return { '//': { metadata: { path } }, ...body };
}
const ref = (type: string, name: string) => `\${${type}.${name}.id}`;

const STACK: StackJson = {
  resource: {
    [NETWORK]: { Net: resource('s/Net/Resource', { name: 'k8s-net' }), Ext: resource('s/Ext/Resource', { name: 'public1' }) },
    [SUBNET]: { Sub: resource('s/Net/Subnet', { name: 'k8s-net-subnet', network_id: ref(NETWORK, 'Net') }) },
    [ROUTER]: { Rtr: resource('s/Net/Router', { name: 'k8s-net-router' }) },
    [ROUTER_INTERFACE]: { If: resource('s/Net/RouterInterface', { router_id: ref(ROUTER, 'Rtr'), subnet_id: ref(SUBNET, 'Sub') }) },
    [VOLUME_TYPE]: { Vt: resource('s/Vt/Resource', { name: 'ssdvolume' }) },
    [IMAGE]: { Img: resource('s/Image/Resource', { name: 'fcos' }) },
    [TEMPLATE]: { Tpl: resource('s/Template/Resource', { name: 'k8s-1a2b3c4d', image: ref(IMAGE, 'Img'), external_network_id: ref(NETWORK, 'Ext') }) },
    openstack_containerinfra_cluster_v1: { K8s: resource('s/Cluster/Resource', { name: 'k8s', cluster_template_id: ref(TEMPLATE, 'Tpl') }) },
  },
};
const mark = (path: string) => ownerMark(path);

/** What the cloud holds, and the calls made to it. */
interface Cloud {
  networks?: NamedObject[];
  subnets?: (NamedObject & { networkId: string })[];
  routers?: NamedObject[];
  interfaces?: Record<string, RouterInterface[]>;
  types?: NamedObject[];
  images?: NamedObject[];
  templates?: NamedObject[];
  clusters?: Cluster[];
  /** Volumes by type name. */
  volumesOfType?: Record<string, number>;
  /** API paths that answer 404. */
  gone?: string[];
}
function givenCloud(cloud: Cloud): { client: OpenStackClient; calls: string[] } {
  const calls: string[] = [];
  const named = (list: NamedObject[] | undefined, name: string) => (list ?? []).filter((o) => o.name === name);
  const client = {
    session: { projectId: PROJECT },
    listNetworks: async (f: { name: string; projectId?: string }) => (
      calls.push(`networks ${f.name}`),
      named(cloud.networks, f.name).filter((n) => n.projectId === f.projectId)
    ),
    listSubnets: async (f: { name: string; networkId: string }) => (
      calls.push(`subnets ${f.name}`),
      (cloud.subnets ?? []).filter((s) => s.name === f.name && s.networkId === f.networkId)
    ),
    listRouters: async (f: { name: string; projectId?: string }) => (
      calls.push(`routers ${f.name}`),
      named(cloud.routers, f.name).filter((n) => n.projectId === f.projectId)
    ),
    listRouterInterfaces: async (routerId: string) => (calls.push(`interfaces ${routerId}`), cloud.interfaces?.[routerId] ?? []),
    listVolumeTypes: async () => (calls.push('types'), cloud.types ?? []),
    listImages: async (f: { name: string }) => (calls.push(`images ${f.name}`), named(cloud.images, f.name)),
    listClusterTemplates: async () => (calls.push('templates'), cloud.templates ?? []),
    listClusterDetails: async () => (calls.push('clusters'), cloud.clusters ?? []),
    countVolumesOfType: async (name: string) => cloud.volumesOfType?.[name] ?? 0,
    exists: async (_service: string, path: string) => !(cloud.gone ?? []).includes(path),
  };
  return { client: client as unknown as OpenStackClient, calls };
}

const saved = (type: string, name: string, id: string, deposed?: string) => ({ mode: 'managed', type, name, instances: [{ attributes: { id }, deposed }] });
const cluster = (uuid: string, over: Partial<Cluster> = {}): Cluster => ({
  uuid,
  name: 'k8s',
  status: 'CREATE_IN_PROGRESS',
  projectId: PROJECT,
  templateId: 'tpl-1',
  ...over,
});

describe('objects a killed run created that the state lacks (scripts/lib/unsaved-objects.ts)', () => {
  test('GIVEN a first deploy killed after the network, subnet, router and interface WHEN found THEN each is adopted, the children through their adopted parents', async () => {
    const { client } = givenCloud({
      networks: [
        { id: 'net-1', name: 'k8s-net', description: mark('s/Net/Resource'), projectId: PROJECT },
        // Kolla's init-runonce made one by hand: same name, no mark.
        { id: 'kolla-public1', name: 'public1', description: '', projectId: PROJECT },
      ],
      subnets: [{ id: 'sub-1', name: 'k8s-net-subnet', description: mark('s/Net/Subnet'), networkId: 'net-1' }],
      routers: [{ id: 'rtr-1', name: 'k8s-net-router', description: mark('s/Net/Router'), projectId: PROJECT }],
      interfaces: {
        'rtr-1': [
          { portId: 'port-other', subnetIds: ['sub-other'] },
          { portId: 'port-1', subnetIds: ['sub-1'] },
        ],
      },
    });
    const findings = await findUnsaved(client, STACK, {}, DEPLOY);
    expect(findings.map((f) => [f.action, 'address' in f ? f.address : '', f.action === 'adopt' ? f.importId : ''])).toEqual([
      ['adopt', `${NETWORK}.Net`, 'net-1'],
      ['adopt', `${SUBNET}.Sub`, 'sub-1'],
      ['adopt', `${ROUTER}.Rtr`, 'rtr-1'],
      ['adopt', `${ROUTER_INTERFACE}.If`, 'port-1'],
    ]);
    expect(findings[0].line).toBe(
      `s/Net/Resource: network "k8s-net" (net-1) is this stack's and not in its state (a killed run's): adopting it as ${NETWORK}.Net`,
    );
  });

  test("an object of the name with another resource's mark, or in another project, is not this resource's", async () => {
    const { client } = givenCloud({
      networks: [
        { id: 'n-a', name: 'k8s-net', description: mark('other-stack/Net/Resource'), projectId: PROJECT },
        { id: 'n-b', name: 'k8s-net', description: mark('s/Net/Resource'), projectId: 'p-theirs' },
        { id: 'n-c', name: 'k8s-net', description: `made by hand, not ${mark('s/Net/Resource')} at the end`, projectId: PROJECT },
      ],
      images: [{ id: 'img-theirs', name: 'fcos', tags: [mark('s/Image/Resource')], projectId: 'p-theirs' }],
    });
    expect(await findUnsaved(client, STACK, {}, DEPLOY)).toEqual([]);
  });

  test('what the state holds, current or deposed, is not adopted again', async () => {
    const state: StateJson = {
      resources: [saved(NETWORK, 'Net', 'net-1'), saved(IMAGE, 'Img', 'img-2'), saved(IMAGE, 'Img', 'img-deposed', 'd1')],
    };
    const { client } = givenCloud({
      networks: [{ id: 'net-1', name: 'k8s-net', description: mark('s/Net/Resource'), projectId: PROJECT }],
      images: [
        { id: 'img-2', name: 'fcos', tags: [mark('s/Image/Resource')], projectId: PROJECT },
        { id: 'img-deposed', name: 'fcos', tags: [mark('s/Image/Resource')], projectId: PROJECT },
      ],
    });
    expect(await findUnsaved(client, STACK, state, DEPLOY)).toEqual([]);
  });

  test("a killed replacement: the stack's object in the place of a gone one is adopted there; one beside an existing one is only told", async () => {
    const state: StateJson = { resources: [saved(IMAGE, 'Img', 'img-gone'), saved(NETWORK, 'Net', 'net-1')] };
    const { client } = givenCloud({
      images: [{ id: 'img-new', name: 'fcos', tags: [mark('s/Image/Resource')], projectId: PROJECT, status: 'active' }],
      networks: [{ id: 'net-2', name: 'k8s-net', description: mark('s/Net/Resource'), projectId: PROJECT }],
      // Gone is what the API says, not what a list by name shows: a replacement may rename (a template's settings digest).
      gone: ['/v2/images/img-gone'],
    });
    expect(await findUnsaved(client, STACK, state, DEPLOY)).toEqual([
      {
        action: 'note',
        line: `s/Net/Resource: network "k8s-net" (net-2) bears this stack's mark but is not in its state, beside net-1: a killed replacement's leftover, unless another state of this stack manages it; if none does: openstack network delete net-2`,
      },
      {
        action: 'adopt',
        address: `${IMAGE}.Img`,
        importId: 'img-new',
        staleId: 'img-gone',
        line: `s/Image/Resource: image "fcos" (img-new) is this stack's, and the one its state holds (img-gone) is gone (a killed replacement's): adopting it as ${IMAGE}.Img in its place (the plan replaces it, uploading the file again: provider 3.4.0 does not read an image source back)`,
      },
    ]);
  });

  test("a volume type with the mark but in use was made by no killed run (volume types are the cloud's, not a project's): refused, not adopted", async () => {
    const { client } = givenCloud({ types: [{ id: 'vt-1', name: 'ssdvolume', description: mark('s/Vt/Resource') }], volumesOfType: { ssdvolume: 2 } });
    const findings = await findUnsaved(client, STACK, {}, DEPLOY);
    expect(findings.map((f) => f.action)).toEqual(['refuse']);
    expect(findings[0].line).toMatch(/already exists \(vt-1\) with this stack's mark, but 2 volume\(s\) use it, so no killed run of this stack made it/);
  });

  test('on destroy, what would stop a deploy is only told', async () => {
    const { client } = givenCloud({ types: [{ id: 'vt-9', name: 'ssdvolume', description: 'made by the operator' }] });
    expect((await findUnsaved(client, STACK, {}, DESTROY)).map((f) => f.action)).toEqual(['note']);
  });

  test.each([
    [
      'no deploy of the stack recorded in this checkout (another checkout, a forgotten backend)',
      undefined,
      /was made by no run of this stack recorded in this checkout/,
    ],
    ['made before the last deploy from this checkout began', RUN_START + 3_600_000, /was made by no run since the last deploy from this checkout began/],
  ])("a marked object %s may be another state's deployment: not adopted, the run refused, with the way to adopt it", async (_case, madeSince, why) => {
    const { client } = givenCloud({
      networks: [{ id: 'net-1', name: 'k8s-net', description: mark('s/Net/Resource'), projectId: PROJECT, createdAt: '2026-12-03T06:05:00Z' }],
    });
    const findings = await findUnsaved(client, STACK, {}, { ...DEPLOY, madeSince });
    expect(findings.map((f) => f.action)).toEqual(['refuse']);
    expect(findings[0].line).toMatch(why);
    expect(findings[0].line).toMatch(
      /Fix: run with that state \(check MAGNUM_CDKTF_BACKEND and the checkout\); if a run killed on another machine made it, adopt what that run left: MAGNUM_CDKTF_ADOPT=1 npm run cdktf -- deploy s$/,
    );
    // On destroy, nothing of it is adopted (and so destroyed) either: it is only told.
    expect((await findUnsaved(client, STACK, {}, { ...DESTROY, madeSince })).map((f) => f.action)).toEqual(['note']);
    // Made within the clock skew before the run began: the run's.
    expect((await findUnsaved(client, STACK, {}, { ...DEPLOY, madeSince: Date.parse('2026-12-03T06:05:59Z') })).map((f) => f.action)).toEqual(['adopt']);
    // The operator's word (MAGNUM_CDKTF_ADOPT=1): whenever it was made.
    expect((await findUnsaved(client, STACK, {}, { ...DEPLOY, madeSince: -Infinity })).map((f) => f.action)).toEqual(['adopt']);
  });

  test('a volume type of the name without the mark: the create would fail for good (409), so the run is refused with the fix', async () => {
    const { client } = givenCloud({ types: [{ id: 'vt-9', name: 'ssdvolume', description: 'made by the operator' }] });
    const [finding] = await findUnsaved(client, STACK, {}, DEPLOY);
    expect(finding).toEqual({
      action: 'refuse',
      address: `${VOLUME_TYPE}.Vt`,
      line:
        's/Vt/Resource: volume type "ssdvolume" already exists (vt-9) without this stack\'s mark, and Cinder refuses a second type of the same name (409). ' +
        `Fix: if it is this stack's after all (made by a version of this library before marks), adopt it: ${importCommand(DIR, `${VOLUME_TYPE}.Vt`, 'vt-9')}; ` +
        "if it is not, give the stack's volume type another name, or use the existing one through the construct's import method",
    });
  });

  test('two marked objects left by two killed runs: the older is adopted, the other refused with its delete command', async () => {
    const { client } = givenCloud({
      images: [
        { id: 'img-new', name: 'fcos', tags: [mark('s/Image/Resource')], projectId: PROJECT, createdAt: '2026-12-03T06:10:00Z', status: 'queued' },
        { id: 'img-old', name: 'fcos', tags: [mark('s/Image/Resource')], projectId: PROJECT, createdAt: '2026-12-03T06:01:00Z', status: 'active' },
      ],
    });
    const findings = await findUnsaved(client, STACK, {}, DEPLOY);
    expect(findings.map((f) => [f.action, f.action === 'adopt' ? f.importId : f.line])).toEqual([
      ['adopt', 'img-old'],
      ['refuse', expect.stringMatching(/\(img-new\) is this stack's too, a second one left by another killed run.*Fix: openstack image delete img-new$/)],
    ]);
  });

  test("a template is the stack's when it names the stack's image and external network; its clusters of the stack's name are orphans", async () => {
    const state: StateJson = { resources: [saved(NETWORK, 'Ext', 'ext-1')] };
    const { client } = givenCloud({
      images: [{ id: 'img-1', name: 'fcos', tags: [mark('s/Image/Resource')], projectId: PROJECT, status: 'active' }],
      templates: [
        { id: 'tpl-other-image', name: 'k8s-1a2b3c4d', projectId: PROJECT, imageId: 'img-elsewhere', externalNetworkId: 'ext-1' },
        { id: 'tpl-1', name: 'k8s-1a2b3c4d', projectId: PROJECT, imageId: 'img-1', externalNetworkId: 'ext-1' },
        { id: 'tpl-theirs', name: 'k8s-1a2b3c4d', projectId: 'p-theirs', imageId: 'img-1', externalNetworkId: 'ext-1' },
      ],
      clusters: [
        cluster('orphan'),
        cluster('another-name', { name: 'k8s-2' }),
        cluster('their-project', { projectId: 'p-theirs' }),
        cluster('on-another-template', { templateId: 'tpl-other-image' }),
      ],
    });
    const findings = await findUnsaved(client, STACK, state, DEPLOY);
    expect(findings.map((f) => [f.action, f.action === 'adopt' ? f.importId : f.action === 'delete-orphans' ? f.clusters.map((c) => c.uuid) : f.line])).toEqual(
      [
        ['adopt', 'img-1'],
        ['adopt', 'tpl-1'],
        ['delete-orphans', ['orphan']],
      ],
    );
    expect(findings[2].line).toBe(
      's/Cluster/Resource: cluster(s) orphan (CREATE_IN_PROGRESS) named "k8s", on template tpl-1, which a killed run made and no state held: deleting them, teardown first',
    );
  });

  test('a running cluster on such a template: a deployment whose state is elsewhere (another backend): nothing adopted, the run refused', async () => {
    const state: StateJson = { resources: [saved(NETWORK, 'Ext', 'ext-1')] };
    const { client } = givenCloud({
      images: [{ id: 'img-1', name: 'fcos', tags: [mark('s/Image/Resource')], projectId: PROJECT, status: 'active' }],
      templates: [{ id: 'tpl-1', name: 'k8s-1a2b3c4d', projectId: PROJECT, imageId: 'img-1', externalNetworkId: 'ext-1' }],
      clusters: [cluster('live', { status: 'CREATE_COMPLETE' }), cluster('orphan')],
    });
    const findings = await findUnsaved(client, STACK, state, DEPLOY);
    expect(findings.map((f) => f.action)).toEqual(['refuse']);
    expect(findings[0].line).toMatch(
      /cluster\(s\) live \(CREATE_COMPLETE\) named "k8s" run on template tpl-1.*a deployment of this stack whose state is elsewhere, so nothing was adopted\. Fix: run with that state/,
    );
    expect((await findUnsaved(client, STACK, state, DESTROY)).map((f) => f.action)).toEqual(['note']);
  });

  test('a template that names no object of the stack (an imported image, a literal network) proves nothing: left alone', async () => {
    const stack: StackJson = {
      resource: { [TEMPLATE]: { Tpl: resource('s/Template/Resource', { name: 'k8s-1a2b3c4d', image: 'img-uuid', external_network_id: 'ext-uuid' }) } },
    };
    const { client } = givenCloud({
      templates: [{ id: 'tpl-1', name: 'k8s-1a2b3c4d', projectId: PROJECT, imageId: 'img-uuid', externalNetworkId: 'ext-uuid' }],
    });
    expect(await findUnsaved(client, stack, {}, DEPLOY)).toEqual([]);
  });

  test('the cloud is asked only when the configuration has a resource to look for', () => {
    expect(looksUp(STACK)).toBe(true);
    expect(looksUp({ resource: { terraform_data: { A: {} } } })).toBe(false);
    expect(looksUp({})).toBe(false);
  });
});

describe('the constructs write the mark that before-apply looks for', () => {
  // The example stacks, as main.ts builds them: every object found by name carries its own path's mark.
  const app = Testing.app();
  addExampleStacks(app);
  app.synth();
  const stacksDir = path.join(app.outdir, 'stacks');
  const stacks = fs.readdirSync(stacksDir).map((name) => JSON.parse(fs.readFileSync(path.join(stacksDir, name, 'cdk.tf.json'), 'utf8')));

  test.each([NETWORK, SUBNET, ROUTER, VOLUME_TYPE])('%s: in its description, sent in the create request', (type) => {
    const all = stacks.flatMap((s) => Object.values<{ '//': { metadata: { path: string } }; description: string }>(s.resource[type] ?? {}));
    expect(all.length).toBeGreaterThan(0);
    for (const r of all) expect(descriptionHasMark(r.description, ownerMark(r['//'].metadata.path))).toBe(true);
  });

  test(`${IMAGE}: in its tags, which images_image_v2 sends in the create request`, () => {
    const all = stacks.flatMap((s) => Object.values<{ '//': { metadata: { path: string } }; tags: string[] }>(s.resource[IMAGE] ?? {}));
    expect(all).toHaveLength(2);
    for (const r of all) expect(r.tags).toEqual([ownerMark(r['//'].metadata.path)]);
  });

  test('marks are short enough for a Neutron tag and differ per path', () => {
    expect(ownerMark('all-in-one/Platform/ExternalNetwork/Resource')).toMatch(/^magnum-cdktf:[0-9a-f]{16}$/);
    expect(ownerMark('a/b')).not.toBe(ownerMark('a/c'));
  });
});
