import { createHash } from 'crypto';

/** Hex digits of a {@link digestOf}: short enough for a name, long enough that two settings never meet. */
export const DIGEST_LENGTH = 8;

/**
 * A short, stable digest of a resolved value (references resolved to their
 * `${type.name.attr}` strings, which stay the same across synths, unlike token ids).
 */
export function digestOf(resolved: unknown): string {
  return createHash('sha256').update(JSON.stringify(resolved)).digest('hex').slice(0, DIGEST_LENGTH);
}
