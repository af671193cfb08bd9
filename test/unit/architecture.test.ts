import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * The three wings of STYLE.md rule 11 as an import graph: lib/ (synth time), runtime/
 * (destroy time), devcloud/ (the local cloud), with bin/, bench/, scripts/ and stacks/
 * around them. Arrows go to the shared contract (the CLI's flag table), never into another
 * wing or another folder's private/. Reads files only.
 */

const ROOT = path.join(__dirname, '..', '..');
/** Folders whose .ts files are read (a folder that does not exist yet has none). */
const FOLDERS = ['lib', 'runtime', 'devcloud', 'bin', 'bench', 'scripts', 'stacks'];
/** The one module of the runtime that lib/ may import: the contract both wings share. */
const FLAGS = 'runtime/teardown/flags.ts';
/** The contracts both wings may import: the teardown CLI's flags, the owner marks of created objects. */
const CONTRACTS = [FLAGS, 'runtime/owner-mark.ts'];

/** One import: the importing file, the file it names (repo-relative), and the specifier as written. */
interface Edge {
  readonly from: string;
  readonly to: string;
  readonly spec: string;
}

const isFile = (rel: string) => fs.existsSync(path.join(ROOT, rel)) && fs.statSync(path.join(ROOT, rel)).isFile();
const under = (file: string, dir: string) => file.startsWith(`${dir}/`);
const show = (e: Edge) => `${e.from} imports ${e.spec}`;

/** Every .ts file under a folder, repo-relative with `/`; none when the folder does not exist. */
function tsFiles(dir: string): string[] {
  if (!fs.existsSync(path.join(ROOT, dir))) return [];
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : tsFiles(rel);
    return e.isFile() && rel.endsWith('.ts') && !rel.endsWith('.d.ts') ? [rel] : [];
  });
}

/**
 * The specifiers a module imports or re-exports, as TypeScript's own scanner reads them: static
 * (`import type` included), side-effect and dynamic imports, `export … from`, and require().
 */
function importSpecifiers(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/** The file a relative specifier names (`x.ts`, `x/index.ts`); undefined for a package. */
function resolve(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  return [base, `${base}.ts`, `${base}/index.ts`].find(isFile) ?? `${base}.ts`;
}

/** The import graph of the project's code (of `folders`, by default the code's). */
function importGraph(folders = FOLDERS): Edge[] {
  return folders.flatMap(tsFiles).flatMap((from) =>
    importSpecifiers(fs.readFileSync(path.join(ROOT, from), 'utf8'))
      .map((spec) => ({ from, spec, to: resolve(from, spec) }))
      .filter((e): e is Edge => e.to !== undefined),
  );
}

/** Edges that close a cycle between folders (DFS back-edges), each with the cycle it closes. */
function folderCycles(edges: Edge[]): string[] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    // A folder's private/ helpers are part of it: magnum/ and magnum/private/ are one folder here.
    const folder = (file: string) => path.posix.dirname(file).replace(/\/private$/, '');
    const [a, b] = [folder(e.from), folder(e.to)];
    if (a !== b) next.set(a, (next.get(a) ?? new Set()).add(b));
  }
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (folder: string) => {
    state.set(folder, 'open');
    stack.push(folder);
    for (const to of [...(next.get(folder) ?? [])].sort()) {
      if (state.get(to) === 'open') cycles.push([...stack.slice(stack.indexOf(to)), to].join(' -> '));
      else if (!state.has(to)) visit(to);
    }
    stack.pop();
    state.set(folder, 'done');
  };
  [...next.keys()].sort().forEach((f) => state.has(f) || visit(f));
  return cycles;
}

const graph = importGraph();

test('the graph is read: bin reaches the CLI, lib/ the flag table', () => {
  expect(graph).toContainEqual(expect.objectContaining({ from: 'bin/magnum-teardown.ts', to: 'runtime/teardown/cli.ts' }));
  expect(graph.filter((e) => under(e.from, 'lib') && e.to === FLAGS).length).toBeGreaterThan(0);
});

test('lib/ imports nothing of the runtime but its contracts', () => {
  expect(graph.filter((e) => under(e.from, 'lib') && under(e.to, 'runtime') && !CONTRACTS.includes(e.to)).map(show)).toEqual([]);
});

test('runtime/ imports neither lib/ nor devcloud/', () => {
  expect(graph.filter((e) => under(e.from, 'runtime') && (under(e.to, 'lib') || under(e.to, 'devcloud'))).map(show)).toEqual([]);
});

test('the contracts import nothing but Node, so both wings may depend on them', () => {
  for (const contract of CONTRACTS) expect(importSpecifiers(fs.readFileSync(path.join(ROOT, contract), 'utf8')).filter((s) => s !== 'crypto')).toEqual([]);
});

test('a private/ folder is imported only from inside the folder that holds it', () => {
  const holder = (file: string) => file.split('/').slice(0, file.split('/').indexOf('private')).join('/');
  expect(graph.filter((e) => e.to.split('/').includes('private') && !under(e.from, holder(e.to))).map(show)).toEqual([]);
});

test('the folders of lib/ import each other without a cycle', () => {
  // lib/index.ts only re-exports, for users: no file of lib/ imports it.
  expect(graph.filter((e) => e.to === 'lib/index.ts' && under(e.from, 'lib')).map(show)).toEqual([]);
  expect(folderCycles(graph.filter((e) => under(e.from, 'lib') && under(e.to, 'lib') && e.from !== 'lib/index.ts'))).toEqual([]);
});

test('other folders, the tests included, import devcloud/ only through its entry, devcloud/index.ts', () => {
  const outside = importGraph([...FOLDERS.filter((f) => f !== 'devcloud'), 'test']);
  expect(outside.filter((e) => under(e.to, 'devcloud')).length).toBeGreaterThan(0);
  expect(outside.filter((e) => under(e.to, 'devcloud') && e.to !== 'devcloud/index.ts').map(show)).toEqual([]);
});
