import { IConstruct } from 'constructs';
import { ValidationError } from '../core/validation-error';
import { isUuidLike, lengthInCodePoints, MAX_STRING_LENGTH } from './openstack-strings';
import { isUnresolved } from './tokens';

/** A UUID as Magnum generates, stores and prints it: 8-4-4-4-12 lower-case hex digits. */
const MAGNUM_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Whether Magnum finds a resource by `text` as the UUID it is: magnum/api/utils.py get_resource
 * (Zed and master) looks a uuid-like ident up with `get_by_uuid`, an exact match on the form
 * Magnum stored, and what Magnum returns is compared with the configuration at every plan.
 */
export function isMagnumUuid(text: string): boolean {
  return isUuidLike(text) && MAGNUM_UUID.test(text);
}

/**
 * Refuses the id (or name) of an existing resource that Magnum would not take: empty, or longer
 * than the `StringType(max_length=255)` of its API (magnum/api/controllers/v1/cluster_template.py
 * and cluster.py: image_id, external_network_id, fixed_network, fixed_subnet; Zed, master same).
 * A value known only at apply is not checked.
 */
export function checkReference(scope: IConstruct, field: string, value: string, fix: string): void {
  if (isUnresolved(value)) {
    return;
  }
  if (value === undefined || value === null || value.trim() === '') {
    throw new ValidationError(scope, field, value, 'is empty', fix);
  }
  const length = lengthInCodePoints(value);
  if (length > MAX_STRING_LENGTH) {
    throw new ValidationError(scope, field, value, `is ${length} characters long; Magnum takes at most ${MAX_STRING_LENGTH}`, fix);
  }
}

/**
 * Refuses a Magnum id that is not the UUID Magnum prints (see {@link isMagnumUuid}): `why` says
 * what the UUID is needed for, `fix` where to read it.
 */
export function checkMagnumUuid(scope: IConstruct, field: string, value: string, why: string, fix: string): void {
  checkReference(scope, field, value, fix);
  if (!isUnresolved(value) && !isMagnumUuid(value)) {
    throw new ValidationError(scope, field, value, `is not a UUID as Magnum prints it (8-4-4-4-12 lower-case hex digits); ${why}`, fix);
  }
}

/**
 * Refuses, for callers the types cannot guard (plain JavaScript, a cast), a network passed where an
 * external one is required: it must say it is external and carry its external network id.
 */
export function checkExternalNetwork(
  scope: IConstruct,
  field: string,
  network: { readonly networkId: string; readonly external: boolean; readonly externalNetworkId?: string },
  consequence: string,
  fix: string,
): void {
  if (network.external !== true || network.externalNetworkId === undefined) {
    throw new ValidationError(scope, field, network.networkId, `is not an external network${consequence}`, fix);
  }
}
