import { IConstruct } from 'constructs';
import { ValidationError } from '../core/validation-error';
import { isUnresolved } from './tokens';

/** An enum's members as the user writes them, for a fix: `MagnumDriver.HEAT_FEDORA_COREOS, …`. */
export function members(name: string, values: object): string {
  return Object.keys(values)
    .map((k) => `${name}.${k}`)
    .join(', ');
}

/** One member as the user writes it: `ClusterReplacement.REFUSE` for the value `'refuse'`. */
export function member(name: string, values: object, value: unknown): string {
  return `${name}.${Object.entries(values).find(([, v]) => v === value)?.[0]}`;
}

/** Refuses a value that is none of an enum's (say, a string from untyped JavaScript or JSON). */
export function checkEnum(scope: IConstruct, field: string, value: unknown, values: object, name: string): void {
  if (value === undefined || isUnresolved(value) || Object.values(values).includes(value)) return;
  throw new ValidationError(scope, field, value, `is not a ${name}`, `use one of ${members(name, values)}`);
}
