import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const unitTestFiles = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? unitTestFiles(path.join(dir, e.name)) : e.name.endsWith('.test.ts') ? [e.name] : []));

describe('CDK Terrain', () => {
  test('every unit test passes with the app running on cdktn instead of cdktf', () => {
    // GIVEN a temp copy of the project, swapped to cdktn by the script CI runs
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdktn-')), 'project');
    // WHEN
    const run = spawnSync('bash', [path.join(root, 'scripts', 'cdktn-swap.sh'), dir], { encoding: 'utf8', env: process.env });
    // THEN the same unit suites ran there, all green, on cdktn's runtime
    const resultsFile = path.join(dir, '.tmp', 'jest-results.json');
    const output = fs.existsSync(resultsFile) ? '' : `${run.stdout.slice(-3000)}\n${run.stderr.slice(-1000)}`;
    expect({ status: run.status, output }).toEqual({ status: 0, output: '' });
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    expect(results.numFailedTests).toBe(0);
    expect(results.testResults).toHaveLength(unitTestFiles(path.join(root, 'test', 'unit')).length);
    expect(results.numPassedTests).toBeGreaterThan(100);
    const installed = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'cdktn', 'package.json'), 'utf8'));
    expect(installed.version).toBe('0.24.0');
    expect(fs.existsSync(path.join(dir, 'node_modules', 'cdktf'))).toBe(false);
  }, 600_000);
});
