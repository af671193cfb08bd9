/**
 * The contract between the constructs that create named OpenStack objects and the step that runs before
 * each `npm run cdktf -- deploy|destroy` (scripts/before-apply.ts): the mark each object carries, so that
 * one created by a run killed before Terraform saved it can be proven this stack's and adopted. Imports
 * nothing of either wing.
 *
 * The mark is a digest of the construct path of the Terraform resource (`all-in-one/Platform/ExternalNetwork/Resource`),
 * which the synthesized JSON keeps in each resource's `//.metadata.path`: a Glance tag; the description, or
 * its end, of a Neutron network, subnet or router and of a Cinder volume type (lib/private/owner-marks.ts says why).
 */
import { createHash } from 'crypto';

/** What every mark starts with. */
export const OWNER_MARK_PREFIX = 'magnum-cdktf:';

/** Hex digits of the path's digest: 64 bits, so two paths never meet; the mark fits Neutron's 60-character tags. */
const MARK_DIGITS = 16;

/** The mark of the resource at `constructPath`. */
export function ownerMark(constructPath: string): string {
  return `${OWNER_MARK_PREFIX}${createHash('sha256').update(constructPath).digest('hex').slice(0, MARK_DIGITS)}`;
}

/** How a mark ends a description: after the operator's own text, if any (less a final line break, which Cinder takes only last). */
export function markedDescription(description: string | undefined, mark: string): string {
  const text = description?.replace(/\n$/, '');
  return text ? `${text} (${mark})` : mark;
}

/** Characters {@link markedDescription} adds to a description the operator wrote. */
export const DESCRIPTION_MARK_LENGTH = ` (${ownerMark('')})`.length;

/** Whether a description ends with `mark` as {@link markedDescription} writes it. */
export function descriptionHasMark(description: string | undefined | null, mark: string): boolean {
  return description === mark || (description ?? '').endsWith(` (${mark})`);
}
