import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { REDACTED } from './redact';

/** Keystone auth plugins the teardown speaks (keystoneauth's names). */
export type AuthType = 'password' | 'v3password' | 'v3applicationcredential' | 'token' | 'v3token';
const AUTH_TYPES: readonly AuthType[] = ['password', 'v3password', 'v3applicationcredential', 'token', 'v3token'];

/** Which catalog endpoint of a service to use. */
export type EndpointInterface = 'public' | 'internal' | 'admin';

/** Credentials and endpoint choice of one cloud, resolved as the openstack CLI resolves them. */
export interface CloudConfig {
  /** The clouds.yaml entry, or `envvars` for the OS_* environment. */
  readonly name: string;
  readonly authType: AuthType;
  readonly authUrl: string;
  readonly username?: string;
  readonly userId?: string;
  readonly password?: string;
  readonly userDomainName?: string;
  readonly userDomainId?: string;
  readonly projectName?: string;
  readonly projectId?: string;
  readonly projectDomainName?: string;
  readonly projectDomainId?: string;
  /** Domain scope, used only when no project is given. */
  readonly domainName?: string;
  readonly domainId?: string;
  readonly applicationCredentialId?: string;
  readonly applicationCredentialName?: string;
  readonly applicationCredentialSecret?: string;
  readonly token?: string;
  readonly regionName?: string;
  readonly interface: EndpointInterface;
  /** CA bundle for TLS to the cloud's endpoints. */
  readonly cacert?: string;
  /** Skip TLS verification (`verify: false`, `insecure: true`, OS_INSECURE). */
  readonly insecure: boolean;
  /** Where the settings came from, for messages. */
  readonly source: string;
  /** The clouds.yaml the entry was read from. @default - none: the settings are the OS_* environment's */
  readonly configFile?: string;
  /** The file holding the entry's secret: its secure.yaml when that has one, else {@link configFile}. @default - configFile */
  readonly secretFile?: string;
}

/** The secret values of a cloud, for redaction. */
export function secretsOf(cloud: CloudConfig): string[] {
  return [cloud.password, cloud.applicationCredentialSecret, cloud.token].filter((s): s is string => !!s);
}

/** A printable one-line summary of a cloud; never contains a secret. */
export function describeCloud(cloud: CloudConfig): string {
  const who = cloud.applicationCredentialId ?? cloud.applicationCredentialName ?? cloud.username ?? cloud.userId ?? (cloud.token ? `token ${REDACTED}` : '?');
  const project = cloud.projectName ?? cloud.projectId ?? cloud.domainName ?? cloud.domainId ?? 'default project';
  return (
    `${cloud.source}: ${cloud.authType} as ${who} on ${project} at ${cloud.authUrl}` +
    `${cloud.regionName ? `, region ${cloud.regionName}` : ''}, ${cloud.interface} endpoints`
  );
}

/** Directories openstacksdk searches for clouds.yaml and secure.yaml, in order (Linux). */
export function configSearchPath(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string[] {
  const home = env.HOME || os.homedir();
  const xdgDirs = (env.XDG_CONFIG_DIRS || '/etc/xdg')
    .split(':')
    .filter(Boolean)
    .map((d) => path.join(d, 'openstack'));
  const dirs = [
    cwd,
    path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'openstack'),
    path.join(home, '.config', 'openstack'),
    ...xdgDirs,
    '/etc/openstack',
  ];
  return [...new Set(dirs)];
}

/** Files in search order: OS_CLIENT_CONFIG_FILE (or OS_CLIENT_SECURE_FILE) first, then `<base>.yaml|.yml|.json` in each directory. */
export function configCandidates(base: 'clouds' | 'secure', env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string[] {
  const override = base === 'clouds' ? env.OS_CLIENT_CONFIG_FILE : env.OS_CLIENT_SECURE_FILE;
  const files = configSearchPath(env, cwd).flatMap((dir) => ['.yaml', '.yml', '.json'].map((ext) => path.join(dir, base + ext)));
  return override ? [override, ...files] : files;
}

type Settings = Record<string, unknown>;

/** The first readable file of the list, parsed (JSON is YAML); unreadable ones are skipped as openstacksdk does. */
function loadFirst(files: string[]): { file: string; data: Settings } | undefined {
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    try {
      const data = parse(text) ?? {};
      if (typeof data !== 'object' || Array.isArray(data)) throw new Error('not a mapping');
      return { file, data: data as Settings };
    } catch (e) {
      // Unlike openstacksdk (which skips it), refuse: falling through could select another cloud.
      throw new Error(
        `${file} is not valid YAML/JSON (${(e as Error).message.split('\n')[0]}). Fix: correct the file, or point OS_CLIENT_CONFIG_FILE elsewhere.`,
      );
    }
  }
  return undefined;
}

const isObject = (v: unknown): v is Settings => !!v && typeof v === 'object' && !Array.isArray(v);

/** Deep merge of `over` onto `base` (secure.yaml onto clouds.yaml). */
function merge(base: unknown, over: unknown): unknown {
  if (!isObject(over) || !isObject(base)) return over === undefined ? base : over;
  const out: Settings = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(out[k], v);
  return out;
}

/** OS_* variables that only select or locate a cloud: alone they do not make one. */
const SELECTORS = new Set(['OS_CLOUD', 'OS_REGION_NAME', 'OS_CLIENT_CONFIG_FILE', 'OS_CLIENT_SECURE_FILE', 'OS_CLOUD_NAME']);

/** The `envvars` cloud openstacksdk builds from OS_* (lower-cased, prefix dropped), if there is one. */
function envCloud(env: NodeJS.ProcessEnv): Settings | undefined {
  const keys = Object.keys(env).filter((k) => k.startsWith('OS_') && !/^OS_(TEST|STD|LOG)/.test(k) && env[k] !== undefined);
  if (!keys.some((k) => !SELECTORS.has(k))) return undefined;
  return Object.fromEntries(keys.map((k) => [k.slice(3).toLowerCase(), env[k]]));
}

/** How to name a setting in messages: `auth.password` in a file, `OS_PASSWORD` in the environment. */
type Labeller = (key: string) => string;

/**
 * Resolves the cloud to use. `cloud` (the --cloud flag) or OS_CLOUD selects an entry of the first
 * clouds.yaml found, deep-merged with the first secure.yaml found; without either, the OS_*
 * variables; without those, the only entry of clouds.yaml. OS_REGION_NAME picks the region.
 */
export function resolveCloud(cloud?: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): CloudConfig {
  const cloudFiles = configCandidates('clouds', env, cwd);
  const secureFiles = configCandidates('secure', env, cwd);
  const config = loadFirst(cloudFiles);
  const secure = loadFirst(secureFiles);
  const clouds = (merge(config?.data.clouds ?? {}, secure?.data.clouds) ?? {}) as Settings;
  const fromEnv = envCloud(env);
  const envName = env.OS_CLOUD_NAME || 'envvars';
  const looked = `looked in ${[config?.file ?? cloudFiles.slice(0, 4).join(', ') + ', …', secure?.file].filter(Boolean).join(' and ')}`;
  const name = cloud || env.OS_CLOUD;

  if (name && isObject(clouds[name])) {
    // Named in messages: the file the entry is in, and the one its secret is in (so that a fix names the right file).
    const holding = (f?: { file: string; data: Settings }) => {
      const entry = isObject(f?.data.clouds) ? (f.data.clouds as Settings)[name] : undefined;
      return isObject(entry) ? entry : undefined;
    };
    const configFile = holding(config) ? config!.file : secure!.file;
    const secretFile = hasSecret(holding(secure)) ? secure!.file : configFile;
    const where = `${configFile} (cloud "${name}")`;
    return { ...normalize(name, clouds[name] as Settings, env, where, (k) => `auth.${k} of cloud "${name}" (${looked})`), configFile, secretFile };
  }
  if (name && !(name === envName && fromEnv)) {
    const known = Object.keys(clouds);
    throw new Error(
      `cloud "${name}" not found: ${config ? `${config.file} has ${known.length ? known.map((k) => `"${k}"`).join(', ') : 'no clouds'}` : 'no clouds.yaml found'} (${looked}). ` +
        'Fix: pass an existing name with --cloud / OS_CLOUD, or set OS_CLIENT_CONFIG_FILE to the clouds.yaml that has it.',
    );
  }
  if (fromEnv) {
    return normalize(envName, { auth: {}, ...fromEnv }, env, 'OS_* environment variables', (k) => `OS_${k.toUpperCase()}`);
  }
  const only = Object.keys(clouds);
  if (only.length === 1) {
    return resolveCloud(only[0], env, cwd);
  }
  throw new Error(
    `no cloud selected: ${only.length ? `${config?.file} has ${only.length} clouds` : `no clouds.yaml found (${looked})`} and no OS_* credentials are set. ` +
      'Fix: pass --cloud NAME or export OS_CLOUD=NAME (with a clouds.yaml), or source an openrc that sets OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME.',
  );
}

/** Whether an entry (of secure.yaml) holds a password, application credential secret or token. */
function hasSecret(entry: Settings | undefined): boolean {
  if (!entry) return false;
  const s = flatten(entry);
  return !!(s.password ?? s.application_credential_secret ?? s.token ?? s.auth_token);
}

/** Flat settings: the auth section wins over top-level keys of the same name. */
function flatten(entry: Settings): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {};
  const put = (source: Settings) => {
    for (const [k, v] of Object.entries(source)) {
      if (k !== 'auth' && v !== undefined && v !== null && !isObject(v) && !Array.isArray(v)) flat[k.replace(/-/g, '_')] = String(v);
    }
  };
  put(entry);
  if (isObject(entry.auth)) put(entry.auth);
  return flat;
}

function regionOf(entry: Settings, s: Record<string, string | undefined>, env: NodeJS.ProcessEnv, where: string): string | undefined {
  const listed = Array.isArray(entry.regions)
    ? entry.regions.map((r) => (isObject(r) ? String(r.name) : String(r)))
    : (s.region_name ?? '')
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean);
  const wanted = env.OS_REGION_NAME || undefined;
  if (wanted && listed.length > 1 && !listed.includes(wanted)) {
    throw new Error(`OS_REGION_NAME=${wanted} is not a region of ${where} (it has ${listed.join(', ')}). Fix: unset OS_REGION_NAME or use one of those.`);
  }
  return wanted ?? listed[0];
}

function interfaceOf(value: string | undefined, where: string): EndpointInterface {
  const v = (value ?? 'public').replace(/URL$/, '');
  if (v !== 'public' && v !== 'internal' && v !== 'admin') {
    throw new Error(`${where}: interface "${value}" is not public, internal or admin. Fix: set interface to one of those.`);
  }
  return v;
}

const truthy = (v: string | undefined) => v !== undefined && /^(true|1|yes)$/i.test(v);
const falsy = (v: string | undefined) => v !== undefined && /^(false|0|no)$/i.test(v);

function authTypeOf(s: Record<string, string | undefined>, where: string): AuthType {
  const given = s.auth_type ?? s.auth_plugin;
  if (given !== undefined) {
    if (!(AUTH_TYPES as readonly string[]).includes(given)) {
      throw new Error(`${where}: auth_type "${given}" is not supported. Fix: use one of ${AUTH_TYPES.join(', ')}.`);
    }
    return given as AuthType;
  }
  if (s.application_credential_id || s.application_credential_secret) return 'v3applicationcredential';
  if ((s.token ?? s.auth_token) && !s.password) return 'token';
  return 'password';
}

function normalize(name: string, entry: Settings, env: NodeJS.ProcessEnv, where: string, label: Labeller): CloudConfig {
  if (entry.profile !== undefined || entry.cloud !== undefined) {
    const s0 = flatten(entry);
    if (!s0.auth_url) {
      throw new Error(
        `${where} uses vendor profile "${entry.profile ?? entry.cloud}", which this tool does not expand. Fix: write auth_url (and region_name) into the entry.`,
      );
    }
  }
  const s = flatten(entry);
  const projectScoped = !!(s.project_id ?? s.tenant_id ?? s.project_name ?? s.tenant_name);
  // `domain_*` stands for both user and project domain when a project is given (openstacksdk's _handle_domain_id).
  const cloud: CloudConfig = {
    name,
    authType: authTypeOf(s, where),
    authUrl: s.auth_url ?? '',
    username: s.username ?? s.user_name,
    userId: s.user_id,
    password: s.password,
    userDomainName: s.user_domain_name ?? (projectScoped && !s.user_domain_id ? s.domain_name : undefined),
    userDomainId: s.user_domain_id ?? (projectScoped && !s.user_domain_name ? s.domain_id : undefined),
    projectName: s.project_name ?? s.tenant_name,
    projectId: s.project_id ?? s.tenant_id,
    projectDomainName: s.project_domain_name ?? (projectScoped && !s.project_domain_id ? s.domain_name : undefined),
    projectDomainId: s.project_domain_id ?? (projectScoped && !s.project_domain_name ? s.domain_id : undefined),
    domainName: projectScoped ? undefined : s.domain_name,
    domainId: projectScoped ? undefined : s.domain_id,
    applicationCredentialId: s.application_credential_id,
    applicationCredentialName: s.application_credential_name,
    applicationCredentialSecret: s.application_credential_secret,
    token: s.token ?? s.auth_token,
    regionName: regionOf(entry, s, env, where),
    interface: interfaceOf(s.interface ?? s.endpoint_type, where),
    cacert: s.cacert ?? (s.verify && !falsy(s.verify) && !truthy(s.verify) ? s.verify : undefined),
    insecure: truthy(s.insecure) || falsy(s.verify),
    source: where,
  };
  checkComplete(cloud, label);
  return cloud;
}

/** Throws, naming the first missing setting and where it was looked for. */
function checkComplete(c: CloudConfig, label: Labeller): void {
  const missing = (key: string) =>
    new Error(
      `${c.source}: ${label(key)} is missing (auth type ${c.authType}). Fix: set it; secrets may go in secure.yaml or the environment, never on the command line.`,
    );
  if (!c.authUrl) throw missing('auth_url');
  if (c.authType === 'password' || c.authType === 'v3password') {
    if (!c.username && !c.userId) throw missing('username');
    if (!c.password) throw missing('password');
  } else if (c.authType === 'v3applicationcredential') {
    if (!c.applicationCredentialId && !c.applicationCredentialName) throw missing('application_credential_id');
    if (!c.applicationCredentialId && !c.username && !c.userId) throw missing('username');
    if (!c.applicationCredentialSecret) throw missing('application_credential_secret');
  } else if (!c.token) {
    throw missing('token');
  }
}
