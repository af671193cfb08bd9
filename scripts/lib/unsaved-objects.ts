/**
 * Objects a killed run created that its state never got. Terraform saves the state only now and then
 * while it applies (every 20 s, when a resource completes), and a SIGKILL saves nothing: an object
 * created in that window exists in the cloud while the state lacks it. The next run would create it
 * again: a second network, router, image or template beside the first (Neutron, Glance and Magnum
 * allow the same name twice), or a create that fails for good (Cinder's volume type names are unique;
 * a flat network's physnet takes one network).
 *
 * Each resource of the configuration that the state lacks is looked up by its exact name in the
 * project, and adopted (`terraform import`) only when it is proven this stack's:
 * - a network, subnet, router or volume type by its description, an image by its tag: the owner mark
 *   (runtime/owner-mark.ts) of exactly this resource's construct path, which the provider sends in the
 *   create request itself;
 * - a subnet, on a network that is the stack's;
 * - a router interface, by its port: the interface of the stack's router on the stack's subnet;
 * - a cluster template (Magnum templates take no tag) by naming the stack's own image or external network.
 * Anything else of the same name is left alone, except where creating the resource must fail: then the
 * run is refused with a line that names the object and the fix.
 *
 * A cluster whose create was killed needs none of this: the cluster's orphan sweep deletes it once the
 * re-run has made its successor on the same template (ClusterTeardown).
 */
import { descriptionHasMark, ownerMark } from '../../runtime/owner-mark';
import { Cluster, NamedObject, OpenStackClient, openStackTime, ServiceType } from '../../runtime/openstack';
import { CLAIM_SKEW_SECONDS } from '../../runtime/teardown/orphans';
import { CLUSTER, importCommand, referencedAddress, ResourceJson, savedIds, StackJson, StateJson } from './terraform-state';

export type { StackJson, StateJson };

export const NETWORK = 'openstack_networking_network_v2';
export const SUBNET = 'openstack_networking_subnet_v2';
export const ROUTER = 'openstack_networking_router_v2';
export const ROUTER_INTERFACE = 'openstack_networking_router_interface_v2';
export const VOLUME_TYPE = 'openstack_blockstorage_volume_type_v3';
export const IMAGE = 'openstack_images_image_v2';
export const TEMPLATE = 'openstack_containerinfra_clustertemplate_v1';

/** What to do about an object a killed run left. */
export type Finding =
  | {
      /** Import it: it is the stack's. */
      readonly action: 'adopt';
      readonly address: string;
      /** What `terraform import` takes. */
      readonly importId: string;
      /** The id the state holds at the address, of an object that is gone: removed from the state first. @default - none */
      readonly staleId?: string;
      /** One line: what it is and why it is the stack's. */
      readonly line: string;
    }
  | {
      /**
       * Delete these clusters (teardown first), once the adoptions before succeeded: made by a killed run on a
       * template it made, which no state held, with the stack's cluster name.
       */
      readonly action: 'delete-orphans';
      readonly clusters: readonly Cluster[];
      /** What proves them orphans. */
      readonly why: string;
      readonly line: string;
    }
  | {
      /** Only tell: what would stop a deploy, on destroy; an object that may be a leftover or another state's. */
      readonly action: 'note';
      readonly line: string;
    }
  | {
      /** Stop the run: creating the resource would fail, or a second object of the stack's is left. */
      readonly action: 'refuse';
      readonly address: string;
      readonly line: string;
    };

/** Neutron's and Glance's ways of saying a project owns an object agree here. */
const inProject = (projectId: string) => (o: NamedObject) => o.projectId === undefined || o.projectId === projectId;

/** How to find and prove one kind of object. */
interface Kind {
  readonly type: string;
  /** What the operator calls it. */
  readonly what: string;
  /** The objects named `name` that could be this resource's (`resolve` turns a reference into the stack's id, if any). */
  readonly find: (client: OpenStackClient, name: string, r: ResourceJson, resolve: (v: unknown) => string | undefined) => Promise<NamedObject[]>;
  /** Whether `o` is proven this resource's, given its owner mark. */
  readonly proven: (o: NamedObject, mark: string, r: ResourceJson, resolve: (v: unknown) => string | undefined) => boolean;
  /** Why creating the resource fails while an object of its name exists, for kinds whose names are unique. */
  readonly uniqueNames?: string;
  /**
   * Why a proven object must still not be adopted, if it must not: a cloud-wide object (a volume type) that
   * another project's deployment of the same stack code may use. @default - always adopted
   */
  readonly notAdoptable?: (client: OpenStackClient, o: NamedObject) => Promise<string | undefined>;
  /** What the plan does to an adopted one, if more than keep it. @default - nothing */
  readonly afterAdoption?: string;
  /** The API path of one, to tell whether the state's object is gone. */
  readonly pathOf: (id: string) => [ServiceType, string];
  /** The command that deletes one. */
  readonly deleteCommand: string;
}

const byDescription = (o: NamedObject, mark: string) => descriptionHasMark(o.description, mark);

/** In the order Terraform creates them: a subnet's network is adopted before the subnet is looked for. */
const KINDS: readonly Kind[] = [
  {
    type: NETWORK,
    what: 'network',
    find: (c, name) => c.listNetworks({ name, projectId: c.session.projectId }),
    proven: byDescription,
    pathOf: (id) => ['network', `/v2.0/networks/${id}`],
    deleteCommand: 'openstack network delete',
  },
  {
    type: SUBNET,
    what: 'subnet',
    find: async (c, name, r, resolve) => {
      const networkId = resolve(r.network_id);
      return networkId === undefined ? [] : c.listSubnets({ name, networkId });
    },
    proven: byDescription,
    pathOf: (id) => ['network', `/v2.0/subnets/${id}`],
    deleteCommand: 'openstack subnet delete',
  },
  {
    type: ROUTER,
    what: 'router',
    find: (c, name) => c.listRouters({ name, projectId: c.session.projectId }),
    proven: byDescription,
    pathOf: (id) => ['network', `/v2.0/routers/${id}`],
    deleteCommand: 'openstack router delete',
  },
  {
    type: VOLUME_TYPE,
    what: 'volume type',
    find: async (c, name) => (await c.listVolumeTypes()).filter((t) => t.name === name),
    proven: byDescription,
    uniqueNames: 'Cinder refuses a second type of the same name (409)',
    // Volume types are the cloud's, not a project's: one in use was not made by a run killed before its cluster.
    notAdoptable: async (c, o) => {
      const volumes = await c.countVolumesOfType(o.name);
      return volumes === 0
        ? undefined
        : `${volumes} volume(s) use it, so no killed run of this stack made it: another deployment of the same stack code (another project?) did`;
    },
    pathOf: (id) => ['block-storage', `/types/${id}`],
    deleteCommand: 'openstack volume type delete',
  },
  {
    type: IMAGE,
    what: 'image',
    find: async (c, name) => (await c.listImages({ name })).filter(inProject(c.session.projectId)),
    proven: (o, mark) => (o.tags ?? []).includes(mark),
    afterAdoption: 'the plan replaces it, uploading the file again: provider 3.4.0 does not read an image source back',
    pathOf: (id) => ['image', `/v2/images/${id}`],
    deleteCommand: 'openstack image delete',
  },
  {
    type: TEMPLATE,
    what: 'cluster template',
    find: async (c, name) => (await c.listClusterTemplates()).filter((t) => t.name === name && t.projectId === c.session.projectId),
    // Magnum templates take no tag: one that names the stack's own image or external network (and disagrees with
    // neither) was made by this configuration, since those objects exist in no other.
    proven: (o, _mark, r, resolve) => {
      const pairs = [
        [resolve(r.image), o.imageId],
        [resolve(r.external_network_id), o.externalNetworkId],
      ].filter(([ours]) => ours !== undefined);
      return pairs.length > 0 && pairs.every(([ours, theirs]) => ours === theirs);
    },
    pathOf: (id) => ['container-infra', `/clustertemplates/${id}`],
    deleteCommand: 'openstack coe cluster template delete',
  },
];

/** What {@link findUnsaved} is told of the run. */
export interface RunContext {
  /** The stack's synthesized directory as the operator reaches it, for the commands the lines suggest. */
  readonly stackDir: string;
  /** `destroy` creates nothing: what would stop a deploy is only told. */
  readonly command: 'deploy' | 'destroy';
  /**
   * Since when (ms) an object must have been made to be a killed run's: the start of the last deploy of the stack
   * from this checkout (scripts/lib/run-journal.ts), less clock skew; `-Infinity` when the operator says so
   * (MAGNUM_CDKTF_ADOPT=1). @default - none: no run of the stack was recorded here, so nothing is adopted
   */
  readonly madeSince?: number;
}

/** Whether `o` was made since `madeSince` (less clock skew); an object without a creation time (a Cinder type) if a run is recorded. */
function madeByOurRun(o: NamedObject, madeSince: number | undefined): boolean {
  if (madeSince === undefined) return false;
  return o.createdAt === undefined || openStackTime(o.createdAt) >= madeSince - CLAIM_SKEW_SECONDS * 1000;
}

/** Magnum's statuses of a cluster whose create may have been killed: still being made, or failed. */
const KILLED_CREATE_STATUSES = ['CREATE_IN_PROGRESS', 'CREATE_FAILED'];

/** What to do about each object a killed run left (see the file's comment), in the order to do it. */
export async function findUnsaved(client: OpenStackClient, stack: StackJson, state: StateJson, run: RunContext): Promise<Finding[]> {
  const { ids, idOf } = savedIds(state);
  const adopted = new Map<string, string>();
  const taken = new Set<string>();
  const resolve = (value: unknown) => {
    const address = referencedAddress(value);
    return address === undefined ? undefined : (adopted.get(address) ?? idOf.get(address));
  };
  const findings: Finding[] = [];
  // On destroy nothing is created, so nothing must stop: what would, is told.
  const stop = (address: string, line: string): Finding => (run.command === 'deploy' ? { action: 'refuse', address, line } : { action: 'note', line });
  const adopt = (address: string, o: NamedObject, line: string, staleId?: string): Finding => {
    adopted.set(address, o.id);
    return { action: 'adopt', address, importId: o.id, line, ...(staleId === undefined ? {} : { staleId }) };
  };

  for (const kind of KINDS) {
    for (const [logicalId, r] of Object.entries(stack.resource?.[kind.type] ?? {})) {
      const address = `${kind.type}.${logicalId}`;
      const path = r['//']?.metadata?.path;
      if (typeof r.name !== 'string' || r.name.includes('${') || path === undefined) continue;
      const saved = idOf.get(address);
      const found = (await kind.find(client, r.name, r, resolve)).filter((o) => !ids.has(o.id) && !taken.has(o.id));
      if (found.length === 0) continue;
      const mark = ownerMark(path);
      const proven = found.filter((o) => kind.proven(o, mark, r, resolve)).sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
      proven.forEach((o) => taken.add(o.id));
      const label = `${path}: ${kind.what} ${JSON.stringify(r.name)}`;
      const then = kind.afterAdoption ? ` (${kind.afterAdoption})` : '';
      // The mark says which stack code made an object, not which deployment: one made before the last run of this
      // checkout (or with none recorded) may be another state's deployment of the same code, which must not be taken.
      const ours = proven.filter((o) => madeByOurRun(o, run.madeSince));
      const elsewhere = proven.filter((o) => !ours.includes(o));
      for (const o of elsewhere) {
        findings.push(
          stop(
            address,
            `${label} (${o.id}${o.createdAt ? `, made ${o.createdAt}` : ''}) bears this stack's mark but is not in its state, and was made by no ` +
              `${run.madeSince === undefined ? 'run of this stack recorded in this checkout' : 'run since the last deploy from this checkout began'}: ` +
              `the state may be elsewhere. Fix: run with that state (check MAGNUM_CDKTF_BACKEND and the checkout); if a run killed on another machine ` +
              `made it, adopt what that run left: MAGNUM_CDKTF_ADOPT=1 npm run cdktf -- deploy ${path.split('/')[0]}`,
          ),
        );
      }

      if (saved !== undefined) {
        // The state holds one: a killed replacement made the others, or another deployment of the same stack code in
        // this project. Only where the state's is gone (a replacement that deletes first) does one take its place.
        if (ours.length === 0 || kind.notAdoptable) continue;
        const [service, apiPath] = kind.pathOf(saved);
        const kept = (await client.exists(service, apiPath)) ? undefined : ours[ours.length - 1];
        if (kept !== undefined) {
          findings.push(
            adopt(
              address,
              kept,
              `${label} (${kept.id}) is this stack's, and the one its state holds (${saved}) is gone (a killed replacement's): adopting it as ${address} in its place${then}`,
              saved,
            ),
          );
        }
        for (const extra of ours.filter((o) => o !== kept)) {
          findings.push({
            action: 'note',
            line: `${label} (${extra.id}) bears this stack's mark but is not in its state, beside ${kept?.id ?? saved}: a killed replacement's leftover, unless another state of this stack manages it; if none does: ${kind.deleteCommand} ${extra.id}`,
          });
        }
        continue;
      }

      const [first, ...more] = ours;
      const refusal = first && kind.notAdoptable ? await kind.notAdoptable(client, first) : undefined;
      if (first && refusal === undefined) {
        findings.push(
          adopt(
            address,
            first,
            `${label} (${first.id}${first.status ? `, ${first.status}` : ''}) is this stack's and not in its state (a killed run's): adopting it as ${address}${then}`,
          ),
        );
        for (const extra of more) {
          findings.push(
            stop(
              address,
              `${label} (${extra.id}) is this stack's too, a second one left by another killed run: the state can hold one. Fix: ${kind.deleteCommand} ${extra.id}`,
            ),
          );
        }
        continue;
      }
      if (kind.uniqueNames && elsewhere.length === 0) {
        const other = first ?? found[0];
        findings.push(
          stop(
            address,
            `${label} already exists (${other.id}) ${refusal ? `with this stack's mark, but ${refusal}` : "without this stack's mark"}, and ${kind.uniqueNames}. ` +
              `Fix: if it is this stack's after all (made by a version of this library before marks), adopt it: ${importCommand(run.stackDir, address, other.id)}; ` +
              `if it is not, give the stack's ${kind.what} another name, or use the existing one through the construct's import method`,
          ),
        );
      }
    }
  }

  // A router interface is its router's port on the subnet: proven by both being the stack's.
  for (const [logicalId, r] of Object.entries(stack.resource?.[ROUTER_INTERFACE] ?? {})) {
    const address = `${ROUTER_INTERFACE}.${logicalId}`;
    const routerId = resolve(r.router_id);
    const subnetId = resolve(r.subnet_id);
    if (idOf.has(address) || routerId === undefined || subnetId === undefined) continue;
    const port = (await client.listRouterInterfaces(routerId)).find((i) => i.subnetIds.includes(subnetId) && !ids.has(i.portId));
    if (port === undefined) continue;
    findings.push({
      action: 'adopt',
      address,
      importId: port.portId,
      line: `${r['//']?.metadata?.path ?? address}: the interface of router ${routerId} on subnet ${subnetId} (port ${port.portId}), both this stack's, is not in its state (a killed run's): adopting it as ${address}`,
    });
  }

  // A cluster a killed run made on a template it made: in no state, since the template was in none. (A template the
  // state held claims its clusters itself: ClusterTeardown's orphan sweep, after the re-run's create.) Only one still
  // being made, or failed, is a killed create's: a running one means the whole deployment is another state's (another
  // backend, another checkout), and then nothing is adopted either.
  let clusters: readonly Cluster[] | undefined;
  for (const [logicalId, r] of Object.entries(stack.resource?.[CLUSTER] ?? {})) {
    const templateAddress = referencedAddress(r.cluster_template_id);
    const templateId = templateAddress === undefined ? undefined : adopted.get(templateAddress);
    if (templateId === undefined || typeof r.name !== 'string') continue;
    const clusterPath = r['//']?.metadata?.path ?? `${CLUSTER}.${logicalId}`;
    clusters ??= await client.listClusterDetails();
    const onTemplate = clusters.filter((c) => c.templateId === templateId && c.name === r.name && c.projectId === client.session.projectId && !ids.has(c.uuid));
    const running = onTemplate.filter((c) => !KILLED_CREATE_STATUSES.includes(c.status));
    if (running.length > 0) {
      const line =
        `${clusterPath}: cluster(s) ${running.map((c) => `${c.uuid} (${c.status})`).join(', ')} named ${JSON.stringify(r.name)} run on template ${templateId}, ` +
        `which bears this stack's image and network but is in no state here: this looks like a deployment of this stack whose state is elsewhere, so nothing was adopted. ` +
        `Fix: run with that state (check MAGNUM_CDKTF_BACKEND and the checkout); if a killed run made them after all, delete them (openstack coe cluster delete <uuid>) and run again`;
      return [stop(`${CLUSTER}.${logicalId}`, line)];
    }
    if (onTemplate.length === 0) continue;
    const why = `named ${JSON.stringify(r.name)}, on template ${templateId}, which a killed run made and no state held`;
    findings.push({
      action: 'delete-orphans',
      clusters: onTemplate,
      why,
      line: `${clusterPath}: cluster(s) ${onTemplate.map((c) => `${c.uuid} (${c.status})`).join(', ')} ${why}: deleting them, teardown first`,
    });
  }
  return findings;
}

/**
 * Whether the configuration has a resource {@link findUnsaved} looks for; else the cloud need not be asked. (Every
 * such resource is looked for, saved ones too: a killed replacement leaves the state an object that is gone.)
 */
export function looksUp(stack: StackJson): boolean {
  return [...KINDS.map((k) => k.type), ROUTER_INTERFACE].some((type) => Object.keys(stack.resource?.[type] ?? {}).length > 0);
}
