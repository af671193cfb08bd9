import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

/**
 * One context of a kubeconfig, resolved as kubectl resolves it: its cluster's server and CA,
 * its user's credentials, every file it names read (relative to the kubeconfig that names it).
 */
export interface KubeContext {
  /** The context's name. */
  readonly name: string;
  /** The kubeconfig that defines it. */
  readonly file: string;
  /** The API server's URL (https://, or http:// for a test server). */
  readonly server: string;
  /** PEM of the CAs the server's certificate must chain to. @default - the system's CAs */
  readonly ca?: string;
  /** `insecure-skip-tls-verify: true`. */
  readonly insecure: boolean;
  /** `tls-server-name`: the name the server's certificate is checked against. @default - the server URL's host */
  readonly tlsServerName?: string;
  /** A bearer token (`token`, or read from `tokenFile`). @default - none */
  readonly token?: string;
  /** `username` and `password` of basic authentication. @default - none */
  readonly basicAuth?: { readonly username: string; readonly password: string };
  /** PEM of the client certificate. @default - none */
  readonly clientCertificate?: string;
  /** PEM of the client certificate's key. @default - none */
  readonly clientKey?: string;
}

/** What the kubeconfig files hold: the contexts that can be used, and a line for each file or context that cannot. */
export interface Kubeconfigs {
  /** Every context of every file, in file order (the first file to define a name wins, as in kubectl). */
  readonly contexts: KubeContext[];
  /** Why a file could not be read or a context cannot be used, one line each. */
  readonly problems: string[];
}

/** The secret values of a context, for redaction. */
export function secretsOfContext(context: KubeContext): string[] {
  const basic = context.basicAuth && Buffer.from(`${context.basicAuth.username}:${context.basicAuth.password}`).toString('base64');
  return [context.token, context.basicAuth?.password, basic, context.clientKey].filter((s): s is string => !!s);
}

/** A printable name of a context: its name, its file and its server; never a secret. */
export function describeContext(context: Pick<KubeContext, 'name' | 'file' | 'server'>): string {
  return `context "${context.name}" of ${context.file} (${context.server})`;
}

/** Splits a KUBECONFIG-style list (`:`-separated, `;` on Windows, as kubectl reads it); empty entries are none. */
export function splitKubeconfigPaths(list: string): string[] {
  return list.split(path.delimiter).filter((p) => p !== '');
}

type Settings = Record<string, unknown>;
const isObject = (v: unknown): v is Settings => !!v && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A kubeconfig's named entries (`clusters`, `users`, `contexts`): `{ name, <kind>: {...} }`. */
interface Named {
  readonly name: string;
  readonly body: Settings;
  readonly file: string;
}

/**
 * Reads kubeconfig files and resolves every context they define. Entries are merged by name across
 * files, the first definition winning, as kubectl merges KUBECONFIG; a missing or malformed file,
 * and a context that cannot be used (no server, an exec or auth-provider plugin, an unreadable
 * certificate), are reported in `problems`, never thrown: the caller decides what to skip.
 */
export function readKubeconfigs(files: readonly string[]): Kubeconfigs {
  const problems: string[] = [];
  const clusters = new Map<string, Named>();
  const users = new Map<string, Named>();
  const contexts = new Map<string, Named>();
  for (const file of [...new Set(files)]) {
    let data: unknown;
    try {
      data = parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message.split('\n')[0];
      problems.push(`kubeconfig ${file} cannot be read (${why}): skipped`);
      continue;
    }
    if (!isObject(data)) {
      problems.push(`kubeconfig ${file} is not a kubeconfig (no mapping at its top): skipped`);
      continue;
    }
    collect(data.clusters, 'cluster', file, clusters);
    collect(data.users, 'user', file, users);
    collect(data.contexts, 'context', file, contexts);
  }
  const resolved: KubeContext[] = [];
  for (const context of contexts.values()) {
    try {
      resolved.push(resolveContext(context, clusters, users));
    } catch (e) {
      problems.push(`context "${context.name}" of ${context.file}: ${(e as Error).message}: skipped`);
    }
  }
  return { contexts: resolved, problems };
}

/** Adds the named entries of one list of a file to `into`, unless an earlier file named them. */
function collect(list: unknown, kind: string, file: string, into: Map<string, Named>): void {
  if (!Array.isArray(list)) return;
  for (const entry of list) {
    const name = isObject(entry) ? text(entry.name) : undefined;
    if (name !== undefined && !into.has(name)) into.set(name, { name, body: isObject(entry[kind]) ? (entry[kind] as Settings) : {}, file });
  }
}

function resolveContext(context: Named, clusters: Map<string, Named>, users: Map<string, Named>): KubeContext {
  const clusterName = text(context.body.cluster);
  const cluster = clusterName === undefined ? undefined : clusters.get(clusterName);
  if (!cluster) throw new Error(`its cluster ${JSON.stringify(clusterName ?? '')} is defined in none of the kubeconfig files`);
  const server = text(cluster.body.server);
  if (!server || !/^https?:\/\//.test(server)) throw new Error(`cluster "${cluster.name}" has no server URL (${JSON.stringify(server ?? '')})`);
  const userName = text(context.body.user);
  const user = userName === undefined ? undefined : users.get(userName);
  if (userName !== undefined && !user) throw new Error(`its user "${userName}" is defined in none of the kubeconfig files`);
  const u = user?.body ?? {};
  if (u.exec !== undefined || u['auth-provider'] !== undefined) {
    throw new Error(`user "${userName}" authenticates through an ${u.exec !== undefined ? 'exec' : 'auth-provider'} plugin, which this tool does not run`);
  }
  const username = text(u.username);
  return {
    name: context.name,
    file: context.file,
    server: server.replace(/\/+$/, ''),
    ca: pem(cluster.body, 'certificate-authority', cluster.file),
    insecure: cluster.body['insecure-skip-tls-verify'] === true,
    tlsServerName: text(cluster.body['tls-server-name']),
    token: text(u.token) ?? fileText(u.tokenFile, user?.file)?.trim(),
    basicAuth: username !== undefined ? { username, password: text(u.password) ?? '' } : undefined,
    clientCertificate: pem(u, 'client-certificate', user?.file),
    clientKey: pem(u, 'client-key', user?.file),
  };
}

/** `<key>-data` (base64 PEM) or `<key>` (a path, relative to the kubeconfig that names it). */
function pem(settings: Settings, key: string, file: string | undefined): string | undefined {
  const data = text(settings[`${key}-data`]);
  if (data !== undefined) return Buffer.from(data, 'base64').toString('utf8');
  return fileText(settings[key], file);
}

/** The content of a file a kubeconfig names; throws naming the setting's file when it cannot be read. */
function fileText(value: unknown, kubeconfig: string | undefined): string | undefined {
  const given = text(value);
  if (given === undefined || kubeconfig === undefined) return undefined;
  const file = path.resolve(path.dirname(kubeconfig), given);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
