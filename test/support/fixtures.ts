import { App, Testing, TerraformStack } from 'cdktf';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import * as lib from '../../lib';

/** A stack with the OpenStack and null providers, the GIVEN of most construct tests. */
export function givenStack(): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new lib.OpenstackProvider(stack, 'openstack', {});
  new NullProvider(stack, 'null', {});
  return stack;
}

/**
 * One resource's body in synthesized Terraform JSON, attribute name to value. A value is `unknown` until
 * a test narrows it; a test that reads through nested attributes names the shape it expects as `T` of
 * {@link resourcesOf} or {@link onlyResource} (e.g. {@link NullResource}).
 */
export type SynthesizedResource = Record<string, unknown>;

/** The synthesized Terraform JSON of a stack: its blocks by kind, resources by type, then logical id. */
export interface SynthesizedJson {
  readonly resource?: Record<string, Record<string, SynthesizedResource>>;
  readonly [block: string]: unknown;
}

/** A local-exec provisioner, as a resource's `provisioner` list holds it. */
export interface LocalExec {
  readonly command: string;
  readonly when?: string;
  readonly environment: Record<string, string>;
}

/** A null_resource as ClusterTeardown synthesizes it: string triggers and its local-exec provisioner. */
export interface NullResource extends SynthesizedResource {
  readonly triggers: Record<string, string>;
  readonly provisioner: { readonly 'local-exec': LocalExec }[];
  readonly depends_on?: string[];
}

/** A resource that a change of its settings replaces, through the terraform_data it is tied to: the image and the template. */
export interface ReplacedResource extends SynthesizedResource {
  readonly name: string;
  readonly lifecycle: { readonly create_before_destroy?: boolean; readonly replace_triggered_by?: string[] };
}

/** A cluster template: a replaced resource whose labels are strings, as in Magnum. */
export interface ClusterTemplateResource extends ReplacedResource {
  readonly labels: Record<string, string>;
}

/** A terraform_data that replaces a resource when `triggers_replace` (of shape `T`) changes. */
export interface TerraformData<T = Record<string, unknown>> extends SynthesizedResource {
  readonly triggers_replace: T;
}

/** The node groups' deleter: a terraform_data with one instance per group (for_each) and a destroy-time local-exec. */
export interface NodeGroupDeleterResource extends TerraformData<{ node_group: string }> {
  /** The groups, by construct path: `${<node group resource>.id}`. */
  readonly for_each: Record<string, string>;
  readonly provisioner: { readonly 'local-exec': LocalExec }[];
}

/** The synthesized JSON of `stack`, parsed, with validations run. */
export function synthJson(stack: TerraformStack): SynthesizedJson {
  return JSON.parse(Testing.synth(stack, true));
}

/**
 * All resources of one Terraform type in the synthesized JSON, by logical id. `T` states the shape the
 * test reads (unchecked, as a parse of JSON is); by default each attribute is `unknown`.
 */
export function resourcesOf<T extends object = SynthesizedResource>(stack: TerraformStack, type: string): Record<string, T> {
  return (synthJson(stack).resource?.[type] ?? {}) as Record<string, T>;
}

/** The only resource of `type`; fails the test when there is not exactly one. */
export function onlyResource<T extends object = SynthesizedResource>(stack: TerraformStack, type: string): T {
  const all = Object.values(resourcesOf<T>(stack, type));
  if (all.length !== 1) {
    throw new Error(`expected exactly one ${type}, found ${all.length}`);
  }
  return all[0];
}

/** The node groups' deleters of `stack` (the terraform_data resources with a provisioner), by logical id. */
export function deletersOf(stack: TerraformStack): Record<string, NodeGroupDeleterResource> {
  return Object.fromEntries(Object.entries(resourcesOf<NodeGroupDeleterResource>(stack, 'terraform_data')).filter(([, r]) => r.for_each !== undefined));
}

/** A node group's resizer: a terraform_data replaced with the group's count, whose create-time local-exec gives it. */
export interface NodeGroupResizerResource extends TerraformData<{ node_group: string; node_count: number | string; node_bounds?: string }> {
  readonly provisioner: { readonly 'local-exec': LocalExec }[];
}

/** The node groups' resizers of `stack`, by logical id. */
export function resizersOf(stack: TerraformStack): Record<string, NodeGroupResizerResource> {
  return Object.fromEntries(
    Object.entries(resourcesOf<NodeGroupResizerResource>(stack, 'terraform_data')).filter(([, r]) => r.triggers_replace?.node_count !== undefined),
  );
}

export { App };

/** Commonly needed constructs of a platform, for template and cluster tests. */
export function givenPlatformParts(stack: TerraformStack) {
  const external = new lib.ExternalNetwork(stack, 'public1', {
    cidr: '10.0.2.0/24',
    gatewayIp: '10.0.2.1',
    floatingIpRanges: [{ start: '10.0.2.150', end: '10.0.2.199' }],
  });
  const image = new lib.MagnumImage(stack, 'fcos', { source: lib.ImageSource.fromFile('/tmp/fcos.qcow2'), osDistro: lib.OsDistro.FEDORA_COREOS });
  const volumeType = new lib.VolumeType(stack, 'ssdvolume');
  return { lib, external, image, volumeType };
}
