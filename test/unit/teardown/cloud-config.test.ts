import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { authRequest, resolveCloud } from '../../../lib/teardown/cloud-config';

const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'clouds-'));

describe('resolveCloud', () => {
  test('OS_CLOUD picks the entry of OS_CLIENT_CONFIG_FILE, with secure.yaml merged in', () => {
    const d = dir();
    fs.writeFileSync(path.join(d, 'clouds.yaml'), 'clouds:\n  lab:\n    auth:\n      auth_url: http://127.0.0.1:5000/v3\n      username: ops\n      project_name: admin\n    region_name: RegionTwo\n');
    fs.writeFileSync(path.join(d, 'secure.yaml'), 'clouds:\n  lab:\n    auth:\n      password: s3cret-from-secure\n');
    const cloud = resolveCloud(undefined, { OS_CLOUD: 'lab', OS_CLIENT_CONFIG_FILE: path.join(d, 'clouds.yaml'), HOME: d }, d);
    expect(cloud).toMatchObject({ authUrl: 'http://127.0.0.1:5000/v3', username: 'ops', password: 's3cret-from-secure', regionName: 'RegionTwo', interface: 'public' });
  });

  test('./clouds.yaml is found without OS_CLIENT_CONFIG_FILE; --cloud wins over OS_CLOUD', () => {
    const d = dir();
    fs.writeFileSync(path.join(d, 'clouds.yaml'), 'clouds:\n  a:\n    auth: {auth_url: http://a/v3, username: u, password: p}\n  b:\n    auth: {auth_url: http://b/v3, username: u, password: p}\n');
    expect(resolveCloud('b', { OS_CLOUD: 'a', HOME: d }, d).authUrl).toBe('http://b/v3');
  });

  test('without OS_CLOUD, the OS_* variables', () => {
    const cloud = resolveCloud(undefined, { OS_AUTH_URL: 'http://k/v3', OS_USERNAME: 'u', OS_PASSWORD: 'p', OS_PROJECT_NAME: 'demo', OS_USER_DOMAIN_NAME: 'Default' });
    expect(authRequest(cloud)).toEqual({ auth: {
      identity: { methods: ['password'], password: { user: { name: 'u', password: 'p', domain: { name: 'Default' } } } },
      scope: { project: { name: 'demo', domain: { name: 'Default' } } },
    } });
  });

  test('errors name where was looked and the fix, never the password', () => {
    const d = dir();
    fs.writeFileSync(path.join(d, 'clouds.yaml'), 'clouds:\n  lab:\n    auth: {auth_url: http://k/v3, username: u, password: hunter2-secret}\n');
    expect(() => resolveCloud('nope', { OS_CLIENT_CONFIG_FILE: path.join(d, 'clouds.yaml'), HOME: d }, d)).toThrow(/cloud "nope" is not in .*clouds\.yaml \(it has: lab\)\. Fix:/);
    expect(() => resolveCloud(undefined, {}, d)).toThrow(/no cloud selected: set OS_CLOUD/);
    try {
      resolveCloud('nope', { OS_CLIENT_CONFIG_FILE: path.join(d, 'clouds.yaml'), HOME: d }, d);
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
  });

  test('application credentials authenticate without a username', () => {
    const cloud = resolveCloud(undefined, { OS_AUTH_URL: 'http://k/v3', OS_APPLICATION_CREDENTIAL_ID: 'ac', OS_APPLICATION_CREDENTIAL_SECRET: 's' });
    expect(authRequest(cloud)).toEqual({ auth: { identity: { methods: ['application_credential'], application_credential: { id: 'ac', secret: 's' } } } });
  });
});
