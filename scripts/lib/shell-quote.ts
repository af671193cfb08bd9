/**
 * One word for a POSIX shell: what a value becomes when it has to go into a command line
 * that a shell parses (a Terraform local-exec `command`, cdktf's `--app`, pg_ctl's `-o`),
 * where no argv array can be passed. Plain words (paths without spaces or metacharacters)
 * are left as they are, so the command reads the same; anything else is single-quoted.
 */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) {
    return value;
  }
  // Inside single quotes nothing is special but the quote itself: close, escape it, reopen.
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
