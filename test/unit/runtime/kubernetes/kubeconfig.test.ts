import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describeContext, readKubeconfigs, secretsOfContext, splitKubeconfigPaths, tlsOptionsOf } from '../../../../runtime/kubernetes';

const TOKEN = 'eyJhbGciOi.kube-secret-Zq9';
const CA = '-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n';
const CERT = '-----BEGIN CERTIFICATE-----\nMIIBclient\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIkey\n-----END EC PRIVATE KEY-----\n';
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** A temp dir to write kubeconfigs and the files they name into. */
function sandbox() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-'));
  const write = (rel: string, text: string) => {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  };
  return { root, write, writeJson: (rel: string, config: object) => write(rel, JSON.stringify(config)) };
}

describe('readKubeconfigs', () => {
  test("Magnum's kubeconfig: the CA, client certificate and key as -data", () => {
    // GIVEN what `openstack coe cluster config` writes
    const s = sandbox();
    const file = s.write(
      'config',
      [
        'apiVersion: v1',
        'clusters:',
        '- cluster:',
        `    certificate-authority-data: ${b64(CA)}`,
        '    server: https://172.24.4.10:6443',
        '  name: k8s',
        'contexts:',
        '- context:',
        '    cluster: k8s',
        '    user: admin',
        '  name: default',
        'current-context: default',
        'kind: Config',
        'users:',
        '- name: admin',
        '  user:',
        `    client-certificate-data: ${b64(CERT)}`,
        `    client-key-data: ${b64(KEY)}`,
      ].join('\n'),
    );
    // WHEN read
    const { contexts, problems } = readKubeconfigs([file]);
    // THEN one context, every PEM decoded
    expect(problems).toEqual([]);
    expect(contexts).toEqual([
      {
        name: 'default',
        file,
        server: 'https://172.24.4.10:6443',
        ca: CA,
        insecure: false,
        tlsServerName: undefined,
        token: undefined,
        basicAuth: undefined,
        clientCertificate: CERT,
        clientKey: KEY,
      },
    ]);
    expect(tlsOptionsOf(contexts[0])).toEqual({ ca: CA, cert: CERT, key: KEY, rejectUnauthorized: true, servername: undefined });
  });

  test('paths are read, relative ones against the kubeconfig that names them; a token and tokenFile', () => {
    const s = sandbox();
    const ca = s.write('pki/ca.crt', CA);
    s.write('kube/certs/client.crt', CERT);
    s.write('kube/certs/client.key', KEY);
    s.write('kube/token', `${TOKEN}\n`);
    const file = s.writeJson('kube/config', {
      clusters: [{ name: 'c', cluster: { server: 'https://api.example:6443/', 'certificate-authority': ca, 'tls-server-name': 'kubernetes' } }],
      users: [
        { name: 'certs', user: { 'client-certificate': 'certs/client.crt', 'client-key': 'certs/client.key' } },
        { name: 'bearer', user: { token: TOKEN } },
        { name: 'file', user: { tokenFile: 'token' } },
      ],
      contexts: ['certs', 'bearer', 'file'].map((u) => ({ name: u, context: { cluster: 'c', user: u } })),
    });
    const { contexts, problems } = readKubeconfigs([file]);
    expect(problems).toEqual([]);
    expect(contexts.map((c) => [c.name, c.server, c.ca, c.tlsServerName, c.clientCertificate, c.clientKey, c.token])).toEqual([
      ['certs', 'https://api.example:6443', CA, 'kubernetes', CERT, KEY, undefined],
      ['bearer', 'https://api.example:6443', CA, 'kubernetes', undefined, undefined, TOKEN],
      ['file', 'https://api.example:6443', CA, 'kubernetes', undefined, undefined, TOKEN],
    ]);
  });

  test('several files: every context of each, the first definition of a name winning, references across files', () => {
    // GIVEN two files, the second defining a cluster and user the first's context uses, and a context of the same name
    const s = sandbox();
    const a = s.writeJson('a.yaml', {
      clusters: [{ name: 'prod', cluster: { server: 'https://prod:6443' } }],
      users: [{ name: 'ops', user: { token: 'a-token' } }],
      contexts: [
        { name: 'prod', context: { cluster: 'prod', user: 'ops' } },
        { name: 'lab', context: { cluster: 'lab', user: 'lab-user' } },
      ],
    });
    const b = s.writeJson('b.yaml', {
      clusters: [
        { name: 'lab', cluster: { server: 'http://127.0.0.1:8001', 'insecure-skip-tls-verify': true } },
        { name: 'prod', cluster: { server: 'https://not-this-one:6443' } },
      ],
      users: [{ name: 'lab-user', user: { username: 'u', password: 'p' } }],
      contexts: [
        { name: 'prod', context: { cluster: 'prod', user: 'ops' } },
        { name: 'edge', context: { cluster: 'lab' } },
      ],
    });
    // WHEN read in KUBECONFIG order
    const { contexts, problems } = readKubeconfigs(splitKubeconfigPaths(`${a}${path.delimiter}${path.delimiter}${b}`));
    // THEN prod from a, lab resolved with b's cluster and user, edge with no user
    expect(problems).toEqual([]);
    expect(contexts.map((c) => ({ name: c.name, file: c.file, server: c.server, token: c.token, basicAuth: c.basicAuth, insecure: c.insecure }))).toEqual([
      { name: 'prod', file: a, server: 'https://prod:6443', token: 'a-token', basicAuth: undefined, insecure: false },
      { name: 'lab', file: a, server: 'http://127.0.0.1:8001', token: undefined, basicAuth: { username: 'u', password: 'p' }, insecure: true },
      { name: 'edge', file: b, server: 'http://127.0.0.1:8001', token: undefined, basicAuth: undefined, insecure: true },
    ]);
    expect(tlsOptionsOf(contexts[1]).rejectUnauthorized).toBe(false);
  });

  test('what cannot be used is a problem line, never an exception; the usable contexts are still read', () => {
    const s = sandbox();
    const good = s.writeJson('good', { clusters: [{ name: 'c', cluster: { server: 'https://c' } }], contexts: [{ name: 'ok', context: { cluster: 'c' } }] });
    const bad = s.writeJson('bad', {
      clusters: [
        { name: 'c2', cluster: { server: 'https://c2', 'certificate-authority': 'missing-ca.crt' } },
        { name: 'noserver', cluster: {} },
      ],
      users: [
        { name: 'exec', user: { exec: { command: 'aws' } } },
        { name: 'oidc', user: { 'auth-provider': { name: 'oidc' } } },
      ],
      contexts: [
        { name: 'exec', context: { cluster: 'c', user: 'exec' } },
        { name: 'oidc', context: { cluster: 'c', user: 'oidc' } },
        { name: 'nocluster', context: { cluster: 'gone' } },
        { name: 'nouser', context: { cluster: 'c', user: 'gone' } },
        { name: 'noserver', context: { cluster: 'noserver' } },
        { name: 'noca', context: { cluster: 'c2' } },
      ],
    });
    const yaml = s.write('broken.yaml', 'clusters: [\n');
    const list = s.write('list.yaml', '- a\n- b\n');
    const { contexts, problems } = readKubeconfigs([good, path.join(s.root, 'absent'), yaml, list, bad]);
    expect(contexts.map((c) => c.name)).toEqual(['ok']);
    expect(problems).toEqual([
      `kubeconfig ${path.join(s.root, 'absent')} cannot be read (ENOENT): skipped`,
      expect.stringMatching(new RegExp(`^kubeconfig ${yaml} cannot be read \\(.+\\): skipped$`)),
      `kubeconfig ${list} is not a kubeconfig (no mapping at its top): skipped`,
      `context "exec" of ${bad}: user "exec" authenticates through an exec plugin, which this tool does not run: skipped`,
      `context "oidc" of ${bad}: user "oidc" authenticates through an auth-provider plugin, which this tool does not run: skipped`,
      `context "nocluster" of ${bad}: its cluster "gone" is defined in none of the kubeconfig files: skipped`,
      `context "nouser" of ${bad}: its user "gone" is defined in none of the kubeconfig files: skipped`,
      `context "noserver" of ${bad}: cluster "noserver" has no server URL (""): skipped`,
      `context "noca" of ${bad}: ${path.join(s.root, 'missing-ca.crt')} cannot be read (ENOENT): skipped`,
    ]);
  });

  test('no file at all reads as no context', () => {
    expect(readKubeconfigs([])).toEqual({ contexts: [], problems: [] });
  });
});

test('a context is described by name, file and server; its secrets are known for redaction and never in the description', () => {
  const s = sandbox();
  const file = s.writeJson('c', {
    clusters: [{ name: 'c', cluster: { server: 'https://c:6443' } }],
    users: [{ name: 'u', user: { token: TOKEN, password: 'pw-secret', username: 'x', 'client-key-data': b64(KEY) } }],
    contexts: [{ name: 'prod', context: { cluster: 'c', user: 'u' } }],
  });
  const [context] = readKubeconfigs([file]).contexts;
  expect(describeContext(context)).toBe(`context "prod" of ${file} (https://c:6443)`);
  // The Basic header's base64 of user:password too, which a server may echo.
  expect(secretsOfContext(context)).toEqual([TOKEN, 'pw-secret', Buffer.from('x:pw-secret').toString('base64'), KEY]);
});

test('KUBECONFIG lists are split as kubectl splits them', () => {
  expect(splitKubeconfigPaths(['/a', '', '/b c', '/d'].join(path.delimiter))).toEqual(['/a', '/b c', '/d']);
  expect(splitKubeconfigPaths('')).toEqual([]);
});
