import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');

/** The TypeScript files under `dir` (relative to the project), or none when it does not exist. */
function tsFiles(dir: string): string[] {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return [dir];
  return fs
    .readdirSync(full, { withFileTypes: true })
    .filter((e) => e.name !== 'node_modules' && !e.name.startsWith('.'))
    .flatMap((e) => (e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('one way to get the OpenStack provider', () => {
  test('stacks and main.ts import nothing of OpenStack from .gen/: the provider and the constructs come from lib', () => {
    // (The cdktn swap points the null provider at its generated binding in .gen/providers/null: that one may come from there.)
    const deep = [...tsFiles('stacks'), ...tsFiles('main.ts')].filter((f) =>
      /from '[^']*\.gen\/providers\/openstack\//.test(fs.readFileSync(path.join(root, f), 'utf8')),
    );
    expect(deep).toEqual([]);
  });

  test('nothing outside lib/ imports the provider binding from .gen/ (tests may still import generated resources)', () => {
    const dirs = ['main.ts', 'stacks', 'test', 'bench', 'scripts', 'bin', 'runtime', 'devcloud'];
    const deep = dirs.flatMap(tsFiles).filter((f) => /from '[^']*\.gen\/providers\/openstack\/provider'/.test(fs.readFileSync(path.join(root, f), 'utf8')));
    expect(deep).toEqual([]);
  });

  test("the README's examples import the provider from lib", () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme).not.toMatch(/from '[^']*\.gen\//);
    expect(readme).toMatch(/import \{[^}]*\bOpenstackProvider\b[^}]*\} from '\.\/lib';/);
  });
});
