import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { authRequest, CloudConfig, configCandidates, describeCloud, resolveCloud, tokensUrl } from '../../../../runtime/openstack';

const SECRET = 'hunter2-Zq9!secret';

/** A temp dir used as cwd and HOME, so no real clouds.yaml of this machine's user is read. */
function sandbox() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'clouds-'));
  const home = path.join(root, 'home');
  const cwd = path.join(root, 'work');
  fs.mkdirSync(path.join(home, '.config', 'openstack'), { recursive: true });
  fs.mkdirSync(cwd);
  const env = { HOME: home, XDG_CONFIG_DIRS: path.join(root, 'xdg') } as NodeJS.ProcessEnv;
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  };
  return { root, home, cwd, env, write, userDir: path.join(home, '.config', 'openstack') };
}

const lab = (extra = '') => `clouds:\n  lab:\n    auth:\n      auth_url: http://127.0.0.1:5000/v3\n      username: ops\n      project_name: admin\n${extra}`;

describe('resolveCloud: where clouds.yaml and secure.yaml are found', () => {
  test('OS_CLOUD picks the entry of OS_CLIENT_CONFIG_FILE, deep-merged with secure.yaml from the search path', () => {
    // GIVEN a clouds.yaml named by OS_CLIENT_CONFIG_FILE and the password in ~/.config/openstack/secure.yaml
    const s = sandbox();
    const file = s.write(path.join(s.root, 'elsewhere', 'clouds.yaml'), lab('    region_name: RegionTwo\n'));
    s.write(path.join(s.userDir, 'secure.yaml'), `clouds:\n  lab:\n    auth:\n      password: ${SECRET}\n`);
    // WHEN resolved
    const cloud = resolveCloud(undefined, { ...s.env, OS_CLOUD: 'lab', OS_CLIENT_CONFIG_FILE: file }, s.cwd);
    // THEN auth comes from both, the rest from clouds.yaml
    expect(cloud).toMatchObject({
      name: 'lab',
      authUrl: 'http://127.0.0.1:5000/v3',
      username: 'ops',
      password: SECRET,
      projectName: 'admin',
      regionName: 'RegionTwo',
      interface: 'public',
      authType: 'password',
    });
    expect(cloud.source).toContain(file);
  });

  test('./clouds.yaml wins over ~/.config/openstack/clouds.yaml, and OS_CLIENT_CONFIG_FILE over both', () => {
    const s = sandbox();
    s.write(path.join(s.cwd, 'clouds.yaml'), 'clouds:\n  lab:\n    auth: {auth_url: http://cwd/v3, username: u, password: p}\n');
    s.write(path.join(s.userDir, 'clouds.yaml'), 'clouds:\n  lab:\n    auth: {auth_url: http://home/v3, username: u, password: p}\n');
    const override = s.write(path.join(s.root, 'o.yaml'), 'clouds:\n  lab:\n    auth: {auth_url: http://override/v3, username: u, password: p}\n');
    expect(resolveCloud('lab', s.env, s.cwd).authUrl).toBe('http://cwd/v3');
    expect(resolveCloud('lab', { ...s.env, OS_CLIENT_CONFIG_FILE: override }, s.cwd).authUrl).toBe('http://override/v3');
    fs.rmSync(path.join(s.cwd, 'clouds.yaml'));
    expect(resolveCloud('lab', s.env, s.cwd).authUrl).toBe('http://home/v3');
  });

  test('clouds.yml and clouds.json are read too, and XDG_CONFIG_HOME is searched', () => {
    const s = sandbox();
    const xdg = path.join(s.root, 'xdg-home');
    s.write(
      path.join(xdg, 'openstack', 'clouds.json'),
      JSON.stringify({ clouds: { lab: { auth: { auth_url: 'http://json/v3', username: 'u', password: 'p' } } } }),
    );
    expect(resolveCloud('lab', { ...s.env, XDG_CONFIG_HOME: xdg }, s.cwd).authUrl).toBe('http://json/v3');
    s.write(path.join(s.cwd, 'clouds.yml'), 'clouds:\n  lab:\n    auth: {auth_url: http://yml/v3, username: u, password: p}\n');
    expect(resolveCloud('lab', { ...s.env, XDG_CONFIG_HOME: xdg }, s.cwd).authUrl).toBe('http://yml/v3');
  });

  test('the search order is the one openstacksdk documents', () => {
    const s = sandbox();
    const files = configCandidates('clouds', { ...s.env, OS_CLIENT_CONFIG_FILE: '/x/c.yaml' }, s.cwd);
    expect(files.slice(0, 2)).toEqual(['/x/c.yaml', path.join(s.cwd, 'clouds.yaml')]);
    expect(files).toContain(path.join(s.userDir, 'clouds.yaml'));
    expect(files.slice(-3)).toEqual(['/etc/openstack/clouds.yaml', '/etc/openstack/clouds.yml', '/etc/openstack/clouds.json']);
    expect(configCandidates('secure', { ...s.env, OS_CLIENT_SECURE_FILE: '/x/s.yaml' }, s.cwd)[0]).toBe('/x/s.yaml');
  });

  test('--cloud wins over OS_CLOUD', () => {
    const s = sandbox();
    s.write(
      path.join(s.cwd, 'clouds.yaml'),
      'clouds:\n  a:\n    auth: {auth_url: http://a/v3, username: u, password: p}\n  b:\n    auth: {auth_url: http://b/v3, username: u, password: p}\n',
    );
    expect(resolveCloud('b', { ...s.env, OS_CLOUD: 'a' }, s.cwd).authUrl).toBe('http://b/v3');
    expect(resolveCloud(undefined, { ...s.env, OS_CLOUD: 'a' }, s.cwd).authUrl).toBe('http://a/v3');
  });

  test("without a selection, the OS_* variables win over clouds.yaml; with only selectors set, the file's only cloud is used", () => {
    const s = sandbox();
    s.write(path.join(s.cwd, 'clouds.yaml'), 'clouds:\n  only:\n    auth: {auth_url: http://only/v3, username: u, password: p}\n');
    expect(resolveCloud(undefined, { ...s.env, OS_AUTH_URL: 'http://env/v3', OS_USERNAME: 'u', OS_PASSWORD: 'p' }, s.cwd)).toMatchObject({
      name: 'envvars',
      authUrl: 'http://env/v3',
    });
    expect(resolveCloud(undefined, { ...s.env, OS_REGION_NAME: 'R2' }, s.cwd)).toMatchObject({ name: 'only', regionName: 'R2' });
  });
});

describe('resolveCloud: the OS_* environment', () => {
  test('reads every documented variable', () => {
    const cloud = resolveCloud(
      undefined,
      {
        HOME: '/nonexistent',
        OS_AUTH_URL: 'https://k:5000',
        OS_USERNAME: 'u',
        OS_PASSWORD: SECRET,
        OS_PROJECT_ID: 'pid',
        OS_USER_DOMAIN_ID: 'ud',
        OS_PROJECT_DOMAIN_NAME: 'PD',
        OS_REGION_NAME: 'R1',
        OS_INTERFACE: 'internalURL',
        OS_CACERT: '/ca.pem',
        OS_INSECURE: 'true',
      },
      '/nonexistent',
    );
    expect(cloud).toMatchObject({
      authUrl: 'https://k:5000',
      username: 'u',
      password: SECRET,
      projectId: 'pid',
      userDomainId: 'ud',
      projectDomainName: 'PD',
      regionName: 'R1',
      interface: 'internal',
      cacert: '/ca.pem',
      insecure: true,
      source: 'OS_* environment variables',
    });
  });

  test("a project by name in the default domain, as OSC's --os-default-domain does", () => {
    const cloud = resolveCloud(
      undefined,
      { HOME: '/nonexistent', OS_AUTH_URL: 'http://k/v3', OS_USERNAME: 'u', OS_PASSWORD: 'p', OS_PROJECT_NAME: 'demo' },
      '/nonexistent',
    );
    expect(authRequest(cloud)).toEqual({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'u', password: 'p', domain: { id: 'default' } } } },
        scope: { project: { name: 'demo', domain: { id: 'default' } } },
      },
    });
  });

  test('application credentials: inferred auth type, no scope', () => {
    const cloud = resolveCloud(
      undefined,
      {
        HOME: '/nonexistent',
        OS_AUTH_URL: 'http://k/v3',
        OS_APPLICATION_CREDENTIAL_ID: 'ac',
        OS_APPLICATION_CREDENTIAL_SECRET: 's',
        OS_PROJECT_NAME: 'ignored',
      },
      '/nonexistent',
    );
    expect(cloud.authType).toBe('v3applicationcredential');
    expect(authRequest(cloud)).toEqual({ auth: { identity: { methods: ['application_credential'], application_credential: { id: 'ac', secret: 's' } } } });
  });

  test('a token, scoped to a project id', () => {
    const cloud = resolveCloud(undefined, { HOME: '/nonexistent', OS_AUTH_URL: 'http://k/v3', OS_TOKEN: 'tok', OS_PROJECT_ID: 'pid' }, '/nonexistent');
    expect(cloud.authType).toBe('token');
    expect(authRequest(cloud)).toEqual({ auth: { identity: { methods: ['token'], token: { id: 'tok' } }, scope: { project: { id: 'pid' } } } });
  });
});

describe('resolveCloud: clouds.yaml details', () => {
  const entry = (yaml: string) => {
    const s = sandbox();
    s.write(path.join(s.cwd, 'clouds.yaml'), yaml);
    return (env: NodeJS.ProcessEnv = {}) => resolveCloud('lab', { ...s.env, ...env }, s.cwd);
  };

  test('domain_name stands for user and project domain when a project is given', () => {
    const cloud = entry(lab('      password: p\n      domain_name: Lab\n'))();
    expect(cloud).toMatchObject({ userDomainName: 'Lab', projectDomainName: 'Lab', domainName: undefined });
    expect(authRequest(cloud)).toMatchObject({ auth: { scope: { project: { name: 'admin', domain: { name: 'Lab' } } } } });
  });

  test('without a project, domain_name is a domain scope', () => {
    const cloud = entry('clouds:\n  lab:\n    auth: {auth_url: http://k/v3, username: u, password: p, domain_name: Lab}\n')();
    expect(authRequest(cloud)).toMatchObject({ auth: { scope: { domain: { name: 'Lab' } } } });
  });

  test('explicit v3applicationcredential by name carries the user', () => {
    const cloud = entry(
      'clouds:\n  lab:\n    auth_type: v3applicationcredential\n    auth: {auth_url: http://k/v3, application_credential_name: ci, application_credential_secret: s, username: bot, user_domain_name: D}\n',
    )();
    expect(authRequest(cloud)).toEqual({
      auth: {
        identity: { methods: ['application_credential'], application_credential: { name: 'ci', secret: 's', user: { name: 'bot', domain: { name: 'D' } } } },
      },
    });
  });

  test('regions: the first by default, OS_REGION_NAME picks one, an unknown one is refused', () => {
    const resolve = entry(lab('      password: p\n    regions: [North, South]\n'));
    expect(resolve().regionName).toBe('North');
    expect(resolve({ OS_REGION_NAME: 'South' }).regionName).toBe('South');
    expect(() => resolve({ OS_REGION_NAME: 'West' })).toThrow(/OS_REGION_NAME=West is not a region of .* \(it has North, South\)/);
  });

  test('verify: false and endpoint_type are understood', () => {
    const cloud = entry(lab('      password: p\n    verify: false\n    endpoint_type: adminURL\n'))();
    expect(cloud).toMatchObject({ insecure: true, interface: 'admin' });
  });
});

describe('resolveCloud: clear errors that never carry a secret', () => {
  const expectNoSecret = (fn: () => unknown) => {
    let message = '';
    try {
      fn();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).not.toBe('');
    expect(message).not.toContain(SECRET);
    return message;
  };

  test('a missing password names the field and where it was looked for', () => {
    const s = sandbox();
    const file = s.write(path.join(s.cwd, 'clouds.yaml'), lab());
    const message = expectNoSecret(() => resolveCloud('lab', s.env, s.cwd));
    expect(message).toMatch(/auth\.password of cloud "lab" \(looked in .*clouds\.yaml/);
    expect(message).toContain(file);
  });

  test('in the environment, the missing variable is named', () => {
    expect(() => resolveCloud(undefined, { HOME: '/nonexistent', OS_AUTH_URL: 'http://k/v3', OS_USERNAME: 'u' }, '/nonexistent')).toThrow(
      /OS_PASSWORD is missing/,
    );
    expect(() => resolveCloud(undefined, { HOME: '/nonexistent', OS_USERNAME: 'u', OS_PASSWORD: SECRET }, '/nonexistent')).toThrow(/OS_AUTH_URL is missing/);
  });

  test('an unknown cloud lists the known ones, not their secrets', () => {
    const s = sandbox();
    s.write(path.join(s.cwd, 'clouds.yaml'), lab(`      password: ${SECRET}\n`));
    expect(expectNoSecret(() => resolveCloud('nope', s.env, s.cwd))).toMatch(/cloud "nope" not found: .*clouds\.yaml has "lab" .*Fix:/);
  });

  test('nothing selected and nothing found says how to select', () => {
    const s = sandbox();
    expect(() => resolveCloud(undefined, s.env, s.cwd)).toThrow(/no cloud selected: no clouds\.yaml found .* Fix: pass --cloud NAME or export OS_CLOUD=NAME/);
  });

  test('an unsupported auth type, a vendor profile and broken YAML are refused by name', () => {
    const s = sandbox();
    s.write(path.join(s.cwd, 'clouds.yaml'), lab(`      password: ${SECRET}\n    auth_type: v3oidcpassword\n`));
    expect(expectNoSecret(() => resolveCloud('lab', s.env, s.cwd))).toMatch(/auth_type "v3oidcpassword" is not supported/);
    s.write(path.join(s.cwd, 'clouds.yaml'), 'clouds:\n  lab:\n    profile: vexxhost\n    auth: {username: u, password: p}\n');
    expect(() => resolveCloud('lab', s.env, s.cwd)).toThrow(/vendor profile "vexxhost"/);
    s.write(path.join(s.cwd, 'clouds.yaml'), 'clouds: [unclosed\n');
    expect(() => resolveCloud('lab', s.env, s.cwd)).toThrow(/clouds\.yaml is not valid YAML\/JSON/);
  });

  test('describeCloud never shows a password, secret or token', () => {
    const base = { name: 'c', authType: 'password', authUrl: 'http://k/v3', interface: 'public', insecure: false, source: 'x' } as const;
    for (const cloud of [
      { ...base, username: 'u', password: SECRET },
      { ...base, authType: 'v3applicationcredential', applicationCredentialId: 'ac', applicationCredentialSecret: SECRET },
      { ...base, authType: 'token', token: SECRET },
    ] as CloudConfig[]) {
      expect(describeCloud(cloud)).not.toContain(SECRET);
    }
  });
});

test.each([
  ['http://k:5000/v3', 'http://k:5000/v3/auth/tokens'],
  ['http://k:5000/v3/', 'http://k:5000/v3/auth/tokens'],
  ['http://k:5000', 'http://k:5000/v3/auth/tokens'],
  ['https://k/identity/v2.0', 'https://k/identity/v3/auth/tokens'],
])('tokensUrl(%s) = %s', (authUrl, expected) => {
  expect(tokensUrl(authUrl)).toBe(expected);
});
