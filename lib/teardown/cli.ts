import { parseArgs } from 'util';
import { lengthInCodePoints, MAX_STRING_LENGTH } from '../private/openstack-strings';
import { auditOrphans, AuditReport } from './audit';
import { CloudConfig, describeCloud, resolveCloud, secretsOf } from './cloud-config';
import { checkClusterId } from './matchers';
import { deleteFailedCluster, nodeGroupsWithCluster } from './failed-cluster';
import { CLUSTER_ENV, flag, TEARDOWN_CLI_NAME, TEARDOWN_FLAGS, TeardownCommand, TeardownFlag, TeardownFlagKey } from './flags';
import { deleteNodeGroups, selectNodeGroups } from './node-groups';
import { ClientOptions, OpenStackClient } from './openstack-client';
import { redact } from './private/redact';
import { executeTeardown, planTeardown, PlannedResource, TEARDOWN_DEFAULTS, TeardownEvent, TeardownMode, TeardownPlan, TeardownResult } from './teardown';

/** The installed command name (package.json `bin`). */
export const CLI_NAME = TEARDOWN_CLI_NAME;

/** Exit codes of the CLI. */
export const EXIT_CODES = {
  /** Nothing of the cluster is left (teardown), a dry run's plan was made, or the audit found no orphan. */
  OK: 0,
  /** Something could not be deleted, is still there, the run was interrupted, the audit found orphans, or the cloud failed us. */
  FAILED: 1,
  /** Bad arguments. */
  USAGE: 2,
} as const;

/** The CLI's help text. */
export const USAGE = `usage: ${CLI_NAME} (--cluster UUID | --cluster-from-env) [--cloud NAME] [--dry-run] [--json] [--include-volumes]
                             [--concurrency N] [--timeout-seconds N] [--mode cascade|ordered]
                             [--delete-node-groups] [--node-group NAME]... [--delete-failed-cluster]
       ${CLI_NAME} audit [--cloud NAME] [--json] [--all-projects]
       ${CLI_NAME} --help

Deletes what Kubernetes' OpenStack cloud provider created for the Magnum cluster
with exactly this UUID, and nothing else: Service/Ingress load balancers (Octavia
cascade delete; --mode ordered deletes health monitor, members, pool, listener,
then the LB), their floating IPs, and Service/Ingress security groups. Matching is
on full descriptions ending in the cluster's UUID, never on name prefixes.

  --cluster-from-env  read the cluster UUID from ${CLUSTER_ENV} instead of --cluster:
                      how ClusterTeardown hands it over, so no shell parses it
  --include-volumes   also delete Cinder volumes proven to be the cluster's
                      (attached to its servers, or CSI metadata naming its UUID),
                      detaching them from the cluster's own servers first.
                      THIS DESTROYS THEIR DATA. Heat's own volumes are never touched.
  --dry-run           list what would be deleted; delete nothing
  --json              print one JSON summary instead of progress lines
  --concurrency N     resources of one kind deleted at once (default ${TEARDOWN_DEFAULTS.concurrency})
  --timeout-seconds N give up on what is left after N seconds (default ${TEARDOWN_DEFAULTS.timeoutSeconds})
  --delete-node-groups
                      also delete every node group of the cluster that is not one
                      of its defaults, as Magnum lists them, and wait until they are
                      gone: terraform-provider-openstack 3.4.0 cannot wait for that
                      on Magnum 15. ClusterTeardown passes it.
  --node-group NAME   also delete this node group of the cluster and wait until it
                      is gone (repeatable; with --delete-node-groups, as well)
  --delete-failed-cluster
                      when Magnum shows the cluster itself *_FAILED, also delete it
                      and wait until it is gone (its node groups go with it):
                      terraform-provider-openstack 3.4.0 cannot delete a cluster in
                      that state. ClusterTeardown passes it; a healthy cluster is
                      left to Terraform.
  --cloud NAME        clouds.yaml entry (also --os-cloud; default OS_CLOUD, else OS_* variables)

audit: lists, for the token's project (--all-projects: every project, admin only),
cloud-provider resources whose cluster no longer exists in Magnum.

Exit codes: 0 nothing of the cluster left / dry run done / no orphans;
1 something failed, is left, was interrupted, or the audit found orphans; 2 bad usage.`;

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

class UsageError extends Error {}

/** The CLI's arguments, parsed and checked. */
export interface TeardownArgs {
  readonly command: TeardownCommand;
  readonly cluster?: string;
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
 * Parses and checks the arguments (the environment only where `--cluster-from-env` asks
 * for it); throws a usage error naming the bad one.
 */
export function parseTeardownArgs(argv: string[], env: NodeJS.ProcessEnv = {}): TeardownArgs {
  const { values: v, positionals } = readFlags(argv);
  const [command = 'teardown', ...extra] = positionals;
  if ((command !== 'teardown' && command !== 'audit') || extra.length > 0) throw new UsageError(`unexpected argument "${positionals.join(' ')}"`);
  const concurrency = Number(v.concurrency ?? TEARDOWN_DEFAULTS.concurrency);
  const timeoutSeconds = Number(v.timeoutSeconds ?? TEARDOWN_DEFAULTS.timeoutSeconds);
  const mode = (v.mode as string | undefined) ?? TEARDOWN_DEFAULTS.mode;
  const args: TeardownArgs = {
    command, cluster: clusterOf(v, env), cloud: v.cloud as string | undefined, dryRun: !!v.dryRun, json: !!v.json,
    includeVolumes: !!v.includeVolumes, allProjects: !!v.allProjects, concurrency, timeoutSeconds, mode: mode as TeardownMode,
    nodeGroups: (v.nodeGroup as string[] | undefined) ?? [], deleteNodeGroups: !!v.deleteNodeGroups,
    deleteFailedCluster: !!v.deleteFailedCluster, help: !!v.help,
  };
  if (args.help) return args;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency ${v.concurrency}: give a whole number from 1 to 64`);
  if (!(timeoutSeconds > 0) || !Number.isFinite(timeoutSeconds)) throw new UsageError(`--timeout-seconds ${v.timeoutSeconds}: give a number of seconds above 0`);
  if (mode !== 'cascade' && mode !== 'ordered') throw new UsageError(`--mode ${mode}: give cascade or ordered`);
  const given = (Object.keys(v) as TeardownFlagKey[]).filter((key) => v[key] !== undefined);
  const foreign = given.filter((key) => !(TEARDOWN_FLAGS[key].commands as readonly string[]).includes(command));
  if (foreign.length > 0) {
    throw new UsageError(`${command} takes no ${foreign.map(flag).join(', ')}${command === 'audit' ? ': it only lists' : ''}`);
  }
  // Magnum's nodegroup name: any string of 1 to 255 characters (magnum/api/controllers/v1/nodegroup.py).
  const badGroup = args.nodeGroups.find((n) => n.length < 1 || lengthInCodePoints(n) > MAX_STRING_LENGTH);
  if (badGroup !== undefined) throw new UsageError(`${flag('nodeGroup')} "${badGroup}": give a Magnum node group name of 1 to ${MAX_STRING_LENGTH} characters`);
  if (command === 'teardown' && !args.cluster) throw new UsageError(`${flag('cluster')} UUID is required`);
  if (command === 'teardown' && args.cluster) {
    try {
      checkClusterId(args.cluster);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  return args;
}

/** Node reads extra CA certificates only at start: a cloud with `cacert` or `insecure` needs a fresh process. */
function tlsEnvironment(cloud: CloudConfig, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv | undefined {
  const wanted: NodeJS.ProcessEnv = {};
  if (cloud.cacert && env.NODE_EXTRA_CA_CERTS !== cloud.cacert) wanted.NODE_EXTRA_CA_CERTS = cloud.cacert;
  if (cloud.insecure && env.NODE_TLS_REJECT_UNAUTHORIZED !== '0') wanted.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  return Object.keys(wanted).length > 0 && env.MAGNUM_CDKTF_TEARDOWN_RESPAWNED !== '1' ? wanted : undefined;
}

const label = (r: { kind: string; id: string; name: string }) => `${r.kind} ${r.id}${r.name ? ` (${r.name})` : ''}`;

/** One progress line per event. */
function progressLine(e: TeardownEvent): string {
  switch (e.action) {
    case 'would-delete': return `would delete ${label(e.resource)}: ${e.detail}`;
    case 'deleting': return `deleting ${label(e.resource)}…`;
    case 'deleted': return `deleted ${label(e.resource)}`;
    case 'failed': return `FAILED ${label(e.resource)}: ${e.detail}`;
    case 'retrying': return `  ${e.resource.kind} ${e.resource.id}: retrying, ${e.detail}`;
    default: return `  ${e.resource.kind} ${e.resource.id}: ${e.detail}`;
  }
}

const brief = (r: PlannedResource) => ({ kind: r.kind, id: r.id, name: r.name });

function teardownSummary(plan: TeardownPlan, result: TeardownResult, remaining: PlannedResource[], ok: boolean): object {
  return {
    command: 'teardown', ok, clusterId: plan.clusterId, dryRun: result.dryRun, mode: result.mode, includeVolumes: plan.includeVolumes,
    planned: plan.resources, skipped: plan.skipped, warnings: plan.warnings, deleted: result.deleted.map(brief),
    failed: result.failed.map((f) => ({ ...brief(f.resource), error: f.error })), interrupted: result.interrupted.map(brief),
    remaining: remaining.map(brief), elapsedMs: result.elapsedMs,
  };
}

async function teardown(args: TeardownArgs, client: OpenStackClient, io: CliIo, say: (line: string) => void): Promise<number> {
  const plan = await planTeardown(client, { clusterId: args.cluster!, includeVolumes: args.includeVolumes });
  say(`cluster ${plan.clusterId}: ${plan.resources.length} resource(s) made by the cloud provider${args.includeVolumes ? ', volumes included' : ''}`);
  plan.warnings.forEach((w) => say(`warning: ${w}`));
  plan.skipped.forEach((s) => say(`skipping ${label(s)}: ${s.reason}`));
  const result = await executeTeardown(client, plan, {
    dryRun: args.dryRun, concurrency: args.concurrency, timeoutSeconds: args.timeoutSeconds, mode: args.mode, signal: io.signal,
    onEvent: (e) => say(progressLine(e)),
  });
  // Proof, not hope: list again and count what still matches.
  const remaining = args.dryRun || io.signal?.aborted ? [] : (await planTeardown(client, { clusterId: plan.clusterId, includeVolumes: args.includeVolumes })).resources;
  const magnum = { dryRun: args.dryRun, timeoutSeconds: args.timeoutSeconds, signal: io.signal, onLine: say, backoff: io.clientOptions?.backoff };
  // Chosen before a failed cluster's delete takes them with it, so the summary can name them.
  const chosen = await selectNodeGroups(client, plan.clusterId, { added: args.deleteNodeGroups, names: args.nodeGroups });
  // A failed cluster goes now, Magnum takes its node groups with it; a healthy one is Terraform's, its groups first.
  const failedCluster = args.deleteFailedCluster && !io.signal?.aborted ? await deleteFailedCluster(client, plan.clusterId, magnum) : undefined;
  const groups = nodeGroupsWithCluster(failedCluster, chosen.map((g) => g.name)) ?? await deleteNodeGroups(client, plan.clusterId, chosen, magnum);
  const ok = groups.failed.length === 0 && failedCluster?.error === undefined
    && (result.dryRun || (result.failed.length === 0 && result.interrupted.length === 0 && remaining.length === 0));
  if (args.json) {
    io.out(JSON.stringify({ ...teardownSummary(plan, result, remaining, ok), nodeGroups: groups, failedCluster }));
  } else if (result.dryRun) {
    say(`dry run: nothing deleted (${plan.resources.length} would be)`);
  } else {
    say(`cluster ${plan.clusterId}: deleted ${result.deleted.length}, failed ${result.failed.length}, interrupted ${result.interrupted.length}, `
      + `${remaining.length ? `${remaining.length} still there: ${remaining.map(label).join(', ')}` : 'nothing left'} (${(result.elapsedMs / 1000).toFixed(1)} s)`);
  }
  return ok ? EXIT_CODES.OK : EXIT_CODES.FAILED;
}

function auditLines(report: AuditReport): string[] {
  const lines = report.orphans.map((o) => `orphan ${label(o)} of cluster ${o.clusterId}${o.projectId ? ` in project ${o.projectId}` : ''}: ${o.evidence}`);
  report.unverifiedClusters.forEach((c) => lines.push(`cluster ${c}: Magnum would not show it (403, or 400 while it is being deleted); its resources are not counted`));
  const clusters = [...new Set(report.orphans.map((o) => o.clusterId))];
  lines.push(`${report.orphans.length} orphan(s) of ${clusters.length} deleted cluster(s) among ${report.candidates} cloud-provider resource(s)`
    + `${report.projectId ? ` of project ${report.projectId}` : ' of all projects'}`);
  clusters.forEach((c) => lines.push(`  remove with: ${CLI_NAME} --cluster ${c} --dry-run   (then without --dry-run)`));
  return lines;
}

async function audit(args: TeardownArgs, client: OpenStackClient, io: CliIo, say: (line: string) => void): Promise<number> {
  const report = await auditOrphans(client, { allProjects: args.allProjects });
  if (args.json) io.out(JSON.stringify({ command: 'audit', ok: report.orphans.length === 0, ...report }));
  else auditLines(report).forEach(say);
  return report.orphans.length === 0 ? EXIT_CODES.OK : EXIT_CODES.FAILED;
}

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
  const say = (line: string) => { if (!args.json) io.out(line); };
  let secrets: string[] = [];
  try {
    const cloud = resolveCloud(args.cloud, io.env, io.cwd);
    secrets = secretsOf(cloud);
    const tls = tlsEnvironment(cloud, io.env);
    if (tls && io.respawn) return await io.respawn({ ...io.env, ...tls, MAGNUM_CDKTF_TEARDOWN_RESPAWNED: '1' });
    if (tls) io.err(`${CLI_NAME}: warning: cacert/insecure of ${cloud.source} need a fresh process; set NODE_EXTRA_CA_CERTS yourself`);
    say(`cloud: ${describeCloud(cloud)}`);
    const client = await OpenStackClient.connect(cloud, { signal: io.signal, ...io.clientOptions });
    return await (args.command === 'audit' ? audit(args, client, io, say) : teardown(args, client, io, say));
  } catch (e) {
    const message = redact((e as Error).message ?? String(e), secrets);
    if (args.json) io.out(JSON.stringify({ command: args.command, ok: false, error: message }));
    io.err(`${CLI_NAME}: ${message}`);
    return EXIT_CODES.FAILED;
  }
}
