import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * MagnumServiceRequirements stages its globals.yml and magnum.conf for the synth; a whole
 * synth in a process of its own (the compiled library, as `cdktf synth` runs it) must
 * leave nothing of that staging in the temp directory once the process has exited.
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
    app.synth();
    console.log(require('fs').readdirSync(process.env.TMPDIR).join(','));`;
  const run = spawnSync(process.execPath, ['-e', program, outdir, lib], { cwd: path.join(__dirname, '..', '..'), env: { ...process.env, TMPDIR: tmp }, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  // While the process ran, the staging folder existed (so this test sees the right folder) …
  expect(run.stdout).toMatch(/magnum-requirements-/);
  // … and after it exited, nothing is left of it.
  expect(fs.readdirSync(tmp)).toEqual([]);
  const assets = path.join(outdir, 'stacks', 'svc', 'assets');
  const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [e.name]));
  expect(files(assets).sort()).toEqual(['globals.yml', 'magnum.conf']);
});
