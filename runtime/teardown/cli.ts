import { ClientOptions, CloudConfig, describeCloud, OpenStackAuthError, OpenStackClient, redact, resolveCloud, secretsOf } from '../openstack';
import { auditOrphans } from './audit';
import { parseTeardownArgs, TeardownArgs, USAGE } from './cli-args';
import { auditLines, authFailureLine, nodeGroupDeleteSummary, runEventLines, teardownClosingLine, teardownSummary } from './cli-output';
import { TEARDOWN_CLI_NAME as CLI_NAME, TeardownCommand } from './flags';
import { deleteNodeGroups, resizeNodeGroup } from './node-groups';
import { sweepOrphanClusters } from './orphans';
import { runTeardown } from './run';

/** Exit codes of the CLI. */
export const EXIT_CODES = {
  /**
   * Nothing of the cluster is left (teardown), the node group is gone (delete-node-group) or has its count
   * (resize-node-group), a dry run's plan was made, or the audit found no orphan.
   */
  OK: 0,
  /** Something could not be deleted, is still there, the run was interrupted, the audit found orphans, or the cloud failed us. */
  FAILED: 1,
  /** Bad arguments. */
  USAGE: 2,
} as const;

/** Where the CLI writes and what it runs in. */
export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Interrupts the run (SIGINT/SIGTERM). */
  readonly signal?: AbortSignal;
  /** Runs this CLI again with more environment (Node reads CA settings only at start); without it, TLS settings are ignored with a warning. */
  readonly respawn?: (env: NodeJS.ProcessEnv) => Promise<number>;
  /** Client options for in-process tests (e.g. a fault-injecting proxy); not reachable from the command line. */
  readonly clientOptions?: ClientOptions;
}

/** Node reads extra CA certificates only at start: a cloud with `cacert` or `insecure` needs a fresh process. */
function tlsEnvironment(cloud: CloudConfig, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv | undefined {
  const wanted: NodeJS.ProcessEnv = {};
  if (cloud.cacert && env.NODE_EXTRA_CA_CERTS !== cloud.cacert) wanted.NODE_EXTRA_CA_CERTS = cloud.cacert;
  if (cloud.insecure && env.NODE_TLS_REJECT_UNAUTHORIZED !== '0') wanted.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  return Object.keys(wanted).length > 0 && env.MAGNUM_CDKTF_TEARDOWN_RESPAWNED !== '1' ? wanted : undefined;
}

/** The teardown of one cluster, printed as it goes (or as one JSON summary). */
async function teardown(args: TeardownArgs, client: OpenStackClient, io: CliIo, say: (line: string) => void): Promise<number> {
  const run = await runTeardown(
    client,
    {
      clusterId: args.cluster!,
      includeVolumes: args.includeVolumes,
      dryRun: args.dryRun,
      concurrency: args.concurrency,
      timeoutSeconds: args.timeoutSeconds,
      mode: args.mode,
      signal: io.signal,
      backoff: io.clientOptions?.backoff,
      deleteNodeGroups: args.deleteNodeGroups,
      nodeGroups: args.nodeGroups,
      deleteFailedCluster: args.deleteFailedCluster,
      deleteCluster: args.deleteCluster,
      kubeconfigPaths: args.kubeconfigPaths,
    },
    (event) => runEventLines(event).forEach(say),
  );
  if (args.json) io.out(JSON.stringify(teardownSummary(run)));
  else say(teardownClosingLine(run));
  return run.ok ? EXIT_CODES.OK : EXIT_CODES.FAILED;
}

/** The audit, printed as lines (or as one JSON report). */
async function audit(args: TeardownArgs, client: OpenStackClient, io: CliIo, say: (line: string) => void): Promise<number> {
  const report = await auditOrphans(client, { allProjects: args.allProjects });
  if (args.json) io.out(JSON.stringify({ command: 'audit', ok: report.orphans.length === 0, ...report }));
  else auditLines(report).forEach(say);
  return report.orphans.length === 0 ? EXIT_CODES.OK : EXIT_CODES.FAILED;
}

/**
 * One node group deleted and waited for, nothing else of its cluster touched: what a node group's
 * destroy-time deleter runs when Terraform removes or replaces the group (see deleteNodeGroups for why).
 * Magnum answers 404 for a group, or a cluster, already gone: that is done, so a re-run converges.
 */
async function deleteNodeGroup(args: TeardownArgs, client: OpenStackClient, io: CliIo, say: (line: string) => void): Promise<number> {
  const [clusterId, nodeGroupId] = [args.cluster!, args.nodeGroupId!];
  const result = await deleteNodeGroups(client, clusterId, [{ name: `${nodeGroupId} of cluster ${clusterId}`, ref: nodeGroupId }], {
    dryRun: args.dryRun,
    timeoutSeconds: args.timeoutSeconds,
    backoff: io.clientOptions?.backoff,
    signal: io.signal,
    onLine: say,
  });
  if (args.json) io.out(JSON.stringify(nodeGroupDeleteSummary(clusterId, nodeGroupId, args.dryRun, result)));
  return result.failed.length === 0 ? EXIT_CODES.OK : EXIT_CODES.FAILED;
}

/**
 * One node group given its node count and waited for: what a node group's resizer runs when its
 * nodeCount changes (see resizeNodeGroup for why). Magnum's refusals and failures exit 1 with its words.
 */
async function resizeOneNodeGroup(args: TeardownArgs, client: OpenStackClient, io: CliIo, say: (line: string) => void): Promise<number> {
  const [clusterId, nodeGroupId, nodeCount] = [args.cluster!, args.nodeGroupId!, args.nodeCount!];
  const result = await resizeNodeGroup(client, clusterId, nodeGroupId, nodeCount, {
    bounds: args.nodeBounds,
    dryRun: args.dryRun,
    timeoutSeconds: args.timeoutSeconds,
    backoff: io.clientOptions?.backoff,
    signal: io.signal,
    onLine: say,
  });
  if (args.json) io.out(JSON.stringify({ command: 'resize-node-group', ok: true, clusterId, nodeGroupId, dryRun: args.dryRun, ...result }));
  return EXIT_CODES.OK;
}

/**
 * The orphans of the cluster's creation deleted (see sweepOrphanClusters): what ClusterTeardown runs
 * once per new cluster, so that a create killed before Terraform wrote the cluster's UUID leaves
 * no second cluster behind once a re-run created it again.
 */
async function sweepOrphans(args: TeardownArgs, client: OpenStackClient, io: CliIo, say: (line: string) => void): Promise<number> {
  const result = await sweepOrphanClusters(client, args.cluster!, args.claimedAt, {
    dryRun: args.dryRun,
    timeoutSeconds: args.timeoutSeconds,
    backoff: io.clientOptions?.backoff,
    signal: io.signal,
    onLine: say,
  });
  if (args.json) io.out(JSON.stringify({ command: 'sweep-orphans', ok: result.failed.length === 0, cluster: args.cluster, dryRun: args.dryRun, ...result }));
  return result.failed.length === 0 ? EXIT_CODES.OK : EXIT_CODES.FAILED;
}

/** What each subcommand runs. */
const COMMANDS: Record<TeardownCommand, (args: TeardownArgs, client: OpenStackClient, io: CliIo, say: (line: string) => void) => Promise<number>> = {
  teardown,
  audit,
  'delete-node-group': deleteNodeGroup,
  'resize-node-group': resizeOneNodeGroup,
  'sweep-orphans': sweepOrphans,
};

/** Runs the CLI with `argv` (without node and script); resolves to its exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let args: TeardownArgs;
  try {
    args = parseTeardownArgs(argv, io.env);
  } catch (e) {
    io.err(`${CLI_NAME}: ${(e as Error).message}\n\n${USAGE}`);
    return EXIT_CODES.USAGE;
  }
  if (args.help) {
    io.out(USAGE);
    return EXIT_CODES.OK;
  }
  const say = (line: string) => {
    if (!args.json) io.out(line);
  };
  let secrets: string[] = [];
  let connected = false;
  try {
    const cloud = resolveCloud(args.cloud, io.env, io.cwd);
    secrets = secretsOf(cloud);
    const tls = tlsEnvironment(cloud, io.env);
    if (tls && io.respawn) return await io.respawn({ ...io.env, ...tls, MAGNUM_CDKTF_TEARDOWN_RESPAWNED: '1' });
    if (tls) io.err(`${CLI_NAME}: warning: cacert/insecure of ${cloud.source} need a fresh process; set NODE_EXTRA_CA_CERTS yourself`);
    say(`cloud: ${describeCloud(cloud)}`);
    const client = await OpenStackClient.connect(cloud, { signal: io.signal, ...io.clientOptions });
    connected = true;
    return await COMMANDS[args.command](args, client, io, say);
  } catch (e) {
    // No token: nothing was done, and the one line says which cloud, what failed and the fix.
    const refused = e instanceof OpenStackAuthError && !connected ? e : undefined;
    const message = redact(refused ? authFailureLine(refused) : ((e as Error).message ?? String(e)), secrets);
    if (args.json) io.out(JSON.stringify({ command: args.command, ok: false, error: message, ...(refused ? { authFailure: refused.kind } : {}) }));
    io.err(`${CLI_NAME}: ${message}`);
    return EXIT_CODES.FAILED;
  }
}
