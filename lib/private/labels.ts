import { IConstruct } from 'constructs';
import { ValidationError } from '../core/validation-error';
import { isPythonInt } from './magnum-checks';
import { isUnresolved } from './tokens';

/**
 * Turns typed label values into the strings Magnum stores: booleans and numbers
 * convert; anything else (objects, arrays, null) is refused with the label's name.
 */
export function toLabels(scope: IConstruct, field: string, labels: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (value === undefined) {
      continue;
    }
    if (key.trim() === '') {
      throw new ValidationError(scope, field, labels, 'has an empty label key', 'remove the empty key');
    }
    if (typeof value === 'string') {
      out[key] = value;
    } else if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
      out[key] = String(value);
    } else {
      throw new ValidationError(
        scope,
        `${field}.${key}`,
        value,
        'is not a string after conversion (Magnum labels are strings)',
        `give "${key}" a string, number or boolean value`,
      );
    }
  }
  return out;
}

/** Checks a whole-number prop against a lower bound, leaving tokens alone. */
export function checkCount(scope: IConstruct, field: string, value: number | undefined, min: number, fix: string): void {
  if (value === undefined || isUnresolved(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < min) {
    throw new ValidationError(scope, field, value, `is not a whole number >= ${min}`, fix);
  }
}

/**
 * Refuses a label that Magnum reads with Python's `int()` when it does not parse;
 * `reader` names the upstream code that reads it, for the message.
 */
export function checkIntegerLabel(scope: IConstruct, field: string, labels: Record<string, string>, key: string, reader: string): void {
  const value = labels[key];
  if (value === undefined || isUnresolved(value) || isPythonInt(value)) {
    return;
  }
  throw new ValidationError(scope, `${field}.${key}`, value, `is not an integer, and ${reader} reads it as one`, `give "${key}" a whole number, e.g. "20"`);
}
