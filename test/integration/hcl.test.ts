import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { terraformBinary, validateStackDir } from '../../scripts/lib/terraform';

/**
 * `cdktf synth --hcl` of the example stacks, through the CLI on the compiled app as a
 * user converting to HCL runs it: the result must validate and plan like the JSON.
 * (An integration test: the CLI, not only the library, writes the HCL.)
 */
jest.setTimeout(300_000);

const root = path.join(__dirname, '..', '..');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hcl-'));
let stackNames: string[] = [];

beforeAll(() => {
  execFileSync('bash', [path.join(root, 'scripts', 'cdktf.sh'), 'synth', '--hcl', '--output', out], {
    cwd: root,
    stdio: 'pipe',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  stackNames = fs.readdirSync(path.join(out, 'stacks')).sort();
});

test('writes every example stack as HCL', () => {
  expect(stackNames).toEqual(['all-in-one', 'fedora-coreos']);
  for (const name of stackNames) expect(fs.existsSync(path.join(out, 'stacks', name, 'cdk.tf'))).toBe(true);
});

test.each(['all-in-one', 'fedora-coreos'])('%s passes terraform validate', (name) => {
  const result = validateStackDir(path.join(out, 'stacks', name));
  expect(result.diagnostics.filter((d) => d.startsWith('error'))).toEqual([]);
  expect(result.valid).toBe(true);
});

test.each(['all-in-one', 'fedora-coreos'])('%s plans from an empty state (replace_triggered_by is checked only at plan)', (name) => {
  const dir = path.join(out, 'stacks', name);
  // Credentials that reach nothing: with an empty state and no refresh, the provider never authenticates.
  const { OS_CLOUD: _cloud, OS_CLIENT_CONFIG_FILE: _file, ...env } = process.env;
  Object.assign(env, {
    HOME: out,
    OS_AUTH_URL: 'http://127.0.0.1:9/v3',
    OS_USERNAME: 'nobody',
    OS_PASSWORD: 'unused',
    OS_PROJECT_NAME: 'none',
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
  });
  const tf = (args: string[]) => execFileSync(terraformBinary, [...args, '-input=false', '-no-color'], { cwd: dir, env, encoding: 'utf8', stdio: 'pipe' });
  tf(['init']);
  expect(tf(['plan', '-refresh=false', '-lock=false'])).toMatch(/^Plan: \d+ to add, 0 to change, 0 to destroy\.$/m);
});
