/**
 * Sums the JSON results of jest runs made side by side (scripts/test.sh runs the unit and
 * integration tiers beside the e2e tier) into one file of jest's own shape, which .ci/run
 * reads for its closing `N passed, M failed` line.
 *   node dist/scripts/lib/jest-results.js OUT IN...
 * A missing or unreadable input counts as a suite that failed to run: a run that never
 * wrote its results must not read as passed.
 */
import * as fs from 'fs';

/** The counts of jest's `--json` results that .ci/run and a reader of the file use. */
const COUNTS = [
  'numTotalTestSuites',
  'numPassedTestSuites',
  'numFailedTestSuites',
  'numRuntimeErrorTestSuites',
  'numPendingTestSuites',
  'numTotalTests',
  'numPassedTests',
  'numFailedTests',
  'numPendingTests',
  'numTodoTests',
] as const;

type Results = Record<(typeof COUNTS)[number], number> & { success: boolean; testResults: unknown[]; unreadable?: string[] };

/** The sum of the result files; an unreadable one is named in `unreadable` and counted as a failed suite. */
export function mergeJestResults(files: readonly string[]): Results {
  const merged = { success: true, testResults: [] as unknown[], unreadable: [] as string[] } as Results & { unreadable: string[] };
  for (const key of COUNTS) merged[key] = 0;
  for (const file of files) {
    let r: Partial<Results>;
    try {
      r = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      merged.unreadable.push(file);
      merged.numRuntimeErrorTestSuites += 1;
      merged.numTotalTestSuites += 1;
      merged.success = false;
      continue;
    }
    for (const key of COUNTS) merged[key] += Number(r[key] ?? 0);
    merged.testResults.push(...(r.testResults ?? []));
    merged.success &&= r.success === true;
  }
  return merged;
}

if (require.main === module) {
  const [out, ...inputs] = process.argv.slice(2);
  if (!out || inputs.length === 0) {
    console.error('usage: node dist/scripts/lib/jest-results.js OUT IN...');
    process.exit(2);
  }
  const merged = mergeJestResults(inputs);
  fs.writeFileSync(out, JSON.stringify(merged));
  for (const file of merged.unreadable ?? []) console.error(`[test] no jest results in ${file}: that run failed before or inside jest`);
}
