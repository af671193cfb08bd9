import { API_FLOOR, BENCH_PROJECT, Deleter, PARALLEL_CASCADE, teardownRows, timeTeardowns } from '../../../bench/cloud-teardown';
import { ourLbTeardownRow, RATIO_BOUNDS, ratioViolations } from '../../../bench/floors';
import { devcloudProjectClient } from '../../../devcloud';

/**
 * The bench's teardown bound in the tests, at the bench's small size: the library's teardown of 10 orphaned
 * Service load balancers (with their floating IPs and security groups) against the API floor, the simplest
 * client sending every DELETE at once (bench/teardown-floor.ts), on fresh resources each, in the bench's
 * project. A ratio, never a time: it fails when the teardown costs more than the bound (bench/floors.ts)
 * times what the cloud itself needs.
 */
jest.setTimeout(900_000);

const N = 10;

test(`our teardown of ${N} load balancers stays within its bound of the API floor`, async () => {
  const project = await devcloudProjectClient(BENCH_PROJECT);
  const deleters: Deleter[] = [API_FLOOR, PARALLEL_CASCADE];
  const rows = teardownRows(N, deleters, await timeTeardowns(project, N, 1, deleters));
  for (const r of rows) console.log(`${r.name}: ${r.medianSeconds.toFixed(1)} s${r.ratio ? `, ${r.ratio.toFixed(2)}x ${r.baseline}` : ''}`);

  // The bounded row was measured (a renamed row would otherwise go unchecked), and no bound is broken.
  expect(rows.map((r) => r.name)).toContain(ourLbTeardownRow(N));
  expect(RATIO_BOUNDS.map((b) => b.row)).toContain(ourLbTeardownRow(N));
  expect(ratioViolations(rows)).toEqual([]);
});
