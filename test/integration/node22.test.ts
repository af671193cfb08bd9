import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { testFilesUnder } from '../support/test-files';

const root = path.join(__dirname, '..', '..');
/**
 * This file runs the others; cdktn.test.ts runs on Node 22 already (cdktn-cli needs it); lint.test.ts runs the
 * same linters on the same files on Node 20, where their result does not depend on the runtime.
 */
const NOT_AGAIN = ['node22.test.ts', 'cdktn.test.ts', 'lint.test.ts'];
/**
 * The tiers run on Node 22: unit and integration (132 s here on 2026-12-04, one file after another in CI's single
 * jest worker, beside the e2e tier, which takes twenty times as long); MAGNUM_CDKTF_NODE22=unit runs the unit tier alone.
 */
const TIERS = process.env.MAGNUM_CDKTF_NODE22 === 'unit' ? ['unit'] : ['unit', 'integration'];

describe('Node 22, the second tested runtime', () => {
  test(`every ${TIERS.join(' and ')} test passes on Node 22 too, bindings and app built there`, () => {
    // GIVEN a copy of the project whose setup and tests run on the pinned Node 22 (scripts/on-node22.sh)
    // (in the project's .tmp, whose folders other users can pass through: the PostgreSQL test runs initdb as postgres)
    const dir = path.join(root, '.tmp', 'node22', 'project');
    // WHEN the tiers run there
    const ignore = `/test/integration/(${NOT_AGAIN.map((f) => f.replace(/\./g, '\\.')).join('|')})$`;
    const run = spawnSync('bash', [path.join(root, 'scripts', 'on-node22.sh'), dir, '--selectProjects', ...TIERS, '--testPathIgnorePatterns', ignore], {
      encoding: 'utf8',
      env: process.env,
      maxBuffer: 64 << 20,
    });
    // THEN they ran on Node 22 and all passed: as many files as the tiers hold, less those above
    expect(run.stderr).toMatch(/\[node22\] running jest on Node v22\.\d+\.\d+/);
    const resultsFile = path.join(dir, '.tmp', 'jest-results.json');
    expect({ results: fs.existsSync(resultsFile), status: run.status, output: run.status === 0 ? '' : run.stderr.slice(-4000) }).toEqual({
      results: true,
      status: 0,
      output: '',
    });
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    const failed = results.testResults.filter((r: { status: string }) => r.status !== 'passed').map((r: { name: string }) => r.name);
    expect({ failed, numFailedTests: results.numFailedTests }).toEqual({ failed: [], numFailedTests: 0 });
    const expected = TIERS.flatMap((tier) => testFilesUnder(path.join(root, 'test', tier))).filter((f) => !NOT_AGAIN.includes(f));
    expect(results.testResults).toHaveLength(expected.length);
  }, 1_800_000);
});
