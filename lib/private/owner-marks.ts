import { Node } from 'constructs';
import { markedDescription, ownerMark } from '../../runtime/owner-mark';

/*
 * Marks that prove an OpenStack object this resource's (runtime/owner-mark.ts): if a killed run creates it
 * before Terraform saves it, the next run finds it by name and mark and adopts it instead of creating another.
 * Each mark goes where the provider sends it in the create request itself, so no kill can leave the object
 * without it: Glance's tags (images_image_v2 sends them in CreateOpts); for Neutron, whose tags provider
 * 3.4.0 sets by a second request after the create, and for Cinder, whose types have no tags, the description.
 */

/** Marks a Glance image, by a tag. */
export function tagOwner(resource: { readonly node: Node; tags: string[] }): void {
  resource.tags = [ownerMark(resource.node.path)];
}

/** Marks a Neutron network, subnet or router, or a Cinder volume type: its description, or the end of the one the operator wrote. */
export function describeOwner(resource: { readonly node: Node; description: string }, description?: string): void {
  resource.description = markedDescription(description, ownerMark(resource.node.path));
}
