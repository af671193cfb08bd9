import { authRequest, Json, OpenStackClient, resolveCloud, tokensUrl } from '../../runtime/openstack';
import { DEVCLOUD_DEFAULTS, devcloudClient, devcloudEnv } from '../../devcloud';

/**
 * A census of the local cloud: every object a stack, Magnum (its Heat stacks, trustee users and
 * trusts) or Kubernetes' cloud provider can leave behind, in every project, listed as the devcloud's
 * admin. Take one before and one after, and expect their {@link diffCensus} to be `{}`: a failure then
 * names each leaked (or lost) object. {@link settledDiff} gives late deletes a few seconds first.
 *
 * ```ts
 * const before = await takeCensus();
 * // … deploy, destroy …
 * expect(diffCensus(before, await takeCensus())).toEqual({});
 * expect((await settledDiff(before)).diff).toEqual({});
 * ```
 */

/** The kinds counted, each listed across all projects (and, for users and projects, all domains). */
export const CENSUS_KINDS = [
  'networks',
  'subnets',
  'ports',
  'routers',
  'floatingIps',
  'securityGroups',
  'loadBalancers',
  'images',
  'volumes',
  'volumeTypes',
  'servers',
  'clusters',
  'clusterTemplates',
  'heatStacks',
  'projects',
  'users',
  'trusts',
] as const;

/** One kind of object. */
export type CensusKind = (typeof CENSUS_KINDS)[number];

/** Kind → its objects, each `<id> <name>` (a name-less kind says what it is instead), sorted. */
export type Census = Record<CensusKind, string[]>;

const MAGNUM_LATEST = { 'OpenStack-API-Version': 'container-infra latest' };

/** `<id> <name>`, with a stand-in when there is no name. */
const label = (id: string, name: string | null | undefined, otherwise = '-') => `${id} ${name || otherwise}`;

/** Every page of a Glance list (Glance pages with `next`, not `<key>_links`). */
async function glanceImages(os: OpenStackClient): Promise<Json[]> {
  const images: Json[] = [];
  for (let next: string | undefined = '/v2/images?limit=1000'; next;) {
    const page: Json = await os.request('image', 'GET', next);
    images.push(...page.images);
    next = page.next;
  }
  return images;
}

/**
 * Every Heat stack, nested ones included. Heat lists other projects' stacks only to a system
 * reader (`stacks:global_index`; an admin token scoped to a project gets 403), so this asks
 * Keystone for a system-scoped token with the devcloud admin's credentials and uses it here only.
 */
async function heatStacks(os: OpenStackClient): Promise<Json[]> {
  const cloud = resolveCloud(DEVCLOUD_DEFAULTS.cloud, { ...process.env, ...devcloudEnv });
  const { auth } = authRequest(cloud) as { auth: { identity: Json } };
  const issued = await fetch(tokensUrl(cloud.authUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ auth: { identity: auth.identity, scope: { system: { all: true } } } }),
  });
  const token = issued.headers.get('x-subject-token');
  if (issued.status !== 201 || !token) throw new Error(`census: Keystone refused a system-scoped token to list Heat stacks (HTTP ${issued.status})`);
  // The project in the path is only checked against the token, and a system scope passes any.
  const url = `${os.session.endpoint('orchestration')}/stacks?global_tenant=true&show_nested=true`;
  const listed = await fetch(url, { headers: { 'X-Auth-Token': token, Accept: 'application/json' } });
  if (listed.status !== 200) throw new Error(`census: GET ${url}: HTTP ${listed.status}`);
  return ((await listed.json()) as Json).stacks;
}

/** Takes a census of the local cloud (about 1 s): what {@link CENSUS_KINDS} lists, as the admin sees it. */
export async function takeCensus(): Promise<Census> {
  const os = await devcloudClient();
  const neutron = (kind: string, key: string) => os.session.listAll('network', `/v2.0/${kind}`, key);
  const { domains } = await os.request('identity', 'GET', '/domains');
  const domainName = new Map<string, string>(domains.map((d: Json) => [d.id, d.name]));
  const perDomain = async (kind: string) =>
    (await Promise.all(domains.map(async (d: Json) => (await os.request('identity', 'GET', `/${kind}?domain_id=${d.id}`))[kind]))).flat();
  const lists: Record<CensusKind, Promise<string[]>> = {
    networks: neutron('networks', 'networks').then((l) => l.map((x) => label(x.id, x.name))),
    subnets: neutron('subnets', 'subnets').then((l) => l.map((x) => label(x.id, x.name, x.cidr))),
    // Most ports have no name: say whose they are (DHCP, router, LB VIP, compute).
    ports: neutron('ports', 'ports').then((l) => l.map((x) => label(x.id, x.name, `<${x.device_owner || 'no owner'}>`))),
    routers: neutron('routers', 'routers').then((l) => l.map((x) => label(x.id, x.name))),
    floatingIps: neutron('floatingips', 'floatingips').then((l) =>
      l.map((x) => label(x.id, `${x.floating_ip_address}${x.description ? ` ${x.description}` : ''}`)),
    ),
    securityGroups: neutron('security-groups', 'security_groups').then((l) => l.map((x) => label(x.id, x.name))),
    loadBalancers: os.listLoadBalancers().then((l) => l.map((x) => label(x.id, x.name))),
    images: glanceImages(os).then((l) => l.map((x) => label(x.id, x.name))),
    volumes: os.session.listAll('block-storage', '/volumes?all_tenants=1', 'volumes').then((l) => l.map((x) => label(x.id, x.name))),
    volumeTypes: os.request('block-storage', 'GET', '/types?is_public=None').then((r) => r.volume_types.map((x: Json) => label(x.id, x.name))),
    servers: os.session.listAll('compute', '/servers?all_tenants=1', 'servers').then((l) => l.map((x) => label(x.id, x.name))),
    // Magnum lists every project's clusters and templates to an admin.
    clusters: os
      .request('container-infra', 'GET', '/clusters?limit=1000', undefined, MAGNUM_LATEST)
      .then((r) => r.clusters.map((x: Json) => label(x.uuid, x.name))),
    clusterTemplates: os
      .request('container-infra', 'GET', '/clustertemplates?limit=1000', undefined, MAGNUM_LATEST)
      .then((r) => r.clustertemplates.map((x: Json) => label(x.uuid, x.name))),
    heatStacks: heatStacks(os).then((l) => l.map((x) => label(x.id, x.stack_name))),
    // Heat's stack-domain projects and users, Magnum's trustees (its own domain) and their trusts.
    projects: perDomain('projects').then((l) => l.map((x) => label(x.id, `${x.name}@${domainName.get(x.domain_id) ?? x.domain_id}`))),
    users: perDomain('users').then((l) => l.map((x) => label(x.id, `${x.name}@${domainName.get(x.domain_id) ?? x.domain_id}`))),
    trusts: os
      .request('identity', 'GET', '/OS-TRUST/trusts')
      .then((r) => r.trusts.map((x: Json) => label(x.id, `${x.trustor_user_id} -> ${x.trustee_user_id}`))),
  };
  const counted = await Promise.all(CENSUS_KINDS.map(async (kind) => [kind, (await lists[kind]).sort()] as const));
  return Object.fromEntries(counted) as Census;
}

/**
 * What changed between two censuses: for each kind that changed, `+ <id> <name>` for what
 * appeared and `- <id> <name>` for what disappeared. `{}` when nothing did, so
 * `expect(diffCensus(before, after)).toEqual({})` fails naming each object.
 */
export function diffCensus(before: Census, after: Census): Partial<Record<CensusKind, string[]>> {
  const diff: Partial<Record<CensusKind, string[]>> = {};
  for (const kind of CENSUS_KINDS) {
    const [was, is] = [new Set(before[kind]), new Set(after[kind])];
    const changed = [...after[kind].filter((x) => !was.has(x)).map((x) => `+ ${x}`), ...before[kind].filter((x) => !is.has(x)).map((x) => `- ${x}`)];
    if (changed.length) diff[kind] = changed;
  }
  return diff;
}

/**
 * A census taken until it matches `before` (every 3 s, for at most `timeoutSeconds`): after a destroy
 * has returned, some deletes finish late. The diff is `{}` once it matched, else what is still left.
 */
export async function settledDiff(before: Census, timeoutSeconds = 30): Promise<{ diff: Partial<Record<CensusKind, string[]>>; seconds: number }> {
  const start = Date.now();
  for (;;) {
    const diff = diffCensus(before, await takeCensus());
    const seconds = Math.round((Date.now() - start) / 100) / 10;
    if (Object.keys(diff).length === 0 || seconds >= timeoutSeconds) return { diff, seconds };
    await new Promise((r) => setTimeout(r, 3000));
  }
}

// Resident memory of the local cloud (devcloud/memory.ts), which the soak reads with its census.
export { devcloudMemory } from '../../devcloud';
export type { DevcloudMemory } from '../../devcloud';
