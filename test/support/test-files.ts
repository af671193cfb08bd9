import * as fs from 'fs';
import * as path from 'path';

/** The names of the jest test files (`*.test.ts`) under `dir`, at any depth: what a tier holds. */
export function testFilesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? testFilesUnder(path.join(dir, e.name)) : e.name.endsWith('.test.ts') ? [e.name] : []));
}
