/** What stands in for a secret in anything printed. */
export const REDACTED = '***';

/** Replaces every occurrence of each non-empty secret in `text`, so errors and logs never carry one. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  // Longest first: a secret that contains another is replaced whole.
  for (const secret of [...secrets].filter((s): s is string => !!s).sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join(REDACTED);
  }
  return out;
}
