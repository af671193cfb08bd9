import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { devcloudClient } from '../../devcloud';
import { acquire, release } from './e2e-environment';
import { readmeEnv } from './example-stacks';
import { deleteOrphans } from './kill-harness';

/**
 * The e2e tier's global setup: before its first file, removes what an earlier run of the tier left in
 * the local cloud when it was cut short (a session lost, Ctrl-C, CI's time limit) — the objects that
 * carry an example stack's names and are not in this clone's state. Those break this run: the kill
 * points check that the cloud holds nothing of a stack before their first kill, and a leftover volume
 * type or template would collide with a deploy's. The local cloud is the tests' own; what this clone
 * deployed (its state, `npm start`'s stack) is kept. Within this run, a file that leaks still fails the
 * next file's checks: the sweep runs once, before them all.
 *
 * The stacks' names are synthesized as the tests' `npm run cdktf` synthesizes them for the local cloud
 * (the README's environment, devcloud/target.sh), into a folder of the sweep's own. Holds the e2e lock while it deletes, so a
 * run of e2e files in this clone is never swept from under it.
 */
const ROOT = path.join(__dirname, '..', '..');

export default async function sweepLeftovers(): Promise<void> {
  const outDir = path.join(ROOT, '.tmp', 'e2e-sweep');
  fs.rmSync(outDir, { recursive: true, force: true });
  const synth = spawnSync(
    'bash',
    ['-c', 'source scripts/lib/common.sh && source devcloud/target.sh && devcloud_target && CDKTF_OUTDIR="$1" exec node dist/main.js', 'sweep', outDir],
    { cwd: ROOT, env: readmeEnv(), encoding: 'utf8' },
  );
  if (synth.status !== 0) throw new Error(`e2e sweep: synthesizing the example stacks failed (exit ${synth.status}):\n${synth.stdout}${synth.stderr}`);
  const stacks = fs.readdirSync(path.join(outDir, 'stacks')).sort();
  const os = await devcloudClient();
  await acquire();
  try {
    for (const stack of stacks) {
      const done = await deleteOrphans(os, stack, { outDir });
      if (done.length > 0)
        process.stderr.write(`[e2e sweep] ${stack}: an earlier run left objects with its names, not in this clone's state:\n  ${done.join('\n  ')}\n`);
      const failed = done.filter((line) => !line.startsWith('deleted '));
      if (failed.length > 0) throw new Error(`e2e sweep: ${stack}: the cloud still holds what an earlier run left:\n${failed.join('\n')}`);
    }
  } finally {
    release();
  }
}
