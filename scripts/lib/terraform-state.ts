/**
 * What scripts/before-apply.ts and scripts/lib/unsaved-objects.ts read of a stack's synthesized JSON and of its
 * Terraform state, written once.
 */

export const CLUSTER = 'openstack_containerinfra_cluster_v1';
export const NODE_GROUP = 'openstack_containerinfra_nodegroup_v1';

/** The part of a synthesized resource these read. */
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

/** The part of a synthesized stack these read. */
export interface StackJson {
  readonly resource?: Record<string, Record<string, ResourceJson>>;
}

/** An instance in the state: the current object, or one a create-before-destroy replacement deposed. */
export interface InstanceJson {
  readonly status?: string;
  /** The key of a `count` (number) or `for_each` (string) instance. */
  readonly index_key?: string | number;
  /** What the provider last saved; `created_at` and `create_timeout` are a cluster's. */
  readonly attributes?: { readonly id?: string; readonly created_at?: string | null; readonly create_timeout?: number | null };
  readonly deposed?: string;
}

/** The part of a state file these read. */
export interface StateJson {
  readonly resources?: { readonly mode: string; readonly type: string; readonly name: string; readonly instances: InstanceJson[] }[];
}

/** The instances (deposed ones too) of the `type` objects that the state holds tainted, with an id, and their resource's name. */
export function taintedInstances(state: StateJson, type: string): { name: string; instance: InstanceJson & { attributes: { id: string } } }[] {
  return (state.resources ?? [])
    .filter((r) => r.mode === 'managed' && r.type === type)
    .flatMap((r) => r.instances.map((instance) => ({ name: r.name, instance })))
    .filter(
      (t): t is { name: string; instance: InstanceJson & { attributes: { id: string } } } => t.instance.status === 'tainted' && !!t.instance.attributes?.id,
    );
}

/** The Terraform address of an instance: `type.name`, `type.name[0]` or `type.name["key"]`. */
export function instanceAddress(type: string, name: string, instance: Pick<InstanceJson, 'index_key'>): string {
  const key = instance.index_key;
  return `${type}.${name}${key === undefined ? '' : `[${JSON.stringify(key)}]`}`;
}

/** `${type.name.id}` → `type.name`, or undefined for anything else (a literal id, an expression). */
export function referencedAddress(value: unknown): string | undefined {
  return typeof value === 'string' ? value.match(/^\$\{([\w-]+\.[\w-]+)\.id\}$/)?.[1] : undefined;
}

/** Every object id the state holds, deposed ones included, and the id of each address's current object. */
export function savedIds(state: StateJson): { ids: Set<string>; idOf: Map<string, string> } {
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

/**
 * The commands an operator runs to import by hand: the stack's folder under cdktf.out holds only the JSON
 * of the last synth, so it is initialized first (with the providers `.toolchain/env` points Terraform at).
 */
export function importCommand(stackDir: string, address: string, id: string): string {
  return `source .toolchain/env && terraform -chdir=${stackDir} init -input=false && terraform -chdir=${stackDir} import ${address} ${id}`;
}
