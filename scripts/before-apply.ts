/**
 * What `npm run cdktf -- deploy|destroy <stack>` does between its synth and Terraform, so that a
 * run after an interrupted or failed one finishes in one go. It reads the stack's state
 * (`terraform state pull`, any backend) and its synthesized JSON, and authenticates as the
 * provider does (OS_CLOUD / OS_*):
 *
 * 1. **A cluster that failed to create** (tainted in the state, `*_FAILED` in Magnum) is deleted,
 *    after its teardown, and waited for. Provider 3.4.0 deletes a failed cluster, reads the stale
 *    `*_FAILED` at once (`containerInfraClusterV1StateRefreshFunc`, Delay 0) and fails, although
 *    Magnum deletes it. For a cluster that failed later (UPDATE_FAILED) ClusterTeardown's
 *    destroy-time provisioner deletes it first; one that failed to create never got that resource.
 *    No configuration can do it: the teardown must depend on the cluster to be destroyed before it,
 *    so Terraform creates it after the cluster and skips it when the cluster's create fails; a
 *    destroy-time provisioner on the cluster itself is skipped for a tainted object (Terraform's
 *    `NodeDestroyResourceInstance`); what the cluster depends on is destroyed after it; `removed`
 *    blocks run provisioners only for resources gone from the configuration; `check` blocks and
 *    data sources only read.
 * 2. **A node group whose create was interrupted** by Ctrl-C is tainted: Terraform will delete it,
 *    which provider 3.4.0 cannot finish on Magnum 15 (see deleteNodeGroups), and its destroy-time
 *    deleter was never created (it depends on the group). It is deleted and waited for.
 * 3. **A node group whose create was killed** never reached the state, and Magnum names groups
 *    uniquely per cluster: the next create would fail with 409 (NodeGroupAlreadyExists) for good.
 *    A group of the cluster in the state, with exactly the name the configuration gives a group that
 *    the state lacks, is that create's: it is adopted (`terraform import`), so Terraform then shows
 *    any difference from the configuration as a plan, and nothing is deleted.
 *
 * 4. **Any other object a killed create left** that the state lacks (a network, subnet, router, its
 *    interface, an image, a volume type, a cluster template) is adopted when proven the stack's and made
 *    since the last deploy from this checkout began (lib/run-journal.ts, written here just before
 *    Terraform), or the run is refused, naming it: see lib/unsaved-objects.ts. A refused run acts on nothing;
 *    on destroy, what would refuse a deploy is only told.
 *
 * 5. **A cluster whose create the provider lost** (lib/lost-create.ts): on deploy it is waited for; created,
 *    it is untainted, so that the run keeps it rather than replacing it (deleting a cluster Magnum just made,
 *    and making another); failed, it is deleted as in 1.
 *
 * (A cluster whose create was killed is created again by that run, and ClusterTeardown's orphan
 * sweep deletes the first one: see sweepOrphanClusters.)
 *
 *   node dist/scripts/before-apply.js <synthesized stack dir> [deploy|destroy|lost-create]
 *
 * Exit 1 when something it found is left; a stack never initialized has no state, and is left alone.
 * `lost-create` is what `npm run cdktf -- deploy` runs after a deploy failed: 5 alone; exit 0 when it kept a
 * cluster and left none unsettled (the deploy is worth running again), 1 otherwise.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { OpenStackAuthError, OpenStackClient, redact, resolveCloud, secretsOf } from '../runtime/openstack';
import { deleteNodeGroups, deleteOrphanClusters, runTeardown } from '../runtime/teardown';
import { authFailureLine, runEventLines, teardownClosingLine } from '../runtime/teardown/cli-output';
import { clusterStatus, FAILED_CLUSTER_STATUSES } from '../runtime/teardown/cluster-delete';
import { terraformBinary } from './lib/terraform';
import { lastDeployStart, recordDeployStart } from './lib/run-journal';
import { CLUSTER, importCommand, NODE_GROUP, referencedAddress, savedIds, StackJson, StateJson, taintedInstances } from './lib/terraform-state';
import { Finding, findUnsaved, looksUp, RunContext } from './lib/unsaved-objects';
import { LostCreate, lostCreates, settleLostCreate } from './lib/lost-create';

export type { StackJson, StateJson };

/** The operator's word that marked objects outside the state are a killed run's, made on another machine. */
const ADOPT_ENV = 'MAGNUM_CDKTF_ADOPT';

/** The ids of the `type` objects that the state holds tainted (a create that failed or was interrupted, or `terraform taint`). */
export function tainted(state: StateJson, type: string): string[] {
  return taintedInstances(state, type).map((t) => t.instance.attributes.id);
}

/** A node group of the configuration that the state lacks, on a cluster the state holds. */
export interface MissingNodeGroup {
  /** Its Terraform address. */
  readonly address: string;
  /** Its Magnum name, as the configuration gives it. */
  readonly name: string;
  /** The UUID of its cluster, from the state. */
  readonly clusterId: string;
}

/**
 * The node groups of the configuration with a literal name whose cluster the state holds, and which the state
 * lacks: a create of each may have been killed after Magnum took it.
 */
export function missingNodeGroups(stack: StackJson, state: StateJson): MissingNodeGroup[] {
  const { idOf } = savedIds(state);
  return Object.entries(stack.resource?.[NODE_GROUP] ?? {}).flatMap(([name, group]) => {
    const cluster = referencedAddress(group.cluster_id);
    const clusterId = cluster?.startsWith(`${CLUSTER}.`) ? idOf.get(cluster) : undefined;
    if (typeof group.name !== 'string' || group.name.includes('${') || clusterId === undefined || idOf.has(`${NODE_GROUP}.${name}`)) return [];
    return [{ address: `${NODE_GROUP}.${name}`, name: group.name, clusterId }];
  });
}

/** Terraform in the stack's directory, its output kept for the error. */
function terraform(dir: string, ...args: string[]): string {
  const run = spawnSync(terraformBinary, args, { cwd: dir, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (run.status !== 0) {
    const lines = `${run.stdout}${run.stderr}`.trim().split('\n');
    const error = lines.find((l) => /Error:/.test(l));
    throw new Error(`terraform ${args[0]} in ${dir} failed: ${[...(error ? [error.trim()] : []), ...lines.slice(-4)].join(' ')}`);
  }
  return run.stdout;
}

/** What before-apply is run for: before a deploy or a destroy, or after a deploy failed (see the top). */
type Command = RunContext['command'] | 'lost-create';

async function main(dir: string, command: Command, say: (line: string) => void): Promise<number> {
  // A stack whose backend was never initialized here has no state to read (`init -backend=false` leaves providers only).
  if (!fs.existsSync(path.join(dir, '.terraform', 'terraform.tfstate'))) return command === 'lost-create' ? 1 : 0;
  if (command === 'lost-create') {
    const lost = lostCreates(readState(dir));
    if (lost.length === 0) return 1;
    const { kept, left } = await keepLostCreates(dir, lost, await OpenStackClient.connect(resolveCloud(undefined, process.env)), say);
    return kept > 0 && left === 0 ? 0 : 1;
  }
  const stackName = path.basename(dir);
  const code = await makeRight(dir, stackName, command, say);
  // Only now, after what the last run left was adopted: objects this run makes are then the journal's.
  if (code === 0 && command === 'deploy') recordDeployStart(process.cwd(), stackName);
  return code;
}

/** What main does once the state can be read: 0 when nothing found is left. */
async function makeRight(dir: string, stackName: string, command: RunContext['command'], say: (line: string) => void): Promise<number> {
  const state = readState(dir);
  const clusters = tainted(state, CLUSTER);
  const groups = tainted(state, NODE_GROUP);
  const stack: StackJson = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
  const missing = missingNodeGroups(stack, state);
  if (clusters.length + groups.length + missing.length === 0 && !looksUp(stack)) return 0;

  const cloud = resolveCloud(undefined, process.env);
  const client = await OpenStackClient.connect(cloud);
  const stackDir = path.join('cdktf.out', 'stacks', stackName);
  const lastStart = lastDeployStart(process.cwd(), stackName);
  const madeSince = process.env[ADOPT_ENV] === '1' ? -Infinity : lastStart === undefined ? undefined : Date.parse(lastStart);
  let findings: Finding[] = [];
  try {
    findings = await findUnsaved(client, stack, state, { stackDir, command, madeSince });
  } catch (error) {
    // A destroy creates nothing that could collide: a lookup that fails (a service down, a policy) must not block it.
    if (command === 'deploy' || error instanceof OpenStackAuthError) throw error;
    say(`could not look for what a killed run left (${(error as Error).message}); destroying what the state holds`);
  }
  findings.forEach((f) => say(f.line));
  // A refused run acts on nothing: what it would adopt or delete may be what the refusal is about.
  const refused = findings.filter((f) => f.action === 'refuse').length;
  if (refused > 0) return 1;

  let left = 0;
  // Adopted first: a template adopted here is what the cluster's orphan sweep then tells orphans by.
  for (const finding of findings) {
    if (finding.action === 'note' || finding.action === 'refuse') continue;
    if (finding.action === 'delete-orphans') {
      const result = await deleteOrphanClusters(client, finding.clusters, finding.why, { onLine: (line) => say(`  ${line}`) });
      left += result.failed.length;
      continue;
    }
    let removed = false;
    try {
      if (finding.staleId !== undefined) {
        terraform(dir, 'state', 'rm', '-no-color', finding.address);
        removed = true;
      }
      terraform(dir, 'import', '-input=false', '-no-color', finding.address, finding.importId);
    } catch (error) {
      say(`  ${notImported(error as Error, importCommand(stackDir, finding.address, finding.importId), removed ? finding.staleId : undefined)}`);
      return 1;
    }
  }
  // Before the failed ones: a lost create that Magnum failed is one of them by then.
  if (command === 'deploy') left += (await keepLostCreates(dir, lostCreates(state), client, say)).left;
  for (const clusterId of clusters) {
    const status = (await clusterStatus(client, clusterId))?.status;
    if (status === undefined || !FAILED_CLUSTER_STATUSES.includes(status)) continue;
    say(`cluster ${clusterId} failed (${status}) and is tainted in the state: deleting it first, which provider 3.4.0 cannot`);
    const run = await runTeardown(client, { clusterId, deleteFailedCluster: true, deleteNodeGroups: true }, (event) =>
      runEventLines(event).forEach((line) => say(`  ${line}`)),
    );
    say(`  ${teardownClosingLine(run)}`);
    if (!run.ok) left++;
  }
  for (const id of groups) {
    const [clusterId, groupId] = id.split('/');
    say(`node group ${groupId} of cluster ${clusterId} is tainted in the state (an interrupted create): deleting it first, which provider 3.4.0 cannot`);
    const result = await deleteNodeGroups(client, clusterId, [{ name: groupId, ref: groupId }], { onLine: (line) => say(`  ${line}`) });
    left += result.failed.length;
  }
  for (const group of missing) {
    const found = (await client.listNodeGroups(group.clusterId)).find((g) => g.name === group.name && !g.isDefault);
    if (found === undefined) continue;
    say(
      `node group ${JSON.stringify(group.name)} (${found.uuid}, ${found.status}) of cluster ${group.clusterId} is not in the state: a killed create's; adopting it as ${group.address}`,
    );
    const importId = `${group.clusterId}/${found.uuid}`;
    try {
      terraform(dir, 'import', '-input=false', '-no-color', group.address, importId);
    } catch (error) {
      say(`  ${notImported(error as Error, importCommand(stackDir, group.address, importId))}`);
      left++;
    }
  }
  return left === 0 ? 0 : 1;
}

/** The stack's state (`terraform state pull`, any backend). */
function readState(dir: string): StateJson {
  const pulled = terraform(dir, 'state', 'pull').trim();
  return pulled === '' ? {} : JSON.parse(pulled);
}

/**
 * Waits for each lost create (lib/lost-create.ts) and untaints the clusters Magnum created; `left`: those that
 * could not be settled (still in progress at the timeout, an untaint refused). A failed one is left tainted,
 * for the failed-cluster step; one Magnum never showed, for Terraform to replace.
 */
async function keepLostCreates(dir: string, lost: LostCreate[], client: OpenStackClient, say: (line: string) => void): Promise<{ kept: number; left: number }> {
  let kept = 0;
  let left = 0;
  for (const cluster of lost) {
    say(`cluster ${cluster.id} (${cluster.address}) is tainted, and the provider never read it back (lib/lost-create.ts): waiting for Magnum's word`);
    try {
      const status = await settleLostCreate(client, cluster, { onLine: say });
      if (status !== 'CREATE_COMPLETE') {
        say(`  cluster ${cluster.id}: ${status ?? 'Magnum does not know it'}; left tainted, to be replaced`);
        continue;
      }
      try {
        terraform(dir, 'untaint', '-no-color', cluster.address);
      } catch (error) {
        // Another run of the stack (one refused the state lock, after its own deploy failed) untainted it first.
        if (!/is not (currently )?tainted/.test((error as Error).message)) throw error;
      }
      say(`  cluster ${cluster.id}: CREATE_COMPLETE, untainted: kept, not replaced`);
      kept++;
    } catch (error) {
      say(
        `  cluster ${cluster.id}: not settled (${(error as Error).message}); it stays tainted, and this run stops rather than replace it: the next deploy looks at it again`,
      );
      left++;
    }
  }
  return { kept, left };
}

/** Why an import failed, and what to do: wait for the run holding the lock, or import by hand. */
function notImported(error: Error, byHand: string, staleRemoved?: string): string {
  // The state is locked by a run still going (its objects are not yet saved, not left), or the stack has required
  // variables, which this step is not given.
  if (/Error acquiring the state lock/.test(error.message)) {
    return 'not adopted: Error acquiring the state lock, another run of this stack is applying (its objects are not saved yet). Fix: wait for it, then run again';
  }
  return `could not adopt it (${error.message})${staleRemoved ? `; the gone ${staleRemoved} is out of the state already` : ''}. Fix: adopt it yourself: ${byHand}`;
}

if (require.main === module) {
  const [dir, command = 'deploy'] = process.argv.slice(2);
  if (!dir || (command !== 'deploy' && command !== 'destroy' && command !== 'lost-create')) {
    console.error('usage: node dist/scripts/before-apply.js <synthesized stack dir> [deploy|destroy|lost-create]');
    process.exit(2);
  }
  let secrets: string[] = [];
  try {
    secrets = secretsOf(resolveCloud(undefined, process.env));
  } catch {
    // No cloud configured: main says so when it needs one.
  }
  main(dir, command, (line) => console.log(redact(line, secrets))).then(
    (code) => process.exit(code),
    (error) => {
      console.error(`before-apply: ${redact(error instanceof OpenStackAuthError ? authFailureLine(error) : (error as Error).message, secrets)}`);
      process.exit(1);
    },
  );
}
