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
import type { Cluster, NamedObject, OpenStackClient } from '../../runtime/openstack';

export const NETWORK = 'openstack_networking_network_v2';
export const SUBNET = 'openstack_networking_subnet_v2';
export const ROUTER = 'openstack_networking_router_v2';
export const ROUTER_INTERFACE = 'openstack_networking_router_interface_v2';
export const VOLUME_TYPE = 'openstack_blockstorage_volume_type_v3';
export const IMAGE = 'openstack_images_image_v2';
export const TEMPLATE = 'openstack_containerinfra_clustertemplate_v1';

/** The part of a synthesized resource this reads. */
export interface ResourceJson {
  readonly '//'?: { readonly metadata?: { readonly path?: string } };
  readonly name?: unknown;
  readonly network_id?: unknown;
  readonly router_id?: unknown;
  readonly subnet_id?: unknown;
  readonly image?: unknown;
  readonly external_network_id?: unknown;
  readonly cluster_id?: unknown;
  readonly cluster_template_id?: unknown;
}

/** The part of a synthesized stack this reads. */
export interface StackJson {
  readonly resource?: Record<string, Record<string, ResourceJson>>;
}

/** An instance in the state: the current object, or one a create-before-destroy replacement deposed. */
interface InstanceJson {
  readonly status?: string;
  readonly attributes?: { readonly id?: string };
  readonly deposed?: string;
}

/** The part of a state file this reads. */
export interface StateJson {
  readonly resources?: { readonly mode: string; readonly type: string; readonly name: string; readonly instances: InstanceJson[] }[];
}

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
      /** Stop the run: creating the resource would fail, or a second object of the stack's is left. */
      readonly action: 'refuse';
      readonly address: string;
      readonly line: string;
    };

/** `${type.name.id}` → `type.name`, or undefined for anything else (a literal id, an expression). */
function referencedAddress(value: unknown): string | undefined {
  return typeof value === 'string' ? value.match(/^\$\{([\w-]+\.[\w-]+)\.id\}$/)?.[1] : undefined;
}

/** Every object id the state holds, deposed ones included, and the id of each address it holds. */
function savedIds(state: StateJson): { ids: Set<string>; idOf: Map<string, string> } {
  const ids = new Set<string>();
  const idOf = new Map<string, string>();
  for (const r of state.resources ?? []) {
    if (r.mode !== 'managed') continue;
    for (const i of r.instances) {
      const id = i.attributes?.id;
      if (!id) continue;
      ids.add(id);
      if (i.deposed === undefined) idOf.set(`${r.type}.${r.name}`, id);
    }
  }
  return { ids, idOf };
}

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
    deleteCommand: 'openstack subnet delete',
  },
  {
    type: ROUTER,
    what: 'router',
    find: (c, name) => c.listRouters({ name, projectId: c.session.projectId }),
    proven: byDescription,
    deleteCommand: 'openstack router delete',
  },
  {
    type: VOLUME_TYPE,
    what: 'volume type',
    find: async (c, name) => (await c.listVolumeTypes()).filter((t) => t.name === name),
    proven: byDescription,
    uniqueNames: 'Cinder refuses a second type of the same name (409)',
    deleteCommand: 'openstack volume type delete',
  },
  {
    type: IMAGE,
    what: 'image',
    find: async (c, name) => (await c.listImages({ name })).filter(inProject(c.session.projectId)),
    proven: (o, mark) => (o.tags ?? []).includes(mark),
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
    deleteCommand: 'openstack coe cluster template delete',
  },
];

/**
 * What to do about each object a killed run left (see the file's comment), in the order to do it.
 * `stackDir` is only for the commands the lines suggest.
 */
export async function findUnsaved(client: OpenStackClient, stack: StackJson, state: StateJson, stackDir: string): Promise<Finding[]> {
  const { ids, idOf } = savedIds(state);
  const adopted = new Map<string, string>();
  const taken = new Set<string>();
  const resolve = (value: unknown) => {
    const address = referencedAddress(value);
    return address === undefined ? undefined : (adopted.get(address) ?? idOf.get(address));
  };
  const importLine = (address: string, id: string) => `terraform -chdir=${stackDir} import ${address} ${id}`;
  const findings: Finding[] = [];

  for (const kind of KINDS) {
    for (const [logicalId, r] of Object.entries(stack.resource?.[kind.type] ?? {})) {
      const address = `${kind.type}.${logicalId}`;
      const path = r['//']?.metadata?.path;
      if (typeof r.name !== 'string' || r.name.includes('${') || path === undefined) continue;
      const saved = idOf.get(address);
      const named = await kind.find(client, r.name, r, resolve);
      const found = named.filter((o) => !ids.has(o.id) && !taken.has(o.id));
      if (found.length === 0) continue;
      const mark = ownerMark(path);
      const ours = found.filter((o) => kind.proven(o, mark, r, resolve)).sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
      const label = `${path}: ${kind.what} ${JSON.stringify(r.name)}`;
      ours.forEach((o) => taken.add(o.id));
      if (saved !== undefined) {
        // The state holds one: a killed replacement made the others. If the state's is gone (a replacement that
        // deletes first), the newest of the stack's takes its place; while it exists, the others are left to delete.
        if (ours.length === 0) continue;
        const stale = !named.some((o) => o.id === saved);
        const kept = stale ? ours[ours.length - 1] : undefined;
        if (kept !== undefined) {
          adopted.set(address, kept.id);
          findings.push({
            action: 'adopt',
            address,
            importId: kept.id,
            staleId: saved,
            line: `${label} (${kept.id}) is this stack's, and the one its state holds (${saved}) is gone (a killed replacement's): adopting it as ${address} in its place`,
          });
        }
        for (const extra of ours.filter((o) => o !== kept)) {
          findings.push({
            action: 'refuse',
            address,
            line: `${label} (${extra.id}) is this stack's, left by a killed replacement beside the one its state holds (${saved}). Fix: ${kind.deleteCommand} ${extra.id}`,
          });
        }
        continue;
      }
      if (ours.length > 0) {
        const [first, ...more] = ours;
        adopted.set(address, first.id);
        findings.push({
          action: 'adopt',
          address,
          importId: first.id,
          line: `${label} (${first.id}${first.status ? `, ${first.status}` : ''}) is this stack's and not in its state (a killed run's): adopting it as ${address}`,
        });
        for (const extra of more) {
          findings.push({
            action: 'refuse',
            address,
            line: `${label} (${extra.id}) is this stack's too, a second one left by another killed run: the state can hold one. Fix: ${kind.deleteCommand} ${extra.id}`,
          });
        }
        continue;
      }
      if (kind.uniqueNames) {
        const other = found[0];
        findings.push({
          action: 'refuse',
          address,
          line:
            `${label} already exists (${other.id}) without this stack's mark, and ${kind.uniqueNames}. ` +
            `Fix: if it is this stack's (made by a version of this library before marks), adopt it: ${importLine(address, other.id)}; ` +
            `if it is not, give the stack's ${kind.what} another name, or use the existing one through the construct's import method`,
        });
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
  // state held claims its clusters itself: ClusterTeardown's orphan sweep, after the re-run's create.)
  const CLUSTER = 'openstack_containerinfra_cluster_v1';
  for (const [logicalId, r] of Object.entries(stack.resource?.[CLUSTER] ?? {})) {
    const templateAddress = referencedAddress(r.cluster_template_id);
    const templateId = templateAddress === undefined ? undefined : adopted.get(templateAddress);
    if (templateId === undefined || typeof r.name !== 'string') continue;
    const orphans = (await client.listClusterDetails()).filter(
      (c) => c.templateId === templateId && c.name === r.name && c.projectId === client.session.projectId && !ids.has(c.uuid),
    );
    if (orphans.length === 0) continue;
    const why = `named ${JSON.stringify(r.name)}, on template ${templateId}, which a killed run made and no state held`;
    findings.push({
      action: 'delete-orphans',
      clusters: orphans,
      why,
      line: `${r['//']?.metadata?.path ?? `${CLUSTER}.${logicalId}`}: cluster(s) ${orphans.map((c) => `${c.uuid} (${c.status})`).join(', ')} ${why}: deleting them, teardown first`,
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
