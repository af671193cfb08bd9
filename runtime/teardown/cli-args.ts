import { parseArgs } from 'util';
import { splitKubeconfigPaths } from '../kubernetes';
import { TeardownMode } from './drivers';
import { TEARDOWN_DEFAULTS } from './execute';
import {
  TEARDOWN_CLI_NAME as CLI_NAME,
  CLAIMED_AT_ENV,
  CLUSTER_ENV,
  flag,
  KUBECONFIG_ENV,
  NODE_BOUNDS_ENV,
  NODE_COUNT_ENV,
  NODE_GROUP_ENV,
  TEARDOWN_COMMANDS,
  TEARDOWN_FLAGS,
  TeardownCommand,
  TeardownFlag,
  TeardownFlagKey,
} from './flags';
import { checkClusterId, isUuid } from './matchers';
import type { NodeBounds } from './node-groups';

/** Default values the usage text shows, by flag. */
const SHOWN_DEFAULTS: Partial<Record<TeardownFlagKey, string>> = {
  concurrency: String(TEARDOWN_DEFAULTS.concurrency),
  timeoutSeconds: String(TEARDOWN_DEFAULTS.timeoutSeconds),
  mode: TEARDOWN_DEFAULTS.mode,
};

const flagsOf = (command: TeardownCommand) =>
  (Object.entries(TEARDOWN_FLAGS) as [TeardownFlagKey, TeardownFlag][]).filter(([key, f]) => key !== 'help' && f.commands.includes(command));
const spelled = (f: TeardownFlag) => `--${f.name}${f.value ? ` ${f.value}` : ''}`;

/** Words wrapped to `width` columns, each line after the first indented by `indent`. */
function wrap(text: string, width: number, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line].join(`\n${' '.repeat(indent)}`);
}

/** The CLI's help text, written from the flag table: a flag added there is documented here. */
export const USAGE = [
  `usage: ${CLI_NAME} ${wrap(
    flagsOf('teardown')
      .map(([, f]) => `[${spelled(f)}]${f.multiple ? '...' : ''}`)
      .join(' '),
    70,
    8 + CLI_NAME.length,
  )}`,
  ...(['audit', 'delete-node-group', 'resize-node-group', 'sweep-orphans'] as const).map(
    (command) =>
      `       ${CLI_NAME} ${command} ${flagsOf(command)
        .map(([, f]) => `[${spelled(f)}]`)
        .join(' ')}`,
  ),
  `       ${CLI_NAME} --help`,
  '',
  "Deletes what Kubernetes' OpenStack cloud provider created for the Magnum cluster",
  'with exactly this UUID, and nothing else: Service/Ingress load balancers, their',
  'floating IPs, and Service/Ingress security groups. Matching is on full descriptions',
  "ending in the cluster's UUID, never on name prefixes. --cluster or --cluster-from-env",
  'is required.',
  '',
  ...(Object.entries(TEARDOWN_FLAGS) as [TeardownFlagKey, TeardownFlag][]).map(([key, f]) => {
    const head = `  ${spelled(f)}`;
    const help = wrap(f.help.replace('{default}', SHOWN_DEFAULTS[key] ?? ''), 58, 22);
    return head.length < 21 ? `${head.padEnd(22)}${help}` : `${head}\n${' '.repeat(22)}${help}`;
  }),
  '',
  "audit: lists, for the token's project (--all-projects: every project, admin only),",
  'cloud-provider resources whose cluster no longer exists in Magnum.',
  '',
  'delete-node-group: deletes one node group, given by --node-group-from-env, and waits',
  "until Magnum no longer knows it; leaves the cluster's other resources alone. A group",
  'or cluster already gone is done.',
  '',
  'resize-node-group: gives one node group, given by --node-group-from-env, the number of',
  'nodes in --node-count-from-env, once it shows the bounds given there and neither it nor its',
  'cluster is in progress, and waits until Magnum shows it UPDATE_COMPLETE with that count and',
  'the cluster done. A group that has the count (and did not fail) is not resized again.',
  '',
  'sweep-orphans: deletes the orphans of an interrupted create of the cluster given (kept):',
  "clusters in its project with exactly its name and its template's UUID, created since",
  '--claimed-at-from-env (less a minute for clock skew), which no Terraform state holds because',
  'the run that created them was killed; each goes by a teardown and is waited for.',
  'Without a claim it deletes nothing. ClusterTeardown runs it once per new cluster.',
  '',
  'Exit codes: 0 nothing of the cluster (or the node group) left / dry run done / no orphans;',
  '1 something failed, is left, was interrupted, or the audit found orphans; 2 bad usage.',
].join('\n');

/** A whole number, 0 or more, as the environment gives it. */
const WHOLE = /^[0-9]{1,9}$/;

/** Bad arguments: the CLI exits 2 and prints the usage. */
class UsageError extends Error {}

/** The CLI's arguments, parsed and checked. */
export interface TeardownArgs {
  readonly command: TeardownCommand;
  /** The cluster's UUID (of the node group, for delete-node-group). */
  readonly cluster?: string;
  /** The node group's UUID (delete-node-group, resize-node-group). */
  readonly nodeGroupId?: string;
  /** The number of nodes to give the node group (resize-node-group). */
  readonly nodeCount?: number;
  /** The bounds the group must show before it is resized (resize-node-group); an undefined side is not waited for. */
  readonly nodeBounds?: NodeBounds;
  /** When Terraform claimed the cluster's creation (sweep-orphans); undefined: no bound. */
  readonly claimedAt?: string;
  readonly cloud?: string;
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly includeVolumes: boolean;
  readonly allProjects: boolean;
  readonly concurrency: number;
  readonly timeoutSeconds: number;
  readonly mode: TeardownMode;
  readonly nodeGroups: string[];
  readonly deleteNodeGroups: boolean;
  readonly deleteFailedCluster: boolean;
  readonly deleteCluster: boolean;
  /** Kubeconfig files for the Kubernetes step, from `--kubeconfig` then (with `--kubeconfig-from-env`) {@link KUBECONFIG_ENV}; empty: no step. */
  readonly kubeconfigPaths: string[];
  readonly help: boolean;
}

type FlagValue = string | boolean | string[] | undefined;

/** Every flag of the table, by key, as given on the command line. */
function readFlags(argv: string[]): { values: Record<TeardownFlagKey, FlagValue>; positionals: string[] } {
  const flags = Object.entries(TEARDOWN_FLAGS) as [TeardownFlagKey, TeardownFlag][];
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const [, f] of flags) {
    for (const name of [f.name, ...(f.aliases ?? [])]) options[name] = f.multiple ? { type: f.type, multiple: true } : { type: f.type };
  }
  options[TEARDOWN_FLAGS.help.name].short = 'h';
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values as Record<string, FlagValue>;
  const values = Object.fromEntries(flags.map(([key, f]) => [key, [f.name, ...(f.aliases ?? [])].map((n) => v[n]).find((x) => x !== undefined)]));
  return { values: values as Record<TeardownFlagKey, FlagValue>, positionals: parsed.positionals };
}

/** The cluster UUID: from `--cluster`, or from {@link CLUSTER_ENV} when `--cluster-from-env` asks for it. */
function clusterOf(v: Record<TeardownFlagKey, FlagValue>, env: NodeJS.ProcessEnv): string | undefined {
  if (!v.clusterFromEnv) return v.cluster as string | undefined;
  if (v.cluster !== undefined) throw new UsageError(`give ${flag('cluster')} or ${flag('clusterFromEnv')}, not both`);
  if (!env[CLUSTER_ENV]) throw new UsageError(`${flag('clusterFromEnv')}: ${CLUSTER_ENV} is not set`);
  return env[CLUSTER_ENV];
}

/**
 * The node group that `--node-group-from-env` names in {@link NODE_GROUP_ENV}: terraform-provider-openstack's
 * id of a node group, `<cluster UUID>/<node group UUID>`.
 */
function nodeGroupOf(v: Record<TeardownFlagKey, FlagValue>, env: NodeJS.ProcessEnv): { cluster: string; nodeGroupId: string } {
  if (!v.nodeGroupFromEnv) throw new UsageError(`${flag('nodeGroupFromEnv')} is required`);
  const value = env[NODE_GROUP_ENV];
  if (!value) throw new UsageError(`${flag('nodeGroupFromEnv')}: ${NODE_GROUP_ENV} is not set`);
  const [cluster, nodeGroupId, ...rest] = value.split('/');
  if (rest.length > 0 || !isUuid(cluster) || !isUuid(nodeGroupId ?? '')) {
    throw new UsageError(`${flag('nodeGroupFromEnv')}: ${NODE_GROUP_ENV} ${JSON.stringify(value)} is not <cluster UUID>/<node group UUID>`);
  }
  return { cluster: checkClusterId(cluster), nodeGroupId: nodeGroupId.toLowerCase() };
}

/** The node count that `--node-count-from-env` names in {@link NODE_COUNT_ENV}: a whole number, 0 or more. */
function nodeCountOf(v: Record<TeardownFlagKey, FlagValue>, env: NodeJS.ProcessEnv): number {
  if (!v.nodeCountFromEnv) throw new UsageError(`${flag('nodeCountFromEnv')} is required`);
  const value = env[NODE_COUNT_ENV];
  if (!value) throw new UsageError(`${flag('nodeCountFromEnv')}: ${NODE_COUNT_ENV} is not set`);
  if (!WHOLE.test(value)) throw new UsageError(`${flag('nodeCountFromEnv')}: ${NODE_COUNT_ENV} ${JSON.stringify(value)} is not a whole number, 0 or more`);
  return Number(value);
}

/** The bounds in {@link NODE_BOUNDS_ENV}, `<min>..<max>` with either side empty; unset or empty: none. */
function nodeBoundsOf(env: NodeJS.ProcessEnv): NodeBounds | undefined {
  const value = env[NODE_BOUNDS_ENV];
  if (!value) return undefined;
  const [min, max, ...rest] = value.split('..');
  if (max === undefined || rest.length > 0 || ![min, max].every((n) => n === '' || WHOLE.test(n))) {
    throw new UsageError(`${flag('nodeCountFromEnv')}: ${NODE_BOUNDS_ENV} ${JSON.stringify(value)} is not <min>..<max> (whole numbers, either may be empty)`);
  }
  return { min: min === '' ? undefined : Number(min), max: max === '' ? undefined : Number(max) };
}

/**
 * The kubeconfig files of `--kubeconfig`, then those of {@link KUBECONFIG_ENV} when `--kubeconfig-from-env` asks
 * for them (both may be given: a `command` with its own `--kubeconfig` still gets ClusterTeardown's flag), each once.
 * An unset or empty variable is none: ClusterTeardown always passes the flag.
 */
function kubeconfigPathsOf(v: Record<TeardownFlagKey, FlagValue>, env: NodeJS.ProcessEnv): string[] {
  const given = v.kubeconfig as string | undefined;
  if (given !== undefined && splitKubeconfigPaths(given).length === 0)
    throw new UsageError(`${flag('kubeconfig')} "${given}": give one or more kubeconfig files`);
  const fromEnv = v.kubeconfigFromEnv ? (env[KUBECONFIG_ENV] ?? '') : '';
  return [...new Set([...splitKubeconfigPaths(given ?? ''), ...splitKubeconfigPaths(fromEnv)])];
}

/**
 * Parses and checks the arguments (the environment only where `--cluster-from-env`,
 * `--node-group-from-env` or `--kubeconfig-from-env` asks for it); throws a usage error naming the bad one.
 */
export function parseTeardownArgs(argv: string[], env: NodeJS.ProcessEnv = {}): TeardownArgs {
  const { values: v, positionals } = readFlags(argv);
  const [command = 'teardown', ...extra] = positionals;
  if (!(TEARDOWN_COMMANDS as readonly string[]).includes(command) || extra.length > 0) {
    throw new UsageError(`unexpected argument "${positionals.join(' ')}"`);
  }
  const concurrency = Number(v.concurrency ?? TEARDOWN_DEFAULTS.concurrency);
  const timeoutSeconds = Number(v.timeoutSeconds ?? TEARDOWN_DEFAULTS.timeoutSeconds);
  const mode = (v.mode as string | undefined) ?? TEARDOWN_DEFAULTS.mode;
  const args: TeardownArgs = {
    command: command as TeardownCommand,
    cluster: clusterOf(v, env),
    cloud: v.cloud as string | undefined,
    dryRun: !!v.dryRun,
    json: !!v.json,
    includeVolumes: !!v.includeVolumes,
    allProjects: !!v.allProjects,
    concurrency,
    timeoutSeconds,
    mode: mode as TeardownMode,
    nodeGroups: (v.nodeGroup as string[] | undefined) ?? [],
    deleteNodeGroups: !!v.deleteNodeGroups,
    deleteFailedCluster: !!v.deleteFailedCluster,
    deleteCluster: !!v.deleteCluster,
    kubeconfigPaths: kubeconfigPathsOf(v, env),
    help: !!v.help,
  };
  if (args.help) return args;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new UsageError(`${flag('concurrency')} ${v.concurrency}: give a whole number from 1 to 64`);
  if (!(timeoutSeconds > 0) || !Number.isFinite(timeoutSeconds))
    throw new UsageError(`${flag('timeoutSeconds')} ${v.timeoutSeconds}: give a number of seconds above 0`);
  if (mode !== 'cascade' && mode !== 'ordered') throw new UsageError(`${flag('mode')} ${mode}: give cascade or ordered`);
  const given = (Object.keys(v) as TeardownFlagKey[]).filter((key) => v[key] !== undefined);
  const foreign = given.filter((key) => !(TEARDOWN_FLAGS[key].commands as readonly string[]).includes(command));
  if (foreign.length > 0) {
    throw new UsageError(`${command} takes no ${foreign.map(flag).join(', ')}${command === 'audit' ? ': it only lists' : ''}`);
  }
  // An empty name is none; any other goes to Magnum, whose 404 for a name it does not know is reported as already gone.
  if (args.nodeGroups.includes('')) throw new UsageError(`${flag('nodeGroup')} "": give the name of a node group of the cluster`);
  if (command === 'delete-node-group') return { ...args, ...nodeGroupOf(v, env) };
  if (command === 'resize-node-group') return { ...args, ...nodeGroupOf(v, env), nodeCount: nodeCountOf(v, env), nodeBounds: nodeBoundsOf(env) };
  if ((command === 'teardown' || command === 'sweep-orphans') && !args.cluster) throw new UsageError(`${flag('cluster')} UUID is required`);
  if (command === 'sweep-orphans') return { ...args, cluster: checkedCluster(args.cluster!), claimedAt: claimedAtOf(v, env) };
  if (command === 'teardown' && args.cluster) checkedCluster(args.cluster);
  return args;
}

/** The cluster UUID, checked, or a usage error naming what is wrong with it. */
function checkedCluster(cluster: string): string {
  try {
    return checkClusterId(cluster);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/**
 * The claim time `--claimed-at-from-env` reads from {@link CLAIMED_AT_ENV}: undefined when not asked
 * for, or empty (a guard made by a version of this library that kept none: no bound).
 */
function claimedAtOf(v: Record<TeardownFlagKey, FlagValue>, env: NodeJS.ProcessEnv): string | undefined {
  if (!v.claimedAtFromEnv) return undefined;
  const value = env[CLAIMED_AT_ENV];
  if (value === undefined) throw new UsageError(`${flag('claimedAtFromEnv')}: ${CLAIMED_AT_ENV} is not set`);
  if (value === '') return undefined;
  if (Number.isNaN(Date.parse(value))) throw new UsageError(`${flag('claimedAtFromEnv')}: ${CLAIMED_AT_ENV} ${JSON.stringify(value)} is not an RFC 3339 time`);
  return value;
}
