// The order jest runs test files in: its own (failed first, then slowest first, then largest), except that a file
// which waits for a program `npm test` builds in the background runs after every file that waits for nothing.
//
// On a fresh machine those builds (the Kubernetes programs: tens of minutes on 2 cores; OpenTofu) are still running
// when the e2e tier starts, and the tier runs one file at a time: a waiting file placed early holds the whole tier
// still until its build is done. Placed last, it finds the build finished while the other files ran. (The order holds as
// jest runs the tier on 2 cores, one worker; with more workers, files wait on e2e-environment.ts's lock in any order.)
//
// A module declares what it waits for in a comment line of its own, ` * @waitsFor <build>`; a test file waits for
// what it declares and what the test/ modules it imports (relative imports, followed through) declare.
const fs = require('fs');
const path = require('path');
const Sequencer = require('@jest/test-sequencer').default;
const ts = require('typescript');

const TEST_ROOT = path.join(__dirname, '..');

const PRAGMA = /^\s*\*\s*@waitsFor\s+(\S+)/gm;

/** The builds `file` waits for, itself or through what it imports; `seen` guards against import cycles. */
function waitsFor(file, seen = new Set()) {
  if (seen.has(file)) return [];
  seen.add(file);
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const own = [...text.matchAll(PRAGMA)].map((m) => m[1]);
  // The modules it imports, read by TypeScript's scanner as test/unit/tiers.test.ts reads them (every import form).
  const specifiers = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
  const imported = specifiers
    .filter((spec) => spec.startsWith('.'))
    .flatMap((spec) => {
      const base = path.resolve(path.dirname(file), spec.replace(/\.js$/, ''));
      if (path.relative(TEST_ROOT, base).startsWith('..')) return [];
      const target = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
      return target ? waitsFor(target, seen) : [];
    });
  return [...new Set([...own, ...imported])].sort();
}

class WaitingLastSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const waiting = new Set(sorted.filter((t) => waitsFor(t.path).length > 0));
    return [...sorted.filter((t) => !waiting.has(t)), ...sorted.filter((t) => waiting.has(t))];
  }
}

module.exports = WaitingLastSequencer;
module.exports.waitsFor = waitsFor;
