import { Token } from 'cdktf';

/**
 * True when a value is a Terraform token, unknown until apply. Such values are
 * neither validated nor rejected at synth time.
 */
export function isUnresolved(value: unknown): boolean {
  if (value === undefined || value === null) {
    return false;
  }
  if (Array.isArray(value)) {
    return Token.isUnresolved(value) || value.some((v) => isUnresolved(v));
  }
  return Token.isUnresolved(value);
}
