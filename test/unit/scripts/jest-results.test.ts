import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { mergeJestResults } from '../../../scripts/lib/jest-results';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jest-results-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function resultsFile(name: string, passed: number, failed: number, runtimeErrors = 0): string {
  const file = path.join(dir, name);
  fs.writeFileSync(
    file,
    JSON.stringify({
      success: failed + runtimeErrors === 0,
      numPassedTests: passed,
      numFailedTests: failed,
      numTotalTests: passed + failed,
      numRuntimeErrorTestSuites: runtimeErrors,
      numTotalTestSuites: 1 + runtimeErrors,
      testResults: [{ name }],
    }),
  );
  return file;
}

test('the tiers run side by side sum to one result of jest shape', () => {
  const merged = mergeJestResults([resultsFile('fast.json', 900, 0), resultsFile('e2e.json', 60, 2, 1)]);
  expect(merged).toMatchObject({
    numPassedTests: 960,
    numFailedTests: 2,
    numTotalTests: 962,
    numRuntimeErrorTestSuites: 1,
    numTotalTestSuites: 3,
    success: false,
  });
  expect(merged.testResults).toEqual([{ name: 'fast.json' }, { name: 'e2e.json' }]);
});

test('all passing is a success', () => {
  expect(mergeJestResults([resultsFile('a.json', 1, 0), resultsFile('b.json', 2, 0)])).toMatchObject({ success: true, numPassedTests: 3, numFailedTests: 0 });
});

test('a run that wrote no results counts as a failed suite, named', () => {
  const missing = path.join(dir, 'never-written.json');
  const merged = mergeJestResults([resultsFile('c.json', 5, 0), missing]);
  expect(merged).toMatchObject({ success: false, numPassedTests: 5, numRuntimeErrorTestSuites: 1, unreadable: [missing] });
});
