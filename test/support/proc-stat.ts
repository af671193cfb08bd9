import * as fs from 'fs';

/**
 * A process's /proc/PID/stat, read once: field `n` as proc(5) numbers them (pid 1, state 3, starttime 22). The
 * command name (field 2), in parentheses, may hold spaces, so fields are counted after its closing one. Throws
 * when the process is gone.
 */
export function procStat(pid: number): (n: number) => number {
  const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (n) => Number(fields[n - 3]);
}
