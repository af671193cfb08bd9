/**
 * How the OpenStack services, all written in Python, bound and recognize the strings they
 * store. Imports nothing, so that the construct checks and the teardown CLI (which loads
 * neither cdktf nor constructs) share one copy.
 */

/**
 * Longest name, id or short text the OpenStack APIs store: Neutron's `NAME_MAX_LEN` and
 * `String(255)` columns, Glance's property keys and `String(255)` columns, Cinder's jsonschema
 * `maxLength: 255` (cinder/api/validation/parameter_types.py), Magnum's wsme
 * `StringType(max_length=255)` and `String(255)` columns.
 */
export const MAX_STRING_LENGTH = 255;

/**
 * Length as those limits measure it: Python's `len()`, behind wsme's `StringType`, jsonschema's
 * `maxLength` and neutron-lib's `validate_string`, counts code points, where JavaScript's `.length`
 * counts UTF-16 units (two for each character outside the Basic Multilingual Plane, e.g. emoji).
 */
export function lengthInCodePoints(text: string): number {
  return [...text].length;
}

/**
 * oslo_utils uuidutils.is_uuid_like, behind neutron-lib's `type:uuid` and Cinder Zed's
 * `parameter_types.uuid`: 32 hex digits once `urn:`, `uuid:`, surrounding braces and dashes are dropped.
 */
export function isUuidLike(text: string): boolean {
  const hex = text
    .replaceAll('urn:', '')
    .replaceAll('uuid:', '')
    .replace(/^[{}]+|[{}]+$/g, '')
    .replaceAll('-', '');
  return /^[0-9a-fA-F]{32}$/.test(hex);
}
