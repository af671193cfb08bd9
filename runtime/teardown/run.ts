import { OpenStackClient } from '../openstack';
import { ClusterFacts } from './cluster-facts';
import { executeTeardown, TeardownEvent, TeardownOptions, TeardownResult } from './execute';
import { ClusterDeleteResult, ClusterDeleteScope, deleteCluster, nodeGroupsWithCluster } from './cluster-delete';
import { KubernetesStepResult, runKubernetesStep } from './kubernetes-step';
import { checkClusterId } from './matchers';
import { deleteNodeGroups, NodeGroupDeleteResult, selectNodeGroups } from './node-groups';
import { PlannedResource, planTeardown, PlanOptions, TeardownPlan } from './plan';

/** Options of {@link runTeardown}: what to plan, how to delete it, and which Magnum deletes to add. */
export interface RunTeardownOptions extends PlanOptions, Omit<TeardownOptions, 'onEvent'> {
  /** Also delete every node group of the cluster that is not one of its defaults, as Magnum lists them, and wait until they are gone. @default false */
  readonly deleteNodeGroups?: boolean;
  /** Also delete these node groups of the cluster, by name, and wait until they are gone. @default - none */
  readonly nodeGroups?: readonly string[];
  /** When Magnum shows the cluster itself *_FAILED, delete it (its node groups with it) and wait until it is gone. @default false */
  readonly deleteFailedCluster?: boolean;
  /**
   * Once the sweep left nothing, delete the cluster itself, whatever its status (its node groups with it), and
   * wait until it is gone, sweeping again if Heat fails to delete it (see deleteCluster). @default false
   */
  readonly deleteCluster?: boolean;
  /** Seconds to wait for the cluster's delete. @default CLUSTER_DELETE_TIMEOUT_SECONDS */
  readonly clusterTimeoutSeconds?: number;
  /**
   * Kubeconfig files whose contexts may be the cluster's API: with any, the Kubernetes step (see runKubernetesStep)
   * runs before the plan, and the volumes it proves join the plan. @default - none: no Kubernetes step
   */
  readonly kubeconfigPaths?: readonly string[];
}

/** Progress of a {@link runTeardown}, in the order it happens. */
export type RunEvent =
  /** A line of the Kubernetes step (before the plan). */
  | { readonly type: 'kubernetes'; readonly line: string }
  /** The plan is made (before anything is deleted). */
  | { readonly type: 'planned'; readonly plan: TeardownPlan }
  /** A step of one planned resource. */
  | { readonly type: 'resource'; readonly event: TeardownEvent }
  /** A line of the Magnum deletes (node groups, the cluster). */
  | { readonly type: 'magnum'; readonly line: string };

/** What a {@link runTeardown} did, and whether anything of the cluster is left. */
export interface RunTeardownResult {
  /** Nothing planned failed, was interrupted or is still there (a dry run: the plan was made), and the Magnum deletes asked for succeeded. */
  readonly ok: boolean;
  /** Undefined unless kubeconfig paths were given. */
  readonly kubernetes?: KubernetesStepResult;
  readonly plan: TeardownPlan;
  readonly execution: TeardownResult;
  /** What still matches when listed again after the run (empty for a dry run or an interrupted run, which do not list again). */
  readonly remaining: PlannedResource[];
  readonly nodeGroups: NodeGroupDeleteResult;
  /**
   * Undefined unless {@link RunTeardownOptions.deleteCluster} or {@link RunTeardownOptions.deleteFailedCluster} asked
   * (and the run was not interrupted, nor, for `deleteCluster`, left anything of the cluster).
   */
  readonly cluster?: ClusterDeleteResult;
}

/**
 * The whole teardown of one cluster, as the CLI runs it: the Kubernetes step (given kubeconfigs),
 * plan, delete, list again for proof, then the Magnum deletes the provider cannot finish (the
 * cluster, which takes its node groups with it; else the node groups asked for).
 */
export async function runTeardown(
  client: OpenStackClient,
  options: RunTeardownOptions,
  onEvent: (event: RunEvent) => void = () => undefined,
): Promise<RunTeardownResult> {
  // Magnum and Heat read once for the Kubernetes step and the plans.
  const facts = new ClusterFacts(client, checkClusterId(options.clusterId));
  const kubernetes = options.kubeconfigPaths?.length ? await kubernetesStep(facts, options, onEvent) : undefined;
  const planOptions = { ...options, provenVolumes: [...(options.provenVolumes ?? []), ...(kubernetes?.provenVolumes ?? [])] };
  const sweep = async () => {
    const plan = await planTeardown(client, planOptions, facts);
    onEvent({ type: 'planned', plan });
    return { plan, execution: await executeTeardown(client, plan, { ...options, onEvent: (event) => onEvent({ type: 'resource', event }) }) };
  };
  const { plan, execution } = await sweep();
  const interrupted = () => options.signal?.aborted ?? false;
  // Proof, not hope: list again and count what still matches.
  const listAgain = async () => (await planTeardown(client, { ...planOptions, clusterId: plan.clusterId }, facts)).resources;
  let remaining = options.dryRun || interrupted() ? [] : await listAgain();
  const swept = !interrupted() && (execution.dryRun || (execution.failed.length === 0 && execution.interrupted.length === 0 && remaining.length === 0));
  const magnum = { ...options, onLine: (line: string) => onEvent({ type: 'magnum', line }) };
  // Chosen before the cluster's delete takes them with it, so the result can name them.
  const chosen = await selectNodeGroups(client, plan.clusterId, { added: options.deleteNodeGroups ?? false, names: options.nodeGroups ?? [] });
  // The cluster goes now, Magnum takes its node groups with it; one left alone (healthy, without deleteCluster) has its groups deleted.
  // With anything of it left, deleting the cluster would only fail in Heat: the run fails instead, and a re-run converges.
  const scope: ClusterDeleteScope | undefined = options.deleteCluster && swept ? 'any' : options.deleteFailedCluster ? 'failed' : undefined;
  if (options.deleteCluster && !swept && !interrupted()) {
    magnum.onLine(`cluster ${plan.clusterId}: left alone, since what the cloud provider made is not all gone (Heat would fail on it); run this again`);
  }
  const resweep = async () => (await sweep()).execution.deleted.length;
  const cluster = scope && !interrupted() ? await deleteCluster(client, plan.clusterId, { ...magnum, scope, resweep }) : undefined;
  // What a cloud provider made while Magnum deleted the cluster, and a resweep could not remove, is left too.
  if (cluster?.deleted) remaining = await listAgain();
  const nodeGroups =
    nodeGroupsWithCluster(
      cluster,
      chosen.map((g) => g.name),
      magnum.onLine,
    ) ?? (await deleteNodeGroups(client, plan.clusterId, chosen, magnum));
  const ok = nodeGroups.failed.length === 0 && cluster?.error === undefined && swept && (execution.dryRun || remaining.length === 0);
  return { ok, kubernetes, plan, execution, remaining, nodeGroups, cluster };
}

/** The Kubernetes step of a run; whatever goes wrong in it is a line, never the run's failure: the OpenStack sweep follows anyway. */
async function kubernetesStep(facts: ClusterFacts, options: RunTeardownOptions, onEvent: (event: RunEvent) => void): Promise<KubernetesStepResult> {
  const onLine = (line: string) => onEvent({ type: 'kubernetes', line });
  try {
    return await runKubernetesStep(facts, { ...options, kubeconfigPaths: options.kubeconfigPaths ?? [], onLine });
  } catch (error) {
    const line = `the step stopped (${(error as Error).message}); the OpenStack sweep follows`;
    onLine(`kubernetes: ${line}`);
    return { dryRun: options.dryRun ?? false, notes: [line], deleted: [], failed: [], gone: [], remaining: [], provenVolumes: [] };
  }
}
