import { IConstruct } from 'constructs';
import { DESCRIPTION_MARK_LENGTH } from '../../runtime/owner-mark';
import { ValidationError } from '../core/validation-error';
import { isUuidLike, lengthInCodePoints, MAX_STRING_LENGTH } from './openstack-strings';
import { isUnresolved } from './tokens';
import { warn } from './warn';

/*
 * What Cinder's volume-type API (Zed 21.x, and master where it differs) refuses, as checks that
 * throw a ValidationError at synth. Each rule names the upstream code that applies it.
 */

/** The type every Cinder has: its first DB migration creates it (cinder/db/migrations/versions/921e1a36b076_initial.py). */
export const DEFAULT_VOLUME_TYPE = '__DEFAULT__';

/**
 * Extra-spec keys the type-create schema takes (parameter_types.extra_specs), and the narrower set
 * the extra-specs API takes (extra_specs_with_no_spaces_key): the provider sends every later change
 * of extra_specs through the latter, so a key with a space or `/` could never change again.
 */
const EXTRA_SPEC_KEY = new RegExp(`^[a-zA-Z0-9_:. /-]{1,${MAX_STRING_LENGTH}}$`);
const EXTRA_SPEC_KEY_NO_SPACES = new RegExp(`^[a-zA-Z0-9_:.-]{1,${MAX_STRING_LENGTH}}$`);

/**
 * Characters a description may not hold (parameter_types.valid_description_regex): categories
 * C* and Z* but Zs, and anything past U+FFFE, which the regex's range(0xFFFF) leaves out.
 */
const NOT_PRINTABLE = /[\p{C}\p{Zl}\p{Zp}\u{FFFF}-\u{10FFFF}]/u;

/** What a jsonschema `pattern` ending in `$` sees: Python's `$` also matches before one final newline. */
function patternSubject(text: string): string {
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** Refuses a description Cinder's schema refuses (volume_types.create: parameter_types.description). */
export function checkDescription(scope: IConstruct, field: string, description: string | undefined): void {
  if (description === undefined || isUnresolved(description)) {
    return;
  }
  // The owner mark follows the operator's text (runtime/owner-mark.ts), within Cinder's limit.
  const room = MAX_STRING_LENGTH - DESCRIPTION_MARK_LENGTH;
  const length = lengthInCodePoints(description);
  if (length > room) {
    throw new ValidationError(
      scope,
      field,
      description,
      `is ${length} characters long; with the ${DESCRIPTION_MARK_LENGTH}-character owner mark this library appends, Cinder would refuse it (at most ${MAX_STRING_LENGTH})`,
      `shorten it to at most ${room} characters`,
    );
  }
  if (NOT_PRINTABLE.test(patternSubject(description))) {
    throw new ValidationError(
      scope,
      field,
      description,
      'contains characters Cinder refuses in a description (control characters, line breaks, or ones outside the Basic Multilingual Plane)',
      'use printable characters on one line',
    );
  }
}

/** Refuses extra specs Cinder refuses at create, or at the extra-specs API every later change goes through. */
export function checkExtraSpecs(scope: IConstruct, field: string, specs: { [key: string]: string }): void {
  for (const [key, value] of Object.entries(specs)) {
    if (isUnresolved(key)) {
      continue;
    }
    // cinder/api/schemas/volume_types.py: create (patternProperties, additionalProperties: false).
    if (!EXTRA_SPEC_KEY.test(patternSubject(key))) {
      throw new ValidationError(
        scope,
        field,
        specs,
        `has the key ${JSON.stringify(key)}, which Cinder refuses: keys are 1 to ${MAX_STRING_LENGTH} of letters, digits and "-_:. /"`,
        'rename the key',
      );
    }
    // cinder/api/schemas/types_extra_specs.py: create, behind the provider's update of extra_specs.
    if (!EXTRA_SPEC_KEY_NO_SPACES.test(patternSubject(key))) {
      throw new ValidationError(
        scope,
        field,
        specs,
        `has the key ${JSON.stringify(key)}: Cinder creates the type with it but refuses a space or "/" in every later change of extraSpecs`,
        'rename the key without spaces or "/"',
      );
    }
    checkExtraSpecValue(scope, `${field}.${key}`, value);
  }
  // cinder/api/contrib/types_extra_specs.py: _check_cacheable, on every later change of extra_specs.
  if (specs.cacheable === '<is> True' && specs.multiattach === '<is> True') {
    throw new ValidationError(
      scope,
      `${field}.cacheable`,
      specs.cacheable,
      'is set with multiattach "<is> True": Cinder refuses the two together ("cacheable cannot be set with multiattach")',
      'remove one of them',
    );
  }
}

/** Refuses an extra-spec value longer than Cinder's schemas take (parameter_types.extra_specs: maxLength 255). */
export function checkExtraSpecValue(scope: IConstruct, field: string, value: string | undefined): void {
  if (typeof value === 'string' && !isUnresolved(value) && lengthInCodePoints(value) > MAX_STRING_LENGTH) {
    throw new ValidationError(
      scope,
      field,
      value,
      `is ${lengthInCodePoints(value)} characters long, which Cinder refuses`,
      `shorten it to at most ${MAX_STRING_LENGTH} characters`,
    );
  }
}

/** Refuses project grants Cinder refuses; warns of ids only Cinder Zed and older refuse. */
export function checkProjectIds(scope: IConstruct, field: string, projectIds: string[]): void {
  const seen = new Set<string>();
  projectIds.forEach((id, i) => {
    if (isUnresolved(id)) {
      return;
    }
    // Zed: cinder/api/schemas/volume_type_access.py add_project_access (parameter_types.uuid);
    // master: a string of 1 to 255 characters.
    if (id === '' || lengthInCodePoints(id) > MAX_STRING_LENGTH) {
      throw new ValidationError(scope, `${field}[${i}]`, id, 'is not a project id', 'give the Keystone project id');
    }
    // cinder/db/sqlalchemy/api.py: volume_type_access_add raises VolumeTypeAccessExists (409).
    if (seen.has(id)) {
      throw new ValidationError(scope, `${field}[${i}]`, id, 'is listed twice; Cinder refuses the second grant with 409 Conflict', 'list each project once');
    }
    seen.add(id);
    if (!isUuidLike(id)) {
      warn(
        scope,
        `${field}[${i}]`,
        id,
        'is not a UUID, which Cinder up to Zed (21.x) refuses in a type access grant (2023.1 and later accept legacy ids)',
        'give the Keystone project id (32 hex digits)',
      );
    }
  });
}
