import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The test files' order (test/support/sequencer.js): a file that waits for a build npm test runs in the background
 * goes after every file that waits for nothing, and what each file waits for is read from the `@waitsFor` lines of
 * the test/ modules it imports. Reads files only.
 */

interface SequencedTest {
  path: string;
  context: { config: { cacheDirectory: string; id: string }; hasteFS: { getSize(file: string): number } };
}
// A CommonJS module that jest loads by its path (jest.config.js): required as jest requires it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sequencer = require('../support/sequencer.js') as {
  new (): { sort(tests: SequencedTest[]): SequencedTest[] };
  waitsFor(file: string): string[];
};

const ROOT = path.join(__dirname, '..', '..');
const e2e = (file: string) => path.join(ROOT, 'test', 'e2e', file);

test('a file waits for what the test/ modules it imports declare', () => {
  // GIVEN the e2e files, WHEN what each waits for is read, THEN it is what its support modules declare
  expect(sequencer.waitsFor(e2e('stacks.e2e.test.ts'))).toEqual(['k8s-toolchain']);
  expect(sequencer.waitsFor(e2e('teardown/real-controllers.e2e.test.ts'))).toEqual(['k8s-toolchain']);
  expect(sequencer.waitsFor(e2e('soak.e2e.test.ts'))).toEqual(['opentofu']);
  expect(sequencer.waitsFor(e2e('day-two.e2e.test.ts'))).toEqual([]);
});

test('files that wait go last, each group in the order jest would run it', () => {
  const cacheDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'sequencer-cache-'));
  try {
    // GIVEN files of both kinds, in jest's own order (no timings cached: the largest file first)
    const files = ['soak.e2e.test.ts', 'stacks.e2e.test.ts', 'day-two.e2e.test.ts', 'teardown/real-controllers.e2e.test.ts', 'kill-points.e2e.test.ts'];
    const size: Record<string, number> = { soak: 5, stacks: 4, 'day-two': 3, 'real-controllers': 2, 'kill-points': 1 };
    const tests = files.map((f) => ({
      path: e2e(f),
      context: { config: { cacheDirectory, id: 'e2e' }, hasteFS: { getSize: (file: string) => size[path.basename(file, '.e2e.test.ts')] } },
    }));
    // WHEN they are sorted, THEN those that wait come after the others, each group still largest first
    const order = new sequencer().sort(tests).map((t) => path.basename(t.path, '.e2e.test.ts'));
    expect(order).toEqual(['day-two', 'kill-points', 'soak', 'stacks', 'real-controllers']);
  } finally {
    fs.rmSync(cacheDirectory, { recursive: true, force: true });
  }
});
