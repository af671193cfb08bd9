import * as fs from 'fs';
import * as path from 'path';

/**
 * When a deploy of each stack last handed over to Terraform from this checkout: what proves that an object
 * bearing the stack's mark, which its state lacks, was made by a run of ours that was killed (made since),
 * and not by a deployment whose state is elsewhere (another backend, another checkout: made before, or with
 * no run here at all). Written by scripts/before-apply.ts just before Terraform, after it adopted what the
 * run before left; `.magnum-cdktf/` is the checkout's, never committed.
 */
export const JOURNAL_DIR = '.magnum-cdktf/runs';

/** The journal file of a stack (names as `scripts/cdktf.sh` lets through: letters, digits, `_-`). */
function journalFile(root: string, stack: string): string {
  return path.join(root, JOURNAL_DIR, `${stack}.json`);
}

/** When a deploy of `stack` last started applying from this checkout, or undefined. */
export function lastDeployStart(root: string, stack: string): string | undefined {
  try {
    const startedAt = JSON.parse(fs.readFileSync(journalFile(root, stack), 'utf8')).startedAt;
    return typeof startedAt === 'string' && !Number.isNaN(Date.parse(startedAt)) ? startedAt : undefined;
  } catch {
    return undefined;
  }
}

/** Records that a deploy of `stack` starts applying now (written whole, then renamed: a kill leaves the old or the new). */
export function recordDeployStart(root: string, stack: string, now = new Date()): void {
  const file = journalFile(root, stack);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.${process.pid}`, `${JSON.stringify({ startedAt: now.toISOString() })}\n`);
  fs.renameSync(`${file}.${process.pid}`, file);
}
