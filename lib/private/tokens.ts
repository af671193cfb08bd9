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

/**
 * A setting as text for Terraform to compare: literals as they print, references as
 * Terraform strings (a number token would otherwise print as the huge number that encodes it).
 */
export function asText(value: string | number | boolean): string {
  return typeof value === 'number' && Token.isUnresolved(value) ? Token.asString(value) : String(value);
}
