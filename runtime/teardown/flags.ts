/**
 * The contract between {@link ClusterTeardown} (synth time) and the teardown CLI
 * (destroy time): the command's name and every flag, written once. The construct
 * builds its provisioner from this table and the CLI parses with it, so the two
 * cannot disagree. Imports nothing: both wings may depend on it.
 */

/** The installed command name (package.json `bin`). */
export const TEARDOWN_CLI_NAME = 'magnum-cdktf-teardown';

/** The CLI's subcommands. */
export type TeardownCommand = 'teardown' | 'audit';

/** One command-line option of the teardown CLI. */
export interface TeardownFlag {
  /** The option without its dashes, e.g. `cluster` for `--cluster`. */
  readonly name: string;
  /** Whether the option takes a value. */
  readonly type: 'string' | 'boolean';
  /** May be given more than once (values collected in order). @default false */
  readonly multiple?: boolean;
  /** Other spellings accepted on the command line. @default - none */
  readonly aliases?: readonly string[];
  /** The subcommands that accept it. */
  readonly commands: readonly TeardownCommand[];
}

const BOTH: readonly TeardownCommand[] = ['teardown', 'audit'];
const TEARDOWN: readonly TeardownCommand[] = ['teardown'];

/**
 * Where `--cluster-from-env` reads the cluster UUID. Values handed over in the environment
 * reach the CLI without any shell parsing them: Terraform passes a provisioner's
 * `environment` map directly. Read only when that flag asks for it, so a variable left
 * exported in an operator's shell never turns a bare command into a teardown.
 */
export const CLUSTER_ENV = 'MAGNUM_CDKTF_TEARDOWN_CLUSTER';

/** The clouds.yaml entry, as every OpenStack client reads it (and the CLI without `--cloud`). */
export const CLOUD_ENV = 'OS_CLOUD';

/** Every option of the CLI, by a stable key. */
export const TEARDOWN_FLAGS = {
  cluster: { name: 'cluster', type: 'string', commands: TEARDOWN },
  clusterFromEnv: { name: 'cluster-from-env', type: 'boolean', commands: TEARDOWN },
  cloud: { name: 'cloud', type: 'string', aliases: ['os-cloud'], commands: BOTH },
  dryRun: { name: 'dry-run', type: 'boolean', commands: TEARDOWN },
  json: { name: 'json', type: 'boolean', commands: BOTH },
  includeVolumes: { name: 'include-volumes', type: 'boolean', commands: TEARDOWN },
  allProjects: { name: 'all-projects', type: 'boolean', commands: ['audit'] },
  concurrency: { name: 'concurrency', type: 'string', commands: TEARDOWN },
  timeoutSeconds: { name: 'timeout-seconds', type: 'string', commands: TEARDOWN },
  mode: { name: 'mode', type: 'string', commands: TEARDOWN },
  nodeGroup: { name: 'node-group', type: 'string', multiple: true, commands: TEARDOWN },
  deleteNodeGroups: { name: 'delete-node-groups', type: 'boolean', commands: TEARDOWN },
  deleteFailedCluster: { name: 'delete-failed-cluster', type: 'boolean', commands: TEARDOWN },
  help: { name: 'help', type: 'boolean', commands: BOTH },
} as const satisfies Record<string, TeardownFlag>;

/** The key of one option in {@link TEARDOWN_FLAGS}. */
export type TeardownFlagKey = keyof typeof TEARDOWN_FLAGS;

/** `--name` of an option, as written on a command line. */
export function flag(key: TeardownFlagKey): string {
  return `--${TEARDOWN_FLAGS[key].name}`;
}
