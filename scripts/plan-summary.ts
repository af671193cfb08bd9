/**
 * The offline half of the main job: validates every synthesized stack against
 * the real provider schema and prints what each would create.
 * Usage: node dist/scripts/plan-summary.js [cdktf.out]
 */
import * as fs from 'fs';
import * as path from 'path';
import { validateStackDir } from './lib/terraform';

/** What the summary prints of a synthesized resource. */
interface SummarizedResource {
  readonly name?: string;
  readonly triggers?: { readonly cluster_name?: string };
  readonly '//'?: { readonly metadata?: { readonly path?: string } };
}

function main(outdir: string): number {
  const stacksDir = path.join(outdir, 'stacks');
  let failures = 0;
  for (const name of fs.readdirSync(stacksDir).sort()) {
    const dir = path.join(stacksDir, name);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
    const result = validateStackDir(dir);
    console.log(`\nstack ${name}: terraform validate ${result.valid ? 'OK' : 'FAILED'}`);
    result.diagnostics.forEach((d) => console.log(`  ${d}`));
    failures += result.valid ? 0 : 1;
    for (const [type, byId] of Object.entries<Record<string, SummarizedResource>>(json.resource ?? {})) {
      for (const resource of Object.values(byId)) {
        const label = resource.name ?? resource.triggers?.cluster_name ?? '';
        console.log(`  + ${type.padEnd(44)} ${resource['//']?.metadata?.path ?? ''}${label ? `  (${label})` : ''}`);
      }
    }
    for (const output of Object.keys(json.output ?? {})) {
      console.log(`  > output ${output}${json.output[output].sensitive ? ' (sensitive)' : ''}`);
    }
  }
  return failures;
}

process.exitCode = main(process.argv[2] ?? 'cdktf.out') === 0 ? 0 : 1;
