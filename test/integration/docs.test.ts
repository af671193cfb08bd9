import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { addExampleStacks } from '../../stacks';

/**
 * The generated docs, through the programs that make them: the compiled topology renderer
 * (dist/, built by setup) and typedoc. The DOT text itself is a unit test (test/unit/scripts/topology.test.ts).
 */
jest.setTimeout(120_000);

const root = path.join(__dirname, '..', '..');
const app = Testing.app();
addExampleStacks(app);
app.synth();
const stackDir = (name: string) => path.join(app.outdir, 'stacks', name);

describe('topology picture', () => {
  // Through the compiled CLI that `npm run topology` runs: the renderer is ESM-only, which jest cannot load.
  test.each(['all-in-one', 'fedora-coreos'])('docs/topology-%s.svg is current (npm run topology redraws it)', (name) => {
    const fresh = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'svg-')), `${name}.svg`);
    execFileSync(process.execPath, [path.join(root, 'dist', 'scripts', 'topology.js'), stackDir(name), fresh], { stdio: 'pipe' });
    expect(fs.readFileSync(fresh, 'utf8')).toBe(fs.readFileSync(path.join(root, 'docs', `topology-${name}.svg`), 'utf8'));
  });
});

describe('API docs', () => {
  test('typedoc renders a page per construct with its summary', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'api-'));
    execFileSync(
      'npx',
      [
        '--no-install',
        'typedoc',
        '--out',
        out,
        '--tsconfig',
        'tsconfig.lib.json',
        '--excludePrivate',
        '--disableSources',
        '--readme',
        'none',
        '--logLevel',
        'Error',
        'lib/index.ts',
      ],
      { cwd: root, stdio: 'pipe' },
    );
    const page = (cls: string) => fs.readFileSync(path.join(out, 'classes', `${cls}.html`), 'utf8');
    expect(page('ClusterTemplate')).toContain('Magnum refuses to update a template a cluster uses');
    expect(page('ExternalNetwork')).toContain('floating-IP ranges');
    for (const cls of ['MagnumImage', 'VolumeType', 'MagnumCluster', 'ClusterNetwork', 'MagnumServiceRequirements', 'ClusterTeardown', 'MagnumPlatform']) {
      expect(fs.existsSync(path.join(out, 'classes', `${cls}.html`))).toBe(true);
    }
  });
});
