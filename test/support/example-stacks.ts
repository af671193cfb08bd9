import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { stripVTControlCharacters } from 'util';
import { OpenStackClient, redact, resolveCloud, secretsOf } from '../../runtime/openstack';
import { DEVCLOUD_DEFAULTS, devcloudEnv, serviceLoadBalancer } from '../../devcloud';
import { runInBackground } from './background-run';

/**
 * The example stacks as the README drives them, for the end-to-end tests: `npm run cdktf -- <command>`
 * with no cloud configured (OS_* unset, so it finds the local cloud), and what Kubernetes' cloud
 * provider would add to a deployed cluster.
 */

const root = path.join(__dirname, '..', '..');

/** What a `npm run cdktf` run ended with. */
export interface CdktfRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  /** stdout and stderr, colours stripped, the local cloud's secrets redacted. */
  readonly output: string;
  readonly seconds: number;
}

/** A run's bound: a provider that hangs (waiting on a deletion) fails the test instead of the whole run. */
const TIMEOUT_MS = 900_000;

/** The environment of a README command with no cloud configured: the tests' own, without OS_* and the user's config file, and `env` on top. */
export function readmeEnv(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^OS_|^MAGNUM_CDKTF_CONFIG$/.test(k)));
  return { ...inherited, FORCE_COLOR: '0', ...env };
}

/** Output as a test may print it: no colours, no password of the local cloud. */
function clean(text: string): string {
  return redact(stripVTControlCharacters(text), secretsOf(resolveCloud(DEVCLOUD_DEFAULTS.cloud, { ...process.env, ...devcloudEnv })));
}

/**
 * The README's `npm run cdktf -- <args>`, with no cloud configured: it must find the local one. `project`: the
 * checkout it runs in (another flavour of this one, e.g. scripts/cdktn-swap.sh's; `env` then puts its Node first).
 */
export function runCdktf(args: string[], env: NodeJS.ProcessEnv = {}, project = root): CdktfRun {
  const start = Date.now();
  const run = spawnSync('npm', ['run', 'cdktf', '--', ...args], {
    cwd: project,
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    timeout: TIMEOUT_MS,
    killSignal: 'SIGINT',
    env: readmeEnv(env),
  });
  return { status: run.status, signal: run.signal, output: clean(run.stdout + run.stderr), seconds: (Date.now() - start) / 1000 };
}

/** {@link runCdktf} in the background, so that several run at once. */
export async function runCdktfAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CdktfRun> {
  const start = Date.now();
  const run = await runInBackground('npm', ['run', 'cdktf', '--', ...args], { cwd: root, env: readmeEnv(env), timeoutMs: TIMEOUT_MS, killSignal: 'SIGINT' });
  return { status: run.status, signal: run.signal, output: clean(run.output), seconds: (Date.now() - start) / 1000 };
}

/** A run that must have succeeded: its output, else an error with the lines that say why. */
export function succeeded(args: string[], run: CdktfRun): string {
  if (run.status !== 0) {
    const errors = run.output
      .split('\n')
      .filter((l) => /error/i.test(l))
      .slice(0, 20)
      .join('\n');
    throw new Error(`cdktf ${args.join(' ')} failed (${run.signal ?? `exit ${run.status}`}):\n${errors}\n...\n${run.output.slice(-3000)}`);
  }
  return run.output;
}

/** {@link runCdktf} that must succeed: its output, else an error with the lines that say why. */
export function cdktf(args: string[]): string {
  return succeeded(args, runCdktf(args));
}

/** The local state file of an example stack (stacks/backend.ts), in the project root (of `project`). */
export function stateFile(stack: string, project = root): string {
  return path.join(project, `terraform.${stack}.tfstate`);
}

/** How many resources the stack's local state holds (0 when there is no state). */
export function resourcesInState(stack: string, project = root): number {
  const file = stateFile(stack, project);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')).resources ?? []).length : 0;
}

/** The fields the tests read of a Magnum cluster. */
export interface ClusterBody {
  readonly uuid: string;
  readonly stack_id: string;
  readonly cluster_template_id: string;
  readonly fixed_subnet?: string | null;
  readonly master_count: number;
  readonly node_count: number;
  readonly status: string;
}

interface HeatResourceBody {
  readonly resource_type: string;
  readonly physical_resource_id: string;
}

/** The subnet the cluster's nodes are on: the template's fixed subnet, else the one in its Heat stack. */
export async function clusterSubnet(os: OpenStackClient, cluster: ClusterBody): Promise<string> {
  if (cluster.fixed_subnet) return cluster.fixed_subnet;
  const { resources } = await os.request<{ resources: HeatResourceBody[] }>('orchestration', 'GET', `/stacks/${cluster.stack_id}/resources?nested_depth=2`);
  // Magnum's network.yaml maps it through its resource registry: Magnum::Optional::Neutron::Subnet.
  const subnet = resources.find((r) => /Neutron::Subnet$/.test(r.resource_type));
  if (!subnet) throw new Error(`no subnet in the Heat stack of cluster ${cluster.uuid}: ${resources.map((r) => r.resource_type).join(', ')}`);
  return subnet.physical_resource_id;
}

/** A LoadBalancer Service as the cloud provider makes it: the LB tree with its floating IP, and its security group. */
export async function addServiceLoadBalancer(
  os: OpenStackClient,
  clusterId: string,
  subnetId: string,
  externalNetworkId: string,
): Promise<{ lb: string; fip: string; sg: string }> {
  const { subnet } = await os.request('network', 'GET', `/v2.0/subnets/${subnetId}`);
  // A pool member on a node address: the noop Octavia needs no server behind it.
  const memberAddress = subnet.allocation_pools[0].end;
  const { lb, fip } = await serviceLoadBalancer(os, clusterId, 'web', { external: externalNetworkId, subnet: subnetId, memberAddress });
  const sg = (
    await os.request('network', 'POST', '/v2.0/security-groups', {
      security_group: { name: `lb-sg-e2e-default-web`, description: `Security Group for default/web Service LoadBalancer in cluster ${clusterId}` },
    })
  ).security_group;
  return { lb, fip, sg: sg.id };
}
