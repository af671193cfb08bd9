import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';

/** Credentials and endpoint choice of one cloud, as the openstack CLI would use them. */
export interface CloudConfig {
  readonly authUrl: string;
  readonly username?: string;
  readonly password?: string;
  readonly userDomainName?: string;
  readonly userDomainId?: string;
  readonly projectName?: string;
  readonly projectId?: string;
  readonly projectDomainName?: string;
  readonly projectDomainId?: string;
  readonly applicationCredentialId?: string;
  readonly applicationCredentialSecret?: string;
  readonly token?: string;
  readonly regionName?: string;
  readonly interface: string;
  /** Where the settings came from, for messages (never the secrets themselves). */
  readonly source: string;
}

/** clouds.yaml locations, in the order openstacksdk searches them. */
export function cloudsYamlCandidates(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string[] {
  const home = env.HOME ?? os.homedir();
  return [
    ...(env.OS_CLIENT_CONFIG_FILE ? [env.OS_CLIENT_CONFIG_FILE] : []),
    path.join(cwd, 'clouds.yaml'),
    path.join(home, '.config', 'openstack', 'clouds.yaml'),
    '/etc/openstack/clouds.yaml',
  ];
}

function firstExisting(files: string[]): string | undefined {
  return files.find((f) => fs.existsSync(f));
}

/** Deep merge of secure.yaml over clouds.yaml, as openstacksdk does. */
function merge(base: any, over: any): any {
  if (!over || typeof over !== 'object') return over ?? base;
  const out = { ...(base ?? {}) };
  for (const [k, v] of Object.entries(over)) out[k] = v && typeof v === 'object' && !Array.isArray(v) ? merge(out[k], v) : v;
  return out;
}

/**
 * Resolves the cloud to use: `cloud` (a --cloud flag) or OS_CLOUD selects an entry in
 * clouds.yaml (merged with secure.yaml beside it); otherwise the OS_* variables.
 */
export function resolveCloud(cloud: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): CloudConfig {
  const name = cloud || env.OS_CLOUD;
  if (!name) {
    return fromEnv(env);
  }
  const candidates = cloudsYamlCandidates(env, cwd);
  const file = firstExisting(candidates);
  if (!file) {
    throw new Error(`cloud "${name}": no clouds.yaml found (looked in ${candidates.join(', ')}). Fix: create one, or set OS_CLIENT_CONFIG_FILE.`);
  }
  const secure = firstExisting(candidates.map((c) => path.join(path.dirname(c), 'secure.yaml')));
  const clouds = merge(parse(fs.readFileSync(file, 'utf8'))?.clouds, secure ? parse(fs.readFileSync(secure, 'utf8'))?.clouds : undefined);
  const entry = clouds?.[name];
  if (!entry) {
    throw new Error(`cloud "${name}" is not in ${file} (it has: ${Object.keys(clouds ?? {}).join(', ') || 'none'}). Fix: pass one of those to --cloud / OS_CLOUD.`);
  }
  const auth = entry.auth ?? {};
  if (!auth.auth_url) {
    throw new Error(`cloud "${name}" in ${file} has no auth.auth_url. Fix: add the Keystone URL, e.g. https://keystone.example.org:5000/v3.`);
  }
  return {
    authUrl: auth.auth_url,
    username: auth.username,
    password: auth.password,
    userDomainName: auth.user_domain_name ?? (auth.user_domain_id ? undefined : entry.auth?.domain_name),
    userDomainId: auth.user_domain_id,
    projectName: auth.project_name ?? auth.tenant_name,
    projectId: auth.project_id ?? auth.tenant_id,
    projectDomainName: auth.project_domain_name,
    projectDomainId: auth.project_domain_id,
    applicationCredentialId: auth.application_credential_id,
    applicationCredentialSecret: auth.application_credential_secret,
    token: auth.token,
    regionName: entry.region_name ?? env.OS_REGION_NAME,
    interface: entry.interface ?? entry.endpoint_type ?? 'public',
    source: `${file} (cloud "${name}")`,
  };
}

function fromEnv(env: NodeJS.ProcessEnv): CloudConfig {
  if (!env.OS_AUTH_URL) {
    throw new Error('no cloud selected: set OS_CLOUD (with a clouds.yaml) or the OS_* variables (OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME, ...). Fix: e.g. export OS_CLOUD=mycloud.');
  }
  return {
    authUrl: env.OS_AUTH_URL,
    username: env.OS_USERNAME,
    password: env.OS_PASSWORD,
    userDomainName: env.OS_USER_DOMAIN_NAME,
    userDomainId: env.OS_USER_DOMAIN_ID,
    projectName: env.OS_PROJECT_NAME ?? env.OS_TENANT_NAME,
    projectId: env.OS_PROJECT_ID ?? env.OS_TENANT_ID,
    projectDomainName: env.OS_PROJECT_DOMAIN_NAME,
    projectDomainId: env.OS_PROJECT_DOMAIN_ID,
    applicationCredentialId: env.OS_APPLICATION_CREDENTIAL_ID,
    applicationCredentialSecret: env.OS_APPLICATION_CREDENTIAL_SECRET,
    token: env.OS_TOKEN,
    regionName: env.OS_REGION_NAME,
    interface: env.OS_INTERFACE ?? 'public',
    source: 'OS_* environment variables',
  };
}

/** The Keystone v3 auth request body for a cloud: application credential, token or password. */
export function authRequest(cloud: CloudConfig): object {
  if (cloud.applicationCredentialId) {
    return { auth: { identity: { methods: ['application_credential'], application_credential: { id: cloud.applicationCredentialId, secret: cloud.applicationCredentialSecret } } } };
  }
  const scope = cloud.projectId ? { project: { id: cloud.projectId } } : cloud.projectName
    ? { project: { name: cloud.projectName, domain: cloud.projectDomainId ? { id: cloud.projectDomainId } : { name: cloud.projectDomainName ?? 'Default' } } }
    : undefined;
  if (cloud.token) {
    return { auth: { identity: { methods: ['token'], token: { id: cloud.token } }, ...(scope ? { scope } : {}) } };
  }
  if (!cloud.username || !cloud.password) {
    throw new Error(`${cloud.source}: no username/password, application credential or token. Fix: add auth.username and auth.password (or an application credential).`);
  }
  const domain = cloud.userDomainId ? { id: cloud.userDomainId } : { name: cloud.userDomainName ?? 'Default' };
  return { auth: { identity: { methods: ['password'], password: { user: { name: cloud.username, password: cloud.password, domain } } }, ...(scope ? { scope } : {}) } };
}
