import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { jsonFloorRow, ratioViolations, rawL1Row, Row, synthRow } from '../../bench/floors';

/**
 * The bench's ratio bounds (bench/floors.ts) held in CI (issue 16): the compiled bench (dist/, brought
 * up to date here as `npm run build` does; tsc is incremental) runs its offline synth rows at 1 and 10
 * platforms, each beside its raw L1 and JSON floors, and no ratio may pass its bound. Ratios only,
 * never absolute times. The bench first refuses a raw L1 stack that no longer makes the constructs'
 * resources. About 20 s (more when tsc has much to build).
 */
jest.setTimeout(180_000);

const root = path.join(__dirname, '..', '..');
const SIZES = [1, 10];

test('the constructs stay within the stated bounds of their raw L1 floor', () => {
  // GIVEN the compiled app and bench
  execFileSync(path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: root, stdio: 'pipe' });
  const results = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-floors-')), 'bench-results.json');

  // WHEN the offline synth rows are measured at small sizes
  const run = spawnSync(process.execPath, [path.join(root, 'dist', 'bench', 'run.js')], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, BENCH_CLOUD: '0', BENCH_RUNS: '3', BENCH_PLATFORMS: SIZES.join(','), BENCH_SYNTH_ONLY: '1', BENCH_RESULTS: results },
  });
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: expect.any(String) });

  // THEN every size has its two floors, and no ratio passes its bound
  const rows = (JSON.parse(fs.readFileSync(results, 'utf8')) as { rows: Row[] }).rows;
  expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(SIZES.flatMap((n) => [jsonFloorRow(n), rawL1Row(n), synthRow(n)])));
  expect({ violations: ratioViolations(rows), table: run.stdout }).toEqual({ violations: [], table: expect.any(String) });
});
