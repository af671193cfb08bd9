import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const lint = (...files: string[]) => spawnSync('bash', [path.join(root, 'scripts', 'lint-workflows.sh'), ...files], { encoding: 'utf8', cwd: root });

describe('GitHub Actions workflows', () => {
  test('pass actionlint', () => {
    const run = lint();
    expect(run.stdout + run.stderr).not.toMatch(/\[[a-z-]+\]$/m);
    expect(run.status).toBe(0);
  });

  test('actionlint catches a broken workflow (the check is live)', () => {
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wf-')), 'bad.yml');
    fs.writeFileSync(
      bad,
      'on: pull_request\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.pull_request.nope_nope }}\n        uses: actions/checkout@v4\n',
    );
    const run = lint(bad);
    expect(run.status).not.toBe(0);
    expect(run.stdout).toContain('bad.yml');
  });
});
