/**
 * cdktn-swap.sh's second step in the copy: every TypeScript file imports cdktn where it imported
 * cdktf, and the generated .gen/providers/null binding where it imported @cdktf/provider-null.
 *   node dist/scripts/cdktn/rewrite-imports.js DIR
 */
import * as fs from 'fs';
import * as path from 'path';

/** Directories of the copy that hold no source of ours. */
const SKIPPED = new Set(['node_modules', 'dist', 'cdktf.out', '.git', '.tmp', '.toolchain']);

function typeScriptFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) return SKIPPED.has(e.name) ? [] : typeScriptFiles(file);
    return e.name.endsWith('.ts') ? [file] : [];
  });
}

/** The file's text with its cdktf imports rewritten (`nullBinding`: the absolute path of .gen/providers/null). */
export function rewriteImports(file: string, text: string, nullBinding: string): string {
  const relative = (module: string) => {
    const r = path.relative(path.dirname(file), path.join(nullBinding, module));
    return r.startsWith('.') ? r : `./${r}`;
  };
  return text
    .replace(/from (["'])cdktf\1/g, 'from $1cdktn$1')
    .replace(/(["'])cdktf\/lib\//g, '$1cdktn/lib/')
    .replace(/(["'])@cdktf\/provider-null\/lib\/(\w+)\1/g, (_, quote: string, module: string) => quote + relative(module) + quote);
}

if (require.main === module) {
  const dir = path.resolve(process.argv[2] ?? '.');
  for (const file of typeScriptFiles(dir)) {
    const before = fs.readFileSync(file, 'utf8');
    const after = rewriteImports(file, before, path.join(dir, '.gen', 'providers', 'null'));
    if (after !== before) fs.writeFileSync(file, after);
  }
}
