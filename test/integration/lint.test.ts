import { execFileSync, spawnSync } from 'child_process';
import * as path from 'path';

/**
 * The linters the project is held to, run as the test command runs everything: ESLint (its
 * and typescript-eslint's recommended rules), Prettier's formatting, and shellcheck on every
 * shell script. Each reports what it found, so a failure says where.
 */
const root = path.join(__dirname, '..', '..');
const run = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 32 << 20 });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
};

jest.setTimeout(180_000);

test('ESLint finds nothing', () => {
  expect(run('npx', ['--no-install', 'eslint', '--max-warnings', '0', '.'])).toEqual({ status: 0, output: '' });
});

test('Prettier finds every file formatted', () => {
  const result = run('npx', ['--no-install', 'prettier', '--check', '--log-level', 'warn', '.']);
  expect(result).toEqual({ status: 0, output: '' });
});

test('shellcheck finds nothing in the shell scripts', () => {
  const scripts = execFileSync('git', ['ls-files', '*.sh', '.ci/run'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  expect(scripts.length).toBeGreaterThan(20);
  expect(run('shellcheck', ['--severity=style', ...scripts])).toEqual({ status: 0, output: '' });
});
