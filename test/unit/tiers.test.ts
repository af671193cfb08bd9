import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * The test tiers of README "Layout" kept honest. A unit test needs node alone: neither it nor a
 * file of test/ it imports runs a program (but the one below), calls Terraform, or reads the
 * compiled app (dist/) or the toolchain (.toolchain/); what does is an integration test. End-to-end
 * tests are named *.e2e.test.ts, and only they are. Reads files only.
 */

const ROOT = path.join(__dirname, '..', '..');
const SELF = 'test/unit/tiers.test.ts';
/** The unit tests allowed to run a program, and why. */
const RUNS_A_PROGRAM: Record<string, string> = {
  'test/support/provisioner-shell.ts': 'runs the synthesized provisioners through /bin/sh, the POSIX shell every machine has, as Terraform does',
};

const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');
const read = (file: string) => fs.readFileSync(file, 'utf8');

/** Every .ts file under `dir`, absolute. */
function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(file);
    return e.name.endsWith('.ts') ? [file] : [];
  });
}

/** The modules a file imports or requires, read by TypeScript's scanner (an import in a string is none). */
const specifiers = (text: string) => ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);

/** The unit tests and, followed through their relative imports, the files of test/ they load. */
function unitTier(): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of specifiers(read(file)).filter((s) => s.startsWith('.'))) {
      const base = path.resolve(path.dirname(file), spec);
      const target = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
      if (target && rel(target).startsWith('test/')) visit(target);
    }
  };
  tsFiles(path.join(ROOT, 'test', 'unit'))
    .filter((f) => f.endsWith('.test.ts'))
    .forEach(visit);
  return [...seen]
    .map(rel)
    .filter((f) => f !== SELF)
    .sort();
}

describe('test/unit needs node alone', () => {
  const files = unitTier();

  test('the tier is read: the unit tests and the support files they import', () => {
    expect(files).toEqual(expect.arrayContaining(['test/unit/bad-input.test.ts', 'test/support/fixtures.ts', 'test/support/fake-openstack.ts']));
  });

  test('no file of it runs a program, but the one /bin/sh', () => {
    const running = files.filter((f) => specifiers(read(path.join(ROOT, f))).some((s) => /^(node:)?child_process$/.test(s)));
    expect(running).toEqual(Object.keys(RUNS_A_PROGRAM));
  });

  test('no file of it calls Terraform or reads dist/ or .toolchain/', () => {
    const reaching = files.filter((f) => {
      const text = read(path.join(ROOT, f));
      return (
        specifiers(text).some((s) => /scripts\/lib\/terraform$|support\/(compiled-cli|toolchain-env|postgres|e2e-project)$/.test(s)) ||
        /['"`](?:\.\/)?dist(?:['"`]|\/)|\.toolchain\b/.test(text.replace(/\/\/.*$|^\s*\*.*$/gm, ''))
      );
    });
    expect(reaching).toEqual([]);
  });
});

test('end-to-end tests, and only they, are named *.e2e.test.ts', () => {
  const tests = tsFiles(path.join(ROOT, 'test'))
    .map(rel)
    .filter((f) => f.endsWith('.test.ts'));
  expect(tests.filter((f) => f.startsWith('test/e2e/') !== f.endsWith('.e2e.test.ts'))).toEqual([]);
  expect(tests.filter((f) => f.startsWith('test/e2e/')).length).toBeGreaterThan(0);
});
