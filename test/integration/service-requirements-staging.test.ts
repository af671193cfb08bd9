import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * MagnumServiceRequirements stages its globals.yml and magnum.conf for the synth; a whole
 * synth in a process of its own (the compiled library, as `cdktf synth` runs it) must
 * leave nothing in the temp directory.
 */
test('a synth leaves no staging folder behind, and the fragments are in the synth output', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'requirements-tmp-'));
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'requirements-out-'));
  const lib = path.join(__dirname, '..', '..', 'dist', 'lib');
  const program = `
    const { App, TerraformStack } = require('cdktf');
    const { MagnumServiceRequirements } = require(process.argv[2]);
    const app = new App({ outdir: process.argv[1] });
    new MagnumServiceRequirements(new TerraformStack(app, 'svc'), 'service');
    app.synth();`;
  const run = spawnSync(process.execPath, ['-e', program, outdir, lib], {
    cwd: path.join(__dirname, '..', '..'),
    env: { ...process.env, TMPDIR: tmp },
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(fs.readdirSync(tmp)).toEqual([]);
  const assets = path.join(outdir, 'stacks', 'svc', 'assets');
  const files = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [e.name]));
  expect(files(assets).sort()).toEqual(['globals.yml', 'magnum.conf']);
});
