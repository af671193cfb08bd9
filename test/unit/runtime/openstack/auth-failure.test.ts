import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import {
  authFailure,
  AuthAttempt,
  CloudConfig,
  isTransient,
  noAnswerDetail,
  OpenStackAuthError,
  OpenStackClient,
  OpenStackTransportError,
  resolveCloud,
  statusOf,
} from '../../../../runtime/openstack';
import { FakeOpenStack } from '../../../support/fake-openstack';

/**
 * Credentials that Keystone refuses, told as one line: which cloud (clouds.yaml entry and file,
 * or the OS_* environment), what failed, and the fix; never a secret.
 */

const SECRET = 'Hunter2-Zq9!never-printed';
const KEYSTONE = 'http://127.0.0.1:5000/v3';

/** A clouds.yaml with entry `lab` (and, given, a secure.yaml holding its password), resolved as the CLI resolves it. */
function labCloud(options: { secure?: boolean; auth?: Record<string, string> } = {}): { cloud: CloudConfig; file: string; secureFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-failure-'));
  const file = path.join(dir, 'clouds.yaml');
  const secureFile = path.join(dir, 'secure.yaml');
  const auth = { auth_url: KEYSTONE, username: 'ops', project_name: 'k8s', user_domain_name: 'Default', ...options.auth };
  const password = options.secure ? {} : { password: SECRET };
  fs.writeFileSync(file, JSON.stringify({ clouds: { lab: { auth: { ...auth, ...password }, region_name: 'RegionOne' } } }));
  if (options.secure) fs.writeFileSync(secureFile, JSON.stringify({ clouds: { lab: { auth: { password: SECRET } } } }));
  const env = { HOME: dir, OS_CLIENT_CONFIG_FILE: file, OS_CLIENT_SECURE_FILE: secureFile, OS_CLOUD: 'lab' };
  return { cloud: resolveCloud(undefined, env, dir), file, secureFile };
}

describe('authFailure: what failed and the fix, by what Keystone answered', () => {
  const { cloud, file } = labCloud();
  const head = `authentication failed for ${file} (cloud "lab"): `;

  test.each<[string, AuthAttempt, string, string, string]>([
    [
      'a wrong or changed password: 401, and 401 without a scope too',
      { status: 401, detail: 'The request you have made requires authentication.', credentialsAccepted: false },
      'credentials',
      `Keystone at ${KEYSTONE} refused the password of user "ops" (HTTP 401): it is wrong or was changed, or the user is gone or disabled`,
      `update auth.password of cloud "lab" in ${file} to the user's current password`,
    ],
    [
      'no role on the project: 401, but the password alone is accepted',
      { status: 401, detail: 'The request you have made requires authentication.', credentialsAccepted: true, projects: ['other', 'lab2'] },
      'no-role',
      `user "ops" has no role on project "k8s" (or it is gone or disabled): Keystone at ${KEYSTONE} accepted the password but refused the project (HTTP 401); ` +
        'it has a role on "other", "lab2"',
      `grant the user a role on project "k8s" (openstack role add --user ops --project k8s member), or set auth.project_name of cloud "lab" in ${file} to one it has a role on`,
    ],
    [
      'no role anywhere',
      { status: 401, detail: '', credentialsAccepted: true, projects: [] },
      'no-role',
      `user "ops" has no role on project "k8s" (or it is gone or disabled): Keystone at ${KEYSTONE} accepted the password but refused the project (HTTP 401); it has a role on no project`,
      `grant the user a role on project "k8s" (openstack role add --user ops --project k8s member), or set auth.project_name of cloud "lab" in ${file} to one it has a role on`,
    ],
    [
      'a 403 refuses the scope',
      { status: 403, detail: 'not allowed on this project' },
      'no-role',
      `user "ops" has no role on project "k8s" (or it is gone or disabled): Keystone at ${KEYSTONE} refused it (HTTP 403: not allowed on this project)`,
      `grant the user a role on project "k8s" (openstack role add --user ops --project k8s member), or set auth.project_name of cloud "lab" in ${file} to one it has a role on`,
    ],
    [
      'a 401 that could not be told apart (the unscoped request got no answer)',
      { status: 401, detail: 'The request you have made requires authentication.' },
      'credentials',
      `Keystone at ${KEYSTONE} refused user "ops" on project "k8s" (HTTP 401): a wrong password, or no role on project "k8s"`,
      `update auth.password of cloud "lab" in ${file}, or grant the user a role on project "k8s"`,
    ],
    [
      "Keystone's own reason is kept when it says more than the generic 401",
      { status: 401, detail: 'The password is expired and needs to be changed for user: 42.', credentialsAccepted: false },
      'credentials',
      `Keystone at ${KEYSTONE} refused the password of user "ops" (HTTP 401: The password is expired and needs to be changed for user: 42.): it is wrong or was changed, or the user is gone or disabled`,
      `update auth.password of cloud "lab" in ${file} to the user's current password`,
    ],
    [
      'Keystone down: connection refused',
      { detail: 'connection refused, 4 tries' },
      'unreachable',
      `Keystone is unreachable at ${KEYSTONE} (connection refused, 4 tries)`,
      `start Keystone, or correct auth.auth_url of cloud "lab" in ${file}`,
    ],
    [
      'an auth_url that is not Keystone: 404',
      { status: 404, detail: 'Not Found' },
      'rejected',
      `Keystone at ${KEYSTONE} is not Keystone's v3 API (HTTP 404: Not Found)`,
      `correct auth.auth_url of cloud "lab" in ${file}: Keystone's URL, e.g. http://keystone.example:5000/v3`,
    ],
    [
      'Keystone failing: 503 after the retries',
      { status: 503, detail: 'Service Unavailable' },
      'rejected',
      `Keystone at ${KEYSTONE} failed (HTTP 503: Service Unavailable)`,
      "see Keystone's log, and run again once it answers",
    ],
  ])('%s', (_, attempt, kind, what, fix) => {
    const error = authFailure(cloud, attempt);
    expect(error).toBeInstanceOf(OpenStackAuthError);
    expect({ kind: error.kind, summary: error.summary, fix: error.fix }).toEqual({ kind, summary: head + what, fix });
    expect(error.message).toBe(`${head}${what}. Fix: ${fix}.`);
    expect(error.message).not.toMatch(/\n/);
    expect(JSON.stringify(error) + error.message).not.toContain(SECRET);
    expect(statusOf(error)).toBe(attempt.status);
  });

  test('a password kept in secure.yaml: the fix names secure.yaml, the cloud is named by its clouds.yaml', () => {
    const { cloud: split, file: cloudsFile, secureFile } = labCloud({ secure: true });
    expect(split).toMatchObject({ configFile: cloudsFile, secretFile: secureFile, password: SECRET });
    const error = authFailure(split, { status: 401, detail: '', credentialsAccepted: false });
    expect(error.summary).toMatch(new RegExp(`^authentication failed for ${cloudsFile} \\(cloud "lab"\\)`));
    expect(error.fix).toBe(`update auth.password of cloud "lab" in ${secureFile} to the user's current password`);
  });

  test('the OS_* environment: named as such, the fix names the variable', () => {
    const env = { HOME: os.tmpdir(), OS_AUTH_URL: KEYSTONE, OS_USERNAME: 'ops', OS_PASSWORD: SECRET, OS_PROJECT_NAME: 'k8s' };
    const fromEnv = resolveCloud(undefined, env, fs.mkdtempSync(path.join(os.tmpdir(), 'auth-env-')));
    expect(fromEnv.configFile).toBeUndefined();
    expect(authFailure(fromEnv, { status: 401, detail: '', credentialsAccepted: false }).message).toBe(
      `authentication failed for OS_* environment variables: Keystone at ${KEYSTONE} refused the password of user "ops" (HTTP 401): ` +
        "it is wrong or was changed, or the user is gone or disabled. Fix: update OS_PASSWORD to the user's current password.",
    );
    expect(authFailure(fromEnv, { detail: 'connection refused' }).fix).toBe('start Keystone, or correct OS_AUTH_URL');
    expect(authFailure(fromEnv, { status: 401, detail: '', credentialsAccepted: true }).fix).toMatch(/or set OS_PROJECT_NAME to one it has a role on$/);
  });

  test('an application credential or a token refused: the fix names that secret', () => {
    const app = labCloud({ auth: { application_credential_id: 'ac-1', application_credential_secret: SECRET } }).cloud;
    expect(authFailure(app, { status: 401, detail: '' })).toMatchObject({
      kind: 'credentials',
      summary: expect.stringContaining(`refused application credential "ac-1" (HTTP 401)`),
      fix: expect.stringMatching(/^update auth\.application_credential_secret of cloud "lab" in .*clouds\.yaml, or create a new application credential/),
    });
    const token = labCloud({ auth: { auth_type: 'token', token: SECRET } }).cloud;
    expect(authFailure(token, { status: 401, detail: '' })).toMatchObject({
      kind: 'credentials',
      summary: expect.stringContaining('refused the token (HTTP 401): it expired or was revoked'),
      fix: expect.stringMatching(/^put a fresh token in auth\.token of cloud "lab"/),
    });
  });

  test('no answer in words, with the tries; the unreachable kind is worth retrying, a refused password is not', () => {
    const refused = new OpenStackTransportError('POST', `${KEYSTONE}/auth/tokens`, false, 'connect ECONNREFUSED 127.0.0.1:5000', false, 'ECONNREFUSED');
    expect(noAnswerDetail(refused, 4, 30_000)).toBe('connection refused, 4 tries');
    const slow = new OpenStackTransportError('POST', `${KEYSTONE}/auth/tokens`, true, 'aborted');
    expect(noAnswerDetail(slow, 1, 30_000)).toBe('no answer within 30 s');
    const odd = new OpenStackTransportError('POST', `${KEYSTONE}/auth/tokens`, false, 'bad port');
    expect(noAnswerDetail(odd, 2, 30_000)).toBe('bad port, 2 tries');
    expect(isTransient(authFailure(cloud, { detail: 'connection refused' }))).toBe(true);
    expect(isTransient(authFailure(cloud, { status: 503, detail: '' }))).toBe(true);
    expect(isTransient(authFailure(cloud, { status: 401, detail: '', credentialsAccepted: false }))).toBe(false);
  });
});

describe('the session tells them apart against a Keystone', () => {
  let fake: FakeOpenStack;
  const fast = { backoff: { baseMs: 1, maxMs: 5 }, attempts: 2 };

  const tokenRequests = () => fake.calls.filter((c) => c.method === 'POST' && c.path === '/identity/v3/auth/tokens');

  beforeEach(async () => {
    fake = await FakeOpenStack.start();
  });
  afterEach(() => fake.close());

  test('a wrong password: refused with and without a scope, so the password is named; Keystone echoing it prints nothing of it', async () => {
    const error = await OpenStackClient.connect(fake.cloud({ password: SECRET }), fast).catch((e) => e);
    expect(error).toBeInstanceOf(OpenStackAuthError);
    expect(error.kind).toBe('credentials');
    expect(error.summary).toMatch(/refused the password of user "admin" \(HTTP 401: bad credentials \(you sent \*\*\*\)\)/);
    expect(JSON.stringify(error) + error.message).not.toContain(SECRET);
    // the scoped request, then the same password without a scope
    expect(tokenRequests().map((c) => (c.body as { auth: { scope?: unknown } }).auth.scope)).toEqual([
      { project: { name: 'admin', domain: { id: 'default' } } },
      'unscoped',
    ]);
  });

  test('no role on the project: the password alone is accepted, and its token lists the projects the user has a role on', async () => {
    fake.interceptors.push((req) => {
      const scope = (req.body as { auth?: { scope?: unknown } } | undefined)?.auth?.scope;
      if (req.path === '/identity/v3/auth/tokens' && typeof scope === 'object')
        return { status: 401, body: { error: { message: 'The request you have made requires authentication.' } } };
      if (req.path === '/identity/v3/auth/projects') return { status: 200, body: { projects: [{ id: 'p2', name: 'sandbox' }] } };
      return undefined;
    });
    const error = await OpenStackClient.connect(fake.cloud(), fast).catch((e) => e);
    expect(error).toMatchObject({ kind: 'no-role', status: 401 });
    expect(error.summary).toBe(
      `authentication failed for test: user "admin" has no role on project "admin" (or it is gone or disabled): Keystone at ${fake.url}/identity/v3 ` +
        'accepted the password but refused the project (HTTP 401); it has a role on "sandbox"',
    );
    // the projects were listed with the unscoped token, which is used for nothing else
    const listing = fake.calls.find((c) => c.path === '/identity/v3/auth/projects');
    expect(listing?.token).toBeTruthy();
    expect(fake.calls.filter((c) => !c.path.startsWith('/identity/'))).toEqual([]);
  });

  test('Keystone down: connection refused on every try, then unreachable, naming auth_url', async () => {
    const port = await freePort();
    const error = await OpenStackClient.connect(fake.cloud({ authUrl: `http://127.0.0.1:${port}/v3` }), fast).catch((e) => e);
    expect(error).toMatchObject({ kind: 'unreachable', status: undefined });
    expect(error.summary).toBe(`authentication failed for test: Keystone is unreachable at http://127.0.0.1:${port}/v3 (connection refused, 2 tries)`);
  });

  test('Keystone that never answers: the per-request timeout, then unreachable', async () => {
    fake.interceptors.push((req) => (req.path === '/identity/v3/auth/tokens' ? 'hang' : undefined));
    const error = await OpenStackClient.connect(fake.cloud(), { ...fast, attempts: 1, timeoutMs: 200 }).catch((e) => e);
    expect(error).toMatchObject({ kind: 'unreachable' });
    expect(error.summary).toMatch(/Keystone is unreachable at .* \(no answer within 0\.2 s\)$/);
  });

  test('a Keystone failing with 503 is retried, then rejected; no unscoped request is made for it', async () => {
    fake.interceptors.push((req) =>
      req.path === '/identity/v3/auth/tokens' ? { status: 503, body: { error: { message: 'Service Unavailable' } } } : undefined,
    );
    const error = await OpenStackClient.connect(fake.cloud(), fast).catch((e) => e);
    expect(error).toMatchObject({ kind: 'rejected', status: 503 });
    expect(tokenRequests()).toHaveLength(2);
  });
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
