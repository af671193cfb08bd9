/**
 * The contract between the constructs that run the teardown CLI at destroy time
 * ({@link ClusterTeardown}, and the node groups' deleter) and the CLI itself: the
 * command's name, its subcommands and every flag, written once. The constructs
 * build their provisioners from this table and the CLI parses with it, so they
 * cannot disagree. Imports nothing: both wings may depend on it.
 */

/** The installed command name (package.json `bin`). */
export const TEARDOWN_CLI_NAME = 'magnum-cdktf-teardown';

/** The teardown CLI as an installed consumer of this package runs it. */
export const DEFAULT_TEARDOWN_COMMAND = `npx --no-install ${TEARDOWN_CLI_NAME}`;

/** The CLI's subcommands; the first is the default. */
export const TEARDOWN_COMMANDS = ['teardown', 'audit', 'delete-node-group', 'resize-node-group', 'sweep-orphans'] as const;

/** One of the CLI's subcommands. */
export type TeardownCommand = (typeof TEARDOWN_COMMANDS)[number];

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
  /** What the value stands for in the usage text, e.g. `UUID`. @default - none (a switch) */
  readonly value?: string;
  /** One sentence for the usage text; `{default}` is replaced by the default value. */
  readonly help: string;
}

const ALL: readonly TeardownCommand[] = TEARDOWN_COMMANDS;
const TEARDOWN: readonly TeardownCommand[] = ['teardown'];
/** The commands given a cluster. */
const OF_CLUSTER: readonly TeardownCommand[] = ['teardown', 'sweep-orphans'];
/** The commands that change the cloud, and may wait or only say what they would do. */
const CHANGING: readonly TeardownCommand[] = ['teardown', 'delete-node-group', 'resize-node-group', 'sweep-orphans'];
/** The commands given one node group, as terraform-provider-openstack's id of it. */
const OF_NODE_GROUP: readonly TeardownCommand[] = ['delete-node-group', 'resize-node-group'];

/**
 * Where `--cluster-from-env` reads the cluster UUID. Values handed over in the environment
 * reach the CLI without any shell parsing them: Terraform passes a provisioner's
 * `environment` map directly. Read only when that flag asks for it, so a variable left
 * exported in an operator's shell never turns a bare command into a teardown.
 */
export const CLUSTER_ENV = 'MAGNUM_CDKTF_TEARDOWN_CLUSTER';

/**
 * Where `--node-group-from-env` reads the node group to delete or resize, as `<cluster UUID>/<node group UUID>`
 * (terraform-provider-openstack's id of a node group). Handed over like {@link CLUSTER_ENV}, and
 * read only when that flag asks for it.
 */
export const NODE_GROUP_ENV = 'MAGNUM_CDKTF_TEARDOWN_NODE_GROUP';

/**
 * Where `--node-count-from-env` reads the number of nodes `resize-node-group` gives the group (a whole
 * number, 0 or more). Handed over like {@link CLUSTER_ENV}, and read only when that flag asks for it.
 */
export const NODE_COUNT_ENV = 'MAGNUM_CDKTF_TEARDOWN_NODE_COUNT';

/**
 * Where `--node-count-from-env` also reads the autoscaler bounds the group must show before it is
 * resized, as `<min>..<max>` (either may be empty: not waited for). Magnum applies a new bound
 * asynchronously (its conductor updates the group's stack, then saves it), and its resize API checks
 * the saved bounds. Unset: none.
 */
export const NODE_BOUNDS_ENV = 'MAGNUM_CDKTF_TEARDOWN_NODE_BOUNDS';

/**
 * The keys of a node group's resizer (a `terraform_data`) in its `triggers_replace`: the group's id,
 * its count and its bounds (only when the code gives one), handed to the CLI from there. A pull
 * request's diff tells a resize by them (scripts/pr-diff.ts).
 */
export const RESIZER_TRIGGERS = { nodeGroup: 'node_group', nodeCount: 'node_count', nodeBounds: 'node_bounds' } as const;

/**
 * Where `--claimed-at-from-env` reads the time (RFC 3339) at which Terraform claimed the cluster's
 * creation: no orphan of that creation can be older. Handed over like {@link CLUSTER_ENV}.
 */
export const CLAIMED_AT_ENV = 'MAGNUM_CDKTF_TEARDOWN_CLAIMED_AT';

/** The clouds.yaml entry, as every OpenStack client reads it (and the CLI without `--cloud`). */
export const CLOUD_ENV = 'OS_CLOUD';

/**
 * Where `--kubeconfig-from-env` reads the kubeconfig paths: the variable kubectl reads. Not set by
 * the constructs: Terraform's local-exec inherits the environment of `cdktf destroy`, so the
 * operator's own reaches the CLI. Read only when that flag asks for it.
 */
export const KUBECONFIG_ENV = 'KUBECONFIG';

/** Every option of the CLI, by a stable key. */
export const TEARDOWN_FLAGS = {
  cluster: {
    name: 'cluster',
    type: 'string',
    value: 'UUID',
    commands: OF_CLUSTER,
    help: 'the Magnum cluster whose cloud-provider resources go (sweep-orphans: the one to keep)',
  },
  clusterFromEnv: {
    name: 'cluster-from-env',
    type: 'boolean',
    commands: OF_CLUSTER,
    help: `read the cluster UUID from ${CLUSTER_ENV} instead of --cluster: how ClusterTeardown hands it over, so no shell parses it`,
  },
  cloud: {
    name: 'cloud',
    type: 'string',
    value: 'NAME',
    aliases: ['os-cloud'],
    commands: ALL,
    help: `clouds.yaml entry (also --os-cloud; default ${CLOUD_ENV}, else the OS_* variables)`,
  },
  dryRun: {
    name: 'dry-run',
    type: 'boolean',
    commands: CHANGING,
    help: 'list what would be deleted, and why each belongs to the cluster (resize-node-group: the resize it would ask for); change nothing',
  },
  json: { name: 'json', type: 'boolean', commands: ALL, help: 'print one JSON summary instead of progress lines' },
  includeVolumes: {
    name: 'include-volumes',
    type: 'boolean',
    commands: TEARDOWN,
    help: "also delete Cinder volumes proven to be the cluster's: CSI metadata naming its UUID, a Cinder CSI PersistentVolume of its own Kubernetes API (see --kubeconfig, which then deletes their claims first), or attached to its servers (detached first). THIS DESTROYS THEIR DATA. Heat's own volumes and its servers' boot volumes are never touched",
  },
  kubeconfig: {
    name: 'kubeconfig',
    type: 'string',
    value: 'PATHS',
    commands: TEARDOWN,
    help: "kubeconfig files (':'-separated): before the OpenStack sweep, through the first context proven to be the cluster's API (it lists Nodes, and every Node's providerID is a server of the cluster's Heat stacks), delete its Services of type LoadBalancer, its Ingresses of class openstack and (with --include-volumes) its Cinder CSI PersistentVolumeClaims, and wait for their controllers to remove them. Other contexts are left alone; nothing there fails the teardown",
  },
  kubeconfigFromEnv: {
    name: 'kubeconfig-from-env',
    type: 'boolean',
    commands: TEARDOWN,
    help: `the same, with the kubeconfig files in ${KUBECONFIG_ENV} (as well, with --kubeconfig); unset or empty, no Kubernetes step. ClusterTeardown passes it, so ${KUBECONFIG_ENV}=... cdktf destroy reaches it`,
  },
  allProjects: { name: 'all-projects', type: 'boolean', commands: ['audit'], help: "audit every project's resources, not only the token's (admin only)" },
  concurrency: { name: 'concurrency', type: 'string', value: 'N', commands: TEARDOWN, help: 'resources of one kind deleted at once (default {default})' },
  timeoutSeconds: {
    name: 'timeout-seconds',
    type: 'string',
    value: 'N',
    commands: CHANGING,
    help: 'give up on what is left after N seconds (default {default})',
  },
  mode: {
    name: 'mode',
    type: 'string',
    value: 'cascade|ordered',
    commands: TEARDOWN,
    help: "load balancers by Octavia's cascade delete, or ordered: health monitor, members, pool, listener, then the LB (default {default})",
  },
  nodeGroup: {
    name: 'node-group',
    type: 'string',
    value: 'NAME',
    multiple: true,
    commands: TEARDOWN,
    help: 'also delete this node group of the cluster and wait until it is gone (repeatable; with --delete-node-groups, as well)',
  },
  deleteNodeGroups: {
    name: 'delete-node-groups',
    type: 'boolean',
    commands: TEARDOWN,
    help: 'also delete every node group of the cluster that is not one of its defaults, as Magnum lists them, and wait until they are gone: terraform-provider-openstack 3.4.0 cannot wait for that on Magnum 15. ClusterTeardown passes it',
  },
  deleteFailedCluster: {
    name: 'delete-failed-cluster',
    type: 'boolean',
    commands: TEARDOWN,
    help: 'when Magnum shows the cluster itself *_FAILED, also delete it and wait until it is gone (its node groups go with it): terraform-provider-openstack 3.4.0 cannot delete a cluster in that state. A healthy cluster is left alone',
  },
  deleteCluster: {
    name: 'delete-cluster',
    type: 'boolean',
    commands: TEARDOWN,
    help: "once the sweep left nothing, also delete the cluster itself, whatever its status (its node groups go with it), and wait until Magnum no longer knows it (30 min in all, as the provider waits; --timeout-seconds bounds the sweep); if Heat fails to delete it, sweep again (a cloud provider still running may have re-created something) and, when that removed something, delete it again (3 attempts). terraform-provider-openstack 3.4.0 then finds it gone: its own wait stops on a failed status and on Magnum 15's HTTP 400 in the last moment of a delete. ClusterTeardown passes it",
  },
  nodeGroupFromEnv: {
    name: 'node-group-from-env',
    type: 'boolean',
    commands: OF_NODE_GROUP,
    help: `the node group to delete or resize, read from ${NODE_GROUP_ENV} as <cluster UUID>/<node group UUID>: how the node groups' deleter and resizer hand it over, so no shell parses it`,
  },
  nodeCountFromEnv: {
    name: 'node-count-from-env',
    type: 'boolean',
    commands: ['resize-node-group'],
    help: `the number of nodes to give the node group, read from ${NODE_COUNT_ENV}, and the bounds it must show first, from ${NODE_BOUNDS_ENV} (<min>..<max>, optional): how the node group's resizer hands them over`,
  },
  claimedAtFromEnv: {
    name: 'claimed-at-from-env',
    type: 'boolean',
    commands: ['sweep-orphans'],
    help: `read from ${CLAIMED_AT_ENV} when Terraform claimed the cluster's creation (RFC 3339): no orphan of it is older. How ClusterTeardown hands it over; without it (or empty) nothing can be proved an orphan, and nothing is deleted`,
  },
  help: { name: 'help', type: 'boolean', commands: ALL, help: 'print this text' },
} as const satisfies Record<string, TeardownFlag>;

/** The key of one option in {@link TEARDOWN_FLAGS}. */
export type TeardownFlagKey = keyof typeof TEARDOWN_FLAGS;

/** `--name` of an option, as written on a command line. */
export function flag(key: TeardownFlagKey): string {
  return `--${TEARDOWN_FLAGS[key].name}`;
}
