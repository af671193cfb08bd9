import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
/** Inside the clone, so the compiled CLI resolves `yaml` from node_modules. */
const OUT = path.join(ROOT, '.tmp', 'teardown-cli');

/** Compiles bin/magnum-teardown.ts (and only what it imports) as `npm run build:lib` would; returns the JS path. */
export function compileCli(): string {
  execFileSync(
    path.join(ROOT, 'node_modules', '.bin', 'tsc'),
    [
      '--outDir',
      OUT,
      '--rootDir',
      ROOT,
      '--target',
      'ES2022',
      '--module',
      'commonjs',
      '--moduleResolution',
      'node',
      '--strict',
      '--esModuleInterop',
      '--skipLibCheck',
      '--types',
      'node',
      path.join(ROOT, 'bin', 'magnum-teardown.ts'),
    ],
    { cwd: ROOT, stdio: 'pipe' },
  );
  const js = path.join(OUT, 'bin', 'magnum-teardown.js');
  if (!fs.existsSync(js)) throw new Error(`tsc wrote no ${js}`);
  return js;
}
