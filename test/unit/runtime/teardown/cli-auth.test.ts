import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { EXIT_CODES, runCli } from '../../../../runtime/teardown';
import { FakeOpenStack, Interceptor } from '../../../support/fake-openstack';

/**
 * The teardown CLI with credentials gone bad: one line on stderr naming the clouds.yaml entry
 * and its file (or the OS_* environment), what failed and the fix; exit 1; nothing sent but to
 * Keystone; no stack trace; no password or token in any output.
 */

const X = '3f7a89e8-0a9b-4f56-88e7-dfacb86eaca0';
const SECRET = 'Tr0ub4dor&3-not-printed';

let fake: FakeOpenStack;
let dir: string;

beforeEach(async () => {
  fake = await FakeOpenStack.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teardown-cli-auth-'));
});
afterEach(() => fake.close());

/** Runs the CLI in-process with entry `lab` of a clouds.yaml in a temp dir (or, `env` given, the OS_* environment alone). */
async function run(entry: Record<string, unknown>, argv: string[] = ['--cluster', X], env?: NodeJS.ProcessEnv) {
  const file = path.join(dir, 'clouds.yaml');
  fs.writeFileSync(file, stringify({ clouds: { lab: entry } }));
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: env ?? { HOME: dir, OS_CLIENT_CONFIG_FILE: file, OS_CLOUD: 'lab' },
    cwd: dir,
    clientOptions: { backoff: { baseMs: 1, maxMs: 5 }, attempts: 2 },
  });
  return { code, out: out.join('\n'), err: err.join('\n'), file };
}

const withAuth = (auth: Record<string, unknown>) => {
  const entry = fake.cloudEntry();
  return { ...entry, auth: { ...(entry.auth as object), ...auth } };
};
/** Keystone refusing every scoped request: the user has no role on the project (its password is right). */
const noRole: Interceptor = (req) => {
  const scope = (req.body as { auth?: { scope?: unknown } } | undefined)?.auth?.scope;
  if (req.path === '/identity/v3/auth/tokens' && typeof scope === 'object')
    return { status: 401, body: { error: { message: 'The request you have made requires authentication.' } } };
  if (req.path === '/identity/v3/auth/projects') return { status: 200, body: { projects: [] } };
  return undefined;
};

describe.each<[string, () => Promise<Record<string, unknown>>, (file: string) => string]>([
  [
    'the password changed',
    async () => withAuth({ password: SECRET }),
    (file) =>
      `magnum-cdktf-teardown: authentication failed for ${file} (cloud "lab"): Keystone at ${fake.url}/identity/v3 refused the password of user "admin" ` +
      `(HTTP 401: bad credentials (you sent ***)): it is wrong or was changed, or the user is gone or disabled, so nothing was deleted. ` +
      `Fix: update auth.password of cloud "lab" in ${file} to the user's current password, then run it again.`,
  ],
  [
    "the project's role removed",
    async () => {
      fake.interceptors.push(noRole);
      return fake.cloudEntry();
    },
    (file) =>
      `magnum-cdktf-teardown: authentication failed for ${file} (cloud "lab"): user "admin" has no role on project "admin" (or it is gone or disabled): ` +
      `Keystone at ${fake.url}/identity/v3 accepted the password but refused the project (HTTP 401); it has a role on no project, so nothing was deleted. ` +
      `Fix: grant the user a role on project "admin" (openstack role add --user admin --project admin member), or set auth.project_name of cloud "lab" in ${file} ` +
      'to one it has a role on, then run it again.',
  ],
  [
    'Keystone down',
    async () => withAuth({ auth_url: `http://127.0.0.1:${await freePort()}/v3` }),
    (file) =>
      `magnum-cdktf-teardown: authentication failed for ${file} (cloud "lab"): Keystone is unreachable at http://127.0.0.1:PORT/v3 (connection refused, 2 tries), ` +
      `so nothing was deleted. Fix: start Keystone, or correct auth.auth_url of cloud "lab" in ${file}, then run it again.`,
  ],
])('%s', (_, entryOf, lineOf) => {
  test('one line naming the entry, its file, what failed and the fix; exit 1; nothing deleted; no secret, no stack trace', async () => {
    // GIVEN a cluster with a cloud-provider load balancer, and credentials gone bad
    fake.addLoadBalancer(`Kubernetes external service default/web from cluster ${X}`);
    const entry = await entryOf();
    // WHEN the teardown runs
    const { code, out, err, file } = await run(entry);
    // THEN it fails closed with the one line
    expect(code).toBe(EXIT_CODES.FAILED);
    const port = /127\.0\.0\.1:(\d+)\/v3 \(connection/.exec(err)?.[1];
    expect(err).toBe(lineOf(file).replace('PORT', port ?? 'PORT'));
    expect(fake.calls.filter((c) => !c.path.startsWith('/identity/'))).toEqual([]);
    expect(fake.lbs.size).toBe(1);
    expect(`${out}\n${err}`).not.toContain(SECRET);
    expect(`${out}\n${err}`).not.toMatch(/^\s+at /m);
  });
});

test('--json: one document with the same line and the kind of failure', async () => {
  const { code, out, err } = await run(withAuth({ password: SECRET }), ['--cluster', X, '--json']);
  expect(code).toBe(EXIT_CODES.FAILED);
  const summary = JSON.parse(out);
  expect(summary).toEqual({ command: 'teardown', ok: false, error: err.replace(/^magnum-cdktf-teardown: /, ''), authFailure: 'credentials' });
  expect(`${out}\n${err}`).not.toContain(SECRET);
});

test('the OS_* environment: named as such, the fix names the variable', async () => {
  const env = {
    HOME: dir,
    OS_AUTH_URL: `${fake.url}/identity/v3`,
    OS_USERNAME: 'admin',
    OS_PASSWORD: SECRET,
    OS_PROJECT_NAME: 'admin',
    OS_REGION_NAME: 'RegionOne',
  };
  const { code, err } = await run(fake.cloudEntry(), ['--cluster', X], env);
  expect(code).toBe(EXIT_CODES.FAILED);
  expect(err).toMatch(/^magnum-cdktf-teardown: authentication failed for OS_\* environment variables: Keystone at .* refused the password of user "admin"/);
  expect(err).toMatch(/Fix: update OS_PASSWORD to the user's current password, then run it again\.$/);
  expect(err).not.toContain(SECRET);
});

test('the same credentials fixed: the run converges', async () => {
  fake.addLoadBalancer(`Kubernetes external service default/web from cluster ${X}`);
  expect((await run(withAuth({ password: SECRET }))).code).toBe(EXIT_CODES.FAILED);
  const { code, out } = await run(fake.cloudEntry());
  expect(code).toBe(EXIT_CODES.OK);
  expect(out).toMatch(new RegExp(`cluster ${X}: deleted 1, failed 0, interrupted 0, nothing left`));
  expect(fake.lbs.size).toBe(0);
});

/** A loopback port where nothing listens. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
