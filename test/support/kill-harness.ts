import { execFileSync, spawn } from 'child_process';
import { randomInt } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { stripVTControlCharacters } from 'util';
import { OpenStackClient, redact, resolveCloud, secretsOf, statusOf } from '../../runtime/openstack';
import { ClusterResources, DEVCLOUD_DEFAULTS, devcloudEnv, serviceLoadBalancer } from '../../devcloud';
import { addServiceLoadBalancer, ClusterBody, clusterSubnet, readmeEnv, stateFile } from './example-stacks';
import { mulberry32 } from './prng';
import { instanceAddress } from '../../scripts/lib/terraform-state';

/**
 * Kills `npm run cdktf -- deploy|destroy <stack>` as a lost session (SIGKILL to every process of
 * the run: npm's group, and the session cdktf gives Terraform and its providers in a pseudo-terminal)
 * or a Ctrl-C (SIGINT to npm's group, the terminal's foreground job) does, at a seeded random moment
 * after the line that starts a phase, and checks afterwards that the stack's Terraform state and the
 * cloud agree.
 */

const ROOT = path.join(__dirname, '..', '..');

/** The commands of the README that a kill interrupts. */
export type StackCommand = 'deploy' | 'destroy';
/** How the run is lost: the session dies (SIGKILL), or the operator presses Ctrl-C (SIGINT). */
export type KillSignal = 'SIGKILL' | 'SIGINT';

/** A stretch of a command, recognised by the line Terraform prints when it starts. */
export interface Phase {
  /** Short name, part of a kill point's id: `cluster-create`. */
  readonly key: string;
  /** The command it belongs to. */
  readonly command: StackCommand;
  /** The line (VT codes stripped) that starts it. */
  readonly line: RegExp;
  /** The window after that line in which the kill lands: [0, maxDelayMs). */
  readonly maxDelayMs: number;
  /**
   * Phases that start within a second or two of each other: a kill in one may land past the
   * others, so a chain holds at most one point of a group. @default - the phase's own key
   */
  readonly group?: string;
  /** Only these stacks have it. @default - every stack */
  readonly stacks?: readonly string[];
}

/**
 * The line Terraform prints when it starts `what` on a resource: `<address> (<construct path>): Creating...`
 * (Terraform 1.11 adds the path cdktf records), or `<address> (<path>) (local-exec): Executing: …`.
 */
function starts(address: string, what: string): RegExp {
  return new RegExp(`${address}(?: \\([^)]*\\))?${what}`);
}

/**
 * The phases, in the order a command reaches them. Windows are sized to what each phase takes here
 * (measured: network, image and template under a second each, and the next phase starts at once, so
 * a longer window lands in the cluster's create; cluster 60-110 s, node group ~40 s; teardown 2-3 s
 * with the cloud-provider resources {@link addCloudProviderResources} makes, 25 s with fedora-coreos'
 * node group; cluster delete 30-40 s, which the teardown CLI starts and waits for (`--delete-cluster`),
 * so the provider's own delete only finds it gone; template and network delete under a second).
 */
export const PHASES: readonly Phase[] = [
  {
    key: 'network-create',
    command: 'deploy',
    line: starts('openstack_networking_network_v2\\.Platform_ExternalNetwork_\\w+', ': Creating\\.\\.\\.'),
    maxDelayMs: 500,
    group: 'deploy-start',
  },
  {
    key: 'image-upload',
    command: 'deploy',
    line: starts('openstack_images_image_v2\\.\\w+', ': Creating\\.\\.\\.'),
    maxDelayMs: 500,
    group: 'deploy-start',
  },
  {
    key: 'template-create',
    command: 'deploy',
    line: starts('openstack_containerinfra_clustertemplate_v1\\.\\w+', ': Creating\\.\\.\\.'),
    maxDelayMs: 700,
    group: 'deploy-start',
  },
  { key: 'cluster-create', command: 'deploy', line: starts('openstack_containerinfra_cluster_v1\\.\\w+', ': Creating\\.\\.\\.'), maxDelayMs: 45_000 },
  {
    key: 'node-group-create',
    command: 'deploy',
    line: starts('openstack_containerinfra_nodegroup_v1\\.\\w+', ': Creating\\.\\.\\.'),
    maxDelayMs: 20_000,
    stacks: ['fedora-coreos'],
  },
  { key: 'teardown', command: 'destroy', line: starts('null_resource\\.Platform_Teardown_\\w+', ' \\(local-exec\\): Executing'), maxDelayMs: 3_000 },
  {
    key: 'cluster-delete',
    command: 'destroy',
    line: starts('null_resource\\.Platform_Teardown_\\w+', ' \\(local-exec\\): deleting cluster [0-9a-f-]{36} '),
    maxDelayMs: 25_000,
  },
  {
    key: 'template-delete',
    command: 'destroy',
    line: starts('openstack_containerinfra_clustertemplate_v1\\.\\w+', ': Destroying\\.\\.\\.'),
    maxDelayMs: 1_000,
    group: 'destroy-end',
  },
  {
    key: 'network-delete',
    command: 'destroy',
    line: starts('openstack_networking_network_v2\\.Platform_ExternalNetwork_\\w+', ': Destroying\\.\\.\\.'),
    maxDelayMs: 500,
    group: 'destroy-end',
  },
];

/** Where and how to kill one run: {stack, command, phase regex, signal, max delay}. */
export interface KillPoint {
  /** `<stack>/<command>/<phase>/<signal>`, what MAGNUM_CDKTF_KILL_POINTS lists. */
  readonly id: string;
  readonly stack: string;
  readonly command: StackCommand;
  readonly phase: string;
  /** The line after which the kill lands. */
  readonly line: RegExp;
  readonly signal: KillSignal;
  readonly maxDelayMs: number;
}

/** The kill point of a phase (by key) of a stack. */
export function killPoint(stack: string, phaseKey: string, signal: KillSignal): KillPoint {
  const phase = PHASES.find((p) => p.key === phaseKey && (!p.stacks || p.stacks.includes(stack)));
  if (!phase) throw new Error(`no phase "${phaseKey}" for stack ${stack}. Fix: use one of ${PHASES.map((p) => p.key).join(', ')}`);
  return {
    id: `${stack}/${phase.command}/${phase.key}/${signal}`,
    stack,
    command: phase.command,
    phase: phase.key,
    line: phase.line,
    signal,
    maxDelayMs: phase.maxDelayMs,
  };
}

/** Parses `<stack>/<command>/<phase>/<signal>`. */
export function parseKillPoint(id: string): KillPoint {
  const [stack, command, phase, signal] = id.trim().split('/');
  const point = signal === 'SIGKILL' || signal === 'SIGINT' ? killPoint(stack, phase, signal) : undefined;
  if (!point || point.command !== command) {
    throw new Error(
      `MAGNUM_CDKTF_KILL_POINTS: "${id}" is not <stack>/<deploy|destroy>/<phase>/<SIGKILL|SIGINT>. Fix: e.g. all-in-one/deploy/cluster-create/SIGKILL`,
    );
  }
  return point;
}

/** Every phase × signal of each stack. */
export function allKillPoints(stacks: readonly string[]): KillPoint[] {
  return stacks.flatMap((stack) =>
    (['SIGKILL', 'SIGINT'] as const).flatMap((signal) =>
      PHASES.filter((p) => !p.stacks || p.stacks.includes(stack)).map((p) => killPoint(stack, p.key, signal)),
    ),
  );
}

/** Kill points one after another on one stack: deploys killed, a deploy that completes, destroys killed, a destroy that completes. */
export interface KillChain {
  readonly stack: string;
  readonly points: readonly KillPoint[];
}

/**
 * Groups kill points into chains: per stack, in the order the commands reach their phases (deploy
 * first), at most one point per phase group in a chain (a killed run may get past a phase, and past
 * others that start within a second of it: the re-run would not reach them).
 */
export function chainsOf(points: readonly KillPoint[]): KillChain[] {
  const phaseOf = (p: KillPoint) => PHASES.find((ph) => ph.key === p.phase) as Phase;
  const groupOf = (p: KillPoint) => phaseOf(p).group ?? p.phase;
  const chains: { stack: string; points: KillPoint[] }[] = [];
  for (const point of points) {
    const chain = chains.find((c) => c.stack === point.stack && !c.points.some((p) => groupOf(p) === groupOf(point)));
    if (chain) chain.points.push(point);
    else chains.push({ stack: point.stack, points: [point] });
  }
  return chains.map((c) => ({ stack: c.stack, points: [...c.points].sort((a, b) => PHASES.indexOf(phaseOf(a)) - PHASES.indexOf(phaseOf(b))) }));
}

/** The run's seed: MAGNUM_CDKTF_KILL_SEED, else a fresh one (printed, so a failure can be replayed). */
export function killSeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.MAGNUM_CDKTF_KILL_SEED;
  if (given === undefined || given === '') return randomInt(1, 2 ** 31);
  if (!/^\d+$/.test(given)) throw new Error(`MAGNUM_CDKTF_KILL_SEED=${given}: not a whole number. Fix: use the seed a run printed`);
  return Number(given);
}

/** The delay of a point under a seed: the same for a given (seed, point id), whatever else runs. */
export function killDelayMs(seed: number, point: KillPoint): number {
  let h = 0x811c9dc5;
  for (const c of point.id) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return Math.floor(mulberry32((seed ^ h) >>> 0)() * point.maxDelayMs);
}

/** A line to the terminal at once (not held back by jest's console buffering). */
export function say(line: string): void {
  process.stderr.write(`[kill-points] ${line}\n`);
}

// --- Running the README's command, and killing it

/** What became of a kill. */
export interface KillRecord {
  readonly point: string;
  readonly seed: number;
  readonly delayMs: number;
  /** Seconds from the start of the run to the phase's line, and to the signal. */
  readonly phaseSeenAtS?: number;
  readonly killedAtS?: number;
  /** `killed`, `phase not reached` (the run ended first), `ended before the kill` (within the delay). */
  readonly outcome: 'killed' | 'phase not reached' | 'ended before the kill';
}

/** One run of `npm run cdktf -- <command> <stack> --auto-approve`. */
export interface CdktfRun {
  readonly command: StackCommand;
  readonly stack: string;
  /** Exit status of npm (null when a signal ended it). */
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly seconds: number;
  /** The last 200 kB of its output, VT codes stripped. */
  readonly output: string;
  /** The full output, each line with the seconds since the start (VT codes, cdktf's progress display and the cloud's secrets taken out). */
  readonly logFile: string;
  readonly kill?: KillRecord;
  /** Processes of the run still running when npm had exited (the prompt back), and for how long. */
  readonly lingered: string[];
  readonly lingeredSeconds: number;
  /** Whether the harness had to SIGKILL what lingered. */
  readonly lingerKilled: boolean;
}

/** A live (not zombie) process. */
interface Proc {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  readonly comm: string;
}

function processes(): Proc[] {
  const ps = execFileSync('ps', ['-eo', 'pid=,ppid=,pgid=,stat=,comm='], { encoding: 'utf8' });
  return ps
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([pid, , , stat]) => pid && stat && !stat.startsWith('Z'))
    .map(([pid, ppid, pgid, , comm]) => ({ pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), comm }));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

/**
 * The process groups of one run, followed while it runs: npm's, which it leads, and those its
 * descendants make (cdktf runs Terraform in a pseudo-terminal, a session and group of its own, with
 * the providers in it). A group is forgotten once seen empty, so no id is signalled after reuse.
 */
class RunGroups {
  private readonly pgids = new Set<number>();

  constructor(private readonly leader: number) {
    this.pgids.add(leader);
  }

  /** Adds the groups of the leader's descendants; forgets the groups now empty. */
  public refresh(): void {
    const all = processes();
    const children = new Map<number, Proc[]>();
    for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
    for (const queue = [...(children.get(this.leader) ?? [])]; queue.length;) {
      const p = queue.shift() as Proc;
      this.pgids.add(p.pgid);
      queue.push(...(children.get(p.pid) ?? []));
    }
    for (const g of this.pgids) if (!all.some((p) => p.pgid === g)) this.pgids.delete(g);
  }

  /** Its live processes: `pid name`. */
  public members(): string[] {
    return processes()
      .filter((p) => this.pgids.has(p.pgid))
      .map((p) => `${p.pid} ${p.comm}`);
  }

  /** Signals npm's group only, as a terminal's Ctrl-C does. */
  public signalLeader(signal: NodeJS.Signals): void {
    signalGroup(this.leader, signal);
  }

  /** Signals every group, npm's last: a lost session takes Terraform and the providers down with cdktf. */
  public signalAll(signal: NodeJS.Signals): void {
    this.refresh();
    for (const g of [...this.pgids].reverse()) signalGroup(g, signal);
  }

  /** Waits until every group is empty; after `graceMs`, SIGKILLs them. Returns whether it had to. */
  public async drain(graceMs: number): Promise<boolean> {
    const until = Date.now() + graceMs;
    for (this.refresh(); this.members().length > 0; this.refresh()) {
      if (Date.now() > until) {
        this.signalAll('SIGKILL');
        await sleep(500);
        return true;
      }
      await sleep(250);
    }
    return false;
  }
}

/** The runs this process started that have not yet been seen to end: {@link killStarted} ends them. */
const running = new Set<RunGroups>();

/** SIGKILLs every process of the runs this process started that is still running (afterAll). */
export async function killStarted(): Promise<string[]> {
  const left: string[] = [];
  for (const run of [...running]) {
    left.push(...run.members());
    await run.drain(0);
    running.delete(run);
  }
  return left;
}

/** Options of {@link runCdktf}. */
export interface RunOptions {
  /** Kill the run at this point. @default - let it run */
  readonly kill?: KillPoint;
  /** The seed the kill's delay comes from. */
  readonly seed?: number;
  /** Folder of the full logs. */
  readonly logDir: string;
  /** Ends the run (SIGKILL to the group) after this long. @default 20 minutes */
  readonly timeoutMs?: number;
  /** How long what lingers after a SIGINT may take to shut down before it is SIGKILLed. @default 180 s */
  readonly sigintGraceMs?: number;
  /** Extra environment. */
  readonly env?: NodeJS.ProcessEnv;
}

let runNumber = 0;
/** The spinner and counters cdktf redraws. */
const SPINNER = /^\s*(?:[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]\s|\d+ Stacks? (?:deploying|destroying))/;

/**
 * Runs `npm run cdktf -- <command> <stack> --auto-approve` in its own process group and, given a
 * kill point, signals it `delay` after the phase's line (see {@link RunGroups}). Resolves once npm
 * has exited and every process of the run has ended (what lingers after npm is recorded, then ended).
 */
export function runCdktf(command: StackCommand, stack: string, options: RunOptions): Promise<CdktfRun> {
  const { kill, seed = 0, logDir } = options;
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${String(++runNumber).padStart(2, '0')}-${stack}-${command}${kill ? `-${kill.phase}-${kill.signal}` : ''}.log`);
  const log = fs.createWriteStream(logFile);
  const secrets = secretsOf(resolveCloud(DEVCLOUD_DEFAULTS.cloud, { ...process.env, ...devcloudEnv }));
  const started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000;
  const child = spawn('npm', ['run', 'cdktf', '--', command, stack, '--auto-approve'], {
    cwd: ROOT,
    detached: true, // its own process group, like a terminal's foreground job
    stdio: ['ignore', 'pipe', 'pipe'],
    env: readmeEnv(options.env ?? {}),
  });
  const pgid = child.pid as number;
  const groups = new RunGroups(pgid);
  running.add(groups);
  const follow = setInterval(() => groups.refresh(), 500);
  let tail = '';
  let partial = '';
  let phaseSeenAtS: number | undefined;
  let killedAtS: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  const delayMs = kill ? killDelayMs(seed, kill) : 0;

  const onLine = (line: string) => {
    if (!kill || phaseSeenAtS !== undefined || !kill.line.test(line)) return;
    phaseSeenAtS = elapsed();
    say(
      `${kill.id}: phase line at ${phaseSeenAtS.toFixed(1)} s; ${kill.signal} in ${delayMs} ms (seed ${seed}; replay: MAGNUM_CDKTF_KILL_SEED=${seed} MAGNUM_CDKTF_KILL_POINTS=${kill.id})`,
    );
    timer = setTimeout(() => {
      killedAtS = elapsed();
      const to = kill.signal === 'SIGINT' ? `process group ${pgid} (npm's, as Ctrl-C)` : `every process group of the run (npm's, Terraform's pty session)`;
      say(`${kill.id}: sending ${kill.signal} to ${to} at ${killedAtS.toFixed(1)} s`);
      log.write(`[${killedAtS.toFixed(1).padStart(6)} s] ---- harness: ${kill.signal} to ${to} (${kill.id}, seed ${seed}, delay ${delayMs} ms) ----\n`);
      if (kill.signal === 'SIGINT') groups.signalLeader('SIGINT');
      else groups.signalAll(kill.signal);
    }, delayMs);
  };
  const onData = (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split(/\r?\n|\r/);
    partial = lines.pop() ?? '';
    for (const raw of lines) {
      const line = redact(stripVTControlCharacters(raw), secrets);
      // cdktf's progress display (spinner frames, stack counts) carries nothing a reader needs.
      if (line.trim() === '' || SPINNER.test(line)) continue;
      log.write(`[${elapsed().toFixed(1).padStart(6)} s] ${line}\n`);
      tail = (tail + line + '\n').slice(-200_000);
      onLine(line);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const deadline = setTimeout(() => {
    say(`${command} ${stack}: no end after ${(options.timeoutMs ?? 1_200_000) / 1000} s; SIGKILL to its processes`);
    groups.signalAll('SIGKILL');
  }, options.timeoutMs ?? 1_200_000);

  const closed = new Promise((r) => child.on('close', r));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', async (status, signal) => {
      clearTimeout(deadline);
      if (timer) clearTimeout(timer);
      clearInterval(follow);
      const exitedAt = Date.now();
      groups.refresh();
      const members = groups.members();
      const grace = kill?.signal === 'SIGINT' && killedAtS !== undefined ? (options.sigintGraceMs ?? 180_000) : 5_000;
      const lingerKilled = await groups.drain(grace);
      running.delete(groups);
      // (A process caught exiting with npm is no lingerer: under a second counts for nothing.)
      const lingeredSeconds = members.length ? (Date.now() - exitedAt) / 1000 : 0;
      const lingered = lingeredSeconds >= 1 || lingerKilled ? members : [];
      // Output still buffered in the pipes: wait for them to close.
      await new Promise<void>((r) => {
        const bound = setTimeout(r, 5_000); // (cleared: a pending timer would keep jest from exiting)
        void closed.then(() => {
          clearTimeout(bound);
          r();
        });
      });
      if (lingered.length)
        say(`${command} ${stack}: after npm exited, ${lingered.join(', ')} ran on ${lingeredSeconds.toFixed(1)} s${lingerKilled ? ' (SIGKILLed)' : ''}`);
      await new Promise((r) => log.end(r));
      const outcome = killedAtS !== undefined ? 'killed' : phaseSeenAtS !== undefined ? 'ended before the kill' : 'phase not reached';
      resolve({
        command,
        stack,
        status,
        signal,
        seconds: elapsed(),
        output: tail + redact(stripVTControlCharacters(partial), secrets),
        logFile,
        kill: kill && { point: kill.id, seed, delayMs, phaseSeenAtS, killedAtS, outcome },
        lingered,
        lingeredSeconds,
        lingerKilled,
      });
    });
  });
}

/** The lines of a run's output that say why it failed (Terraform's `Error:` blocks first). */
export function errorLines(output: string, max = 12): string {
  const lines = output.split('\n');
  const errors = lines.flatMap((l, i) => (/Error[: ]/.test(l) ? lines.slice(i, i + 3).map((x) => x.replace(/[│╷╵]/g, '').trim()) : []));
  return [...new Set(errors.filter((l) => l !== ''))].slice(0, max).join('\n') || lines.slice(-max).join('\n');
}

// --- What Terraform holds and what the cloud holds

/** One object in the state: a managed resource instance, or a deposed one. */
export interface StateObject {
  readonly type: string;
  readonly address: string;
  readonly id: string;
  readonly tainted: boolean;
  readonly deposed: boolean;
  readonly attributes: Record<string, unknown>;
}

interface RawInstance {
  readonly index_key?: string | number;
  readonly status?: string;
  readonly deposed?: string;
  readonly attributes: Record<string, unknown>;
}

/** The managed objects in a stack's state file (none when there is no file). */
export function readState(stack: string): StateObject[] {
  const file = stateFile(stack);
  if (!fs.existsSync(file)) return [];
  const state = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    resources?: { mode: string; type: string; name: string; instances: RawInstance[] }[];
  };
  return (state.resources ?? [])
    .filter((r) => r.mode === 'managed')
    .flatMap((r) =>
      r.instances.map((i) => ({
        type: r.type,
        address: `${instanceAddress(r.type, r.name, i)}${i.deposed ? ` (deposed ${i.deposed})` : ''}`,
        id: String(i.attributes.id),
        tainted: i.status === 'tainted',
        deposed: i.deposed !== undefined,
        attributes: i.attributes,
      })),
    );
}

/** Where `npm run cdktf` leaves its last synth. */
const CDKTF_OUT = path.join(ROOT, 'cdktf.out');

/** The names the stack gives each OpenStack resource type, from its cdk.tf.json synthesized into `outDir`. */
export function stackNames(stack: string, outDir = CDKTF_OUT): Record<string, string[]> {
  const file = path.join(outDir, 'stacks', stack, 'cdk.tf.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { resource: Record<string, Record<string, { name?: unknown }>> };
  const names: Record<string, string[]> = {};
  for (const [type, resources] of Object.entries(json.resource)) {
    for (const r of Object.values(resources)) if (typeof r.name === 'string') (names[type] ??= []).push(r.name);
  }
  return names;
}

/**
 * The resources of the synthesized stack that its state lacks (a deploy that completed has them all);
 * a `for_each` resource may rightly have no instance, and is left out.
 */
export function notInState(stack: string): string[] {
  const file = path.join(ROOT, 'cdktf.out', 'stacks', stack, 'cdk.tf.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { resource: Record<string, Record<string, { for_each?: unknown }>> };
  const held = new Set(readState(stack).map((o) => o.address.replace(/[[ ].*$/, '')));
  return Object.entries(json.resource).flatMap(([type, resources]) =>
    Object.entries(resources)
      .filter(([name, r]) => r.for_each === undefined && !held.has(`${type}.${name}`))
      .map(([name]) => `${type}.${name}`),
  );
}

/** A cloud object of the stack's kinds: its id, name, status and creation time when the API gives them. */
interface CloudObject {
  readonly id: string;
  readonly name: string;
  readonly status?: string;
  readonly createdAt?: string;
}

const MAGNUM_LATEST = { 'OpenStack-API-Version': 'container-infra latest' };

/** Per managed OpenStack type: GET one by id (undefined on 404), and list those carrying one of the names. */
interface Kind {
  get(os: OpenStackClient, id: string): Promise<CloudObject | undefined>;
  /** Those carrying one of `names`, the kind's names in `all` (every kind's names of the stack). */
  list(os: OpenStackClient, names: string[], all: Record<string, string[]>): Promise<CloudObject[]>;
}

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw e;
  }
}

type Body = Record<string, unknown>;
const asObject = (b: Body | undefined): CloudObject | undefined =>
  b && {
    id: String(b.id ?? b.uuid),
    name: String(b.name ?? ''),
    status: (b.status as string | undefined) ?? undefined,
    createdAt: (b.created_at as string | undefined) ?? undefined,
  };

/** A Neutron kind: `/v2.0/<plural>/<id>`, listed by name. */
function neutron(plural: string, key: string): Kind {
  return {
    get: async (os, id) => asObject((await orUndefined(os.request<Body>('network', 'GET', `/v2.0/${plural}/${id}`)))?.[key] as Body | undefined),
    list: async (os, names) =>
      (
        await Promise.all(
          names.map(async (n) => ((await os.request<Body>('network', 'GET', `/v2.0/${plural}?name=${encodeURIComponent(n)}`))[plural] as Body[]).map(asObject)),
        )
      ).flat() as CloudObject[],
  };
}

/** Magnum's template names: the base name, `-`, an 8-digit hash of the settings (any settings: an older template is an orphan too). */
const templateNameOf = (name: string) => new RegExp(`^${name.replace(/-[0-9a-f]{8}$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[0-9a-f]{8}$`);

const KINDS: Record<string, Kind> = {
  openstack_networking_network_v2: neutron('networks', 'network'),
  openstack_networking_subnet_v2: neutron('subnets', 'subnet'),
  openstack_networking_router_v2: neutron('routers', 'router'),
  openstack_networking_router_interface_v2: {
    // The provider's id of a router interface is its port.
    get: async (os, id) => asObject((await orUndefined(os.request<Body>('network', 'GET', `/v2.0/ports/${id}`)))?.port as Body | undefined),
    list: async (os, _names, all) => {
      const routers = await KINDS.openstack_networking_router_v2.list(os, all.openstack_networking_router_v2 ?? [], all);
      const ports = await Promise.all(
        routers.map(
          async (r) => (await os.request<Body>('network', 'GET', `/v2.0/ports?device_id=${r.id}&device_owner=network:router_interface`)).ports as Body[],
        ),
      );
      return ports.flat().map((p) => ({ id: String(p.id), name: `interface of router ${p.device_id}`, createdAt: p.created_at as string }));
    },
  },
  openstack_images_image_v2: {
    get: async (os, id) => asObject(await orUndefined(os.request<Body>('image', 'GET', `/v2/images/${id}`))),
    list: async (os, names) =>
      (
        await Promise.all(
          names.map(async (n) => ((await os.request<Body>('image', 'GET', `/v2/images?name=${encodeURIComponent(n)}`)).images as Body[]).map(asObject)),
        )
      )
        .flat()
        .filter((x): x is CloudObject => !!x),
  },
  openstack_blockstorage_volume_type_v3: {
    get: async (os, id) => asObject((await orUndefined(os.request<Body>('block-storage', 'GET', `/types/${id}`)))?.volume_type as Body | undefined),
    list: async (os, names) =>
      ((await os.request<Body>('block-storage', 'GET', '/types?is_public=None')).volume_types as Body[])
        .filter((t) => names.includes(String(t.name)))
        .map((t) => asObject(t) as CloudObject),
  },
  openstack_containerinfra_clustertemplate_v1: {
    get: async (os, id) => asObject(await orUndefined(os.request<Body>('container-infra', 'GET', `/clustertemplates/${id}`, undefined, MAGNUM_LATEST))),
    list: async (os, names) =>
      ((await os.request<Body>('container-infra', 'GET', '/clustertemplates', undefined, MAGNUM_LATEST)).clustertemplates as Body[])
        .filter((t) => names.some((n) => templateNameOf(n).test(String(t.name))))
        .map((t) => asObject(t) as CloudObject),
  },
  openstack_containerinfra_cluster_v1: {
    get: async (os, id) => asObject(await orUndefined(os.request<Body>('container-infra', 'GET', `/clusters/${id}`, undefined, MAGNUM_LATEST))),
    list: async (os, names) =>
      ((await os.request<Body>('container-infra', 'GET', '/clusters', undefined, MAGNUM_LATEST)).clusters as Body[])
        .filter((c) => names.includes(String(c.name)))
        .map((c) => asObject(c) as CloudObject),
  },
  openstack_containerinfra_nodegroup_v1: {
    // The provider's id of a node group is `<cluster UUID>/<node group UUID>`.
    get: async (os, id) => {
      const [cluster, group] = id.split('/');
      const body = await orUndefined(os.request<Body>('container-infra', 'GET', `/clusters/${cluster}/nodegroups/${group}`, undefined, MAGNUM_LATEST));
      return body && { ...(asObject(body) as CloudObject), id };
    },
    list: async (os, names, all) => {
      const clusters = await KINDS.openstack_containerinfra_cluster_v1.list(os, all.openstack_containerinfra_cluster_v1 ?? [], all);
      const groups = await Promise.all(
        clusters.map(async (c) => {
          const body = await orUndefined(os.request<Body>('container-infra', 'GET', `/clusters/${c.id}/nodegroups`, undefined, MAGNUM_LATEST));
          return ((body?.nodegroups as Body[] | undefined) ?? [])
            .filter((g) => !g.is_default && names.includes(String(g.name)))
            .map((g) => ({ ...(asObject(g) as CloudObject), id: `${c.id}/${g.uuid}` }));
        }),
      );
      return groups.flat();
    },
  },
};

/** One way the state and the cloud disagree. */
export interface Inconsistency {
  /** `missing`: in the state, not in the cloud; `orphan`: in the cloud with the stack's name, not in the state; `tainted`/`deposed`: left half-done. */
  readonly kind: 'missing' | 'orphan' | 'tainted' | 'deposed';
  readonly type: string;
  readonly id: string;
  readonly detail: string;
}

/** Prints inconsistencies one a line. */
export function describeInconsistencies(list: readonly Inconsistency[]): string {
  return list.map((i) => `${i.kind}: ${i.type} ${i.id} ${i.detail}`).join('\n');
}

/**
 * The stack's state against the cloud: every OpenStack object in the state exists (GET by id),
 * none is tainted or deposed, and the cloud holds no object of a managed kind that carries one of
 * the stack's names (from the synthesized cdk.tf.json) and is not in the state. An orphan being
 * deleted (DELETE_IN_PROGRESS) is waited for up to `settleMs` before it counts.
 */
export async function checkConsistency(os: OpenStackClient, stack: string, settleMs = 180_000): Promise<Inconsistency[]> {
  const until = Date.now() + settleMs;
  for (;;) {
    const found = await inconsistencies(os, stack);
    const settling = found.filter((i) => i.kind === 'orphan' && /DELETE_IN_PROGRESS|pending_delete|deleting/i.test(i.detail));
    if (settling.length === 0 || Date.now() > until) return found;
    say(`${stack}: waiting for ${settling.length} orphan(s) being deleted: ${describeInconsistencies(settling)}`);
    await sleep(10_000);
  }
}

async function inconsistencies(os: OpenStackClient, stack: string, outDir = CDKTF_OUT): Promise<Inconsistency[]> {
  const state = readState(stack);
  const names = stackNames(stack, outDir);
  const found: Inconsistency[] = [];
  for (const o of state) {
    if (o.tainted) found.push({ kind: 'tainted', type: o.type, id: o.id, detail: `${o.address} is tainted` });
    if (o.deposed) found.push({ kind: 'deposed', type: o.type, id: o.id, detail: `${o.address} is a deposed object` });
    const kind = KINDS[o.type];
    if (o.type.startsWith('openstack_') && !kind) throw new Error(`${o.address}: no way to read ${o.type} in the kill harness. Fix: add it to KINDS`);
    if (kind && !(await kind.get(os, o.id)))
      found.push({ kind: 'missing', type: o.type, id: o.id, detail: `${o.address} is in the state, the cloud has no such object` });
  }
  for (const [type, kind] of Object.entries(KINDS)) {
    const ours = names[type] ?? (type === 'openstack_networking_router_interface_v2' && names.openstack_networking_router_v2 ? [] : undefined);
    if (ours === undefined) continue;
    const known = new Set(state.filter((o) => o.type === type).map((o) => o.id));
    for (const obj of await kind.list(os, ours, names)) {
      if (!known.has(obj.id)) {
        found.push({
          kind: 'orphan',
          type,
          id: obj.id,
          detail: `"${obj.name}"${obj.status ? ` ${obj.status}` : ''}${obj.createdAt ? ` created ${obj.createdAt}` : ''}: in the cloud with the stack's name, not in the state`,
        });
      }
    }
  }
  return found;
}

// --- What Kubernetes' cloud provider would have made

/**
 * Service load balancers (each with listener, pool, member, monitor and a floating IP) and a Service
 * security group, as occm makes them for the stack's deployed cluster: the teardown's work, which a
 * kill during the teardown interrupts (two load balancers make it last a few seconds here).
 * `stillThere` (devcloud) says which of them are left.
 */
export async function addCloudProviderResources(os: OpenStackClient, stack: string): Promise<ClusterResources> {
  const state = readState(stack);
  const cluster = state.find((o) => o.type === 'openstack_containerinfra_cluster_v1');
  const external = state.find((o) => o.type === 'openstack_networking_network_v2' && o.address.includes('ExternalNetwork'));
  if (!cluster || !external) throw new Error(`${stack}: no cluster or external network in the state: deploy it first`);
  const body = await os.request<ClusterBody>('container-infra', 'GET', `/clusters/${cluster.id}`, undefined, MAGNUM_LATEST);
  const subnetId = await clusterSubnet(os, body);
  const first = await addServiceLoadBalancer(os, cluster.id, subnetId, external.id);
  const { subnet } = await os.request<{ subnet: { allocation_pools: { end: string }[] } }>('network', 'GET', `/v2.0/subnets/${subnetId}`);
  const second = await serviceLoadBalancer(os, cluster.id, 'web1', { external: external.id, subnet: subnetId, memberAddress: subnet.allocation_pools[0].end });
  return {
    clusterId: cluster.id,
    loadBalancers: [first.lb, second.lb],
    floatingIps: [first.fip, second.fip],
    securityGroups: [first.sg],
    volumes: [],
    ports: [],
  };
}

// --- Putting the cloud back after a failure

/** Deletes a router with what ties it to subnets: its interfaces and its gateway. */
async function deleteRouter(os: OpenStackClient, id: string): Promise<void> {
  const { ports } = await os.request<{ ports: { id: string }[] }>('network', 'GET', `/v2.0/ports?device_id=${id}&device_owner=network:router_interface`);
  for (const port of ports) await os.request('network', 'PUT', `/v2.0/routers/${id}/remove_router_interface`, { port_id: port.id });
  await os.request('network', 'PUT', `/v2.0/routers/${id}`, { router: { external_gateway_info: {} } });
  await os.request('network', 'DELETE', `/v2.0/routers/${id}`);
}

/** The order orphans are deleted in: what holds others first (a cluster its template, networks and floating IPs; a router its subnets). */
const ORPHAN_ORDER = [
  'openstack_containerinfra_cluster_v1',
  'openstack_networking_router_interface_v2',
  'openstack_networking_router_v2',
  'openstack_containerinfra_nodegroup_v1',
  'openstack_containerinfra_clustertemplate_v1',
  'openstack_images_image_v2',
  'openstack_blockstorage_volume_type_v3',
  'openstack_networking_subnet_v2',
  'openstack_networking_network_v2',
];

/** The orphans that may hold objects of the state: deleted before a `cdktf destroy` of it. */
const HOLDERS = ORPHAN_ORDER.slice(0, 3);

/**
 * Deletes the stack's orphans (objects carrying its names, from the synth in `outDir`, that its state
 * lacks) in ORPHAN_ORDER, of the kinds in `only` (all by default); clusters are waited for until gone,
 * up to 15 min. Says what it did, one line an object.
 */
export async function deleteOrphans(
  os: OpenStackClient,
  stack: string,
  options: { readonly only?: readonly string[]; readonly outDir?: string } = {},
): Promise<string[]> {
  const kinds = options.only ?? ORPHAN_ORDER;
  const done: string[] = [];
  const orphans = async () => (await inconsistencies(os, stack, options.outDir)).filter((i) => i.kind === 'orphan');
  const CLUSTER = 'openstack_containerinfra_cluster_v1';
  const del: Record<string, (id: string) => Promise<unknown>> = {
    [CLUSTER]: (id) => orUndefined(os.request('container-infra', 'DELETE', `/clusters/${id}`, undefined, MAGNUM_LATEST)),
    openstack_networking_router_interface_v2: async (id) => {
      const { port } = await os.request<{ port: { device_id: string } }>('network', 'GET', `/v2.0/ports/${id}`);
      await os.request('network', 'PUT', `/v2.0/routers/${port.device_id}/remove_router_interface`, { port_id: id });
    },
    openstack_networking_router_v2: (id) => deleteRouter(os, id),
    openstack_containerinfra_nodegroup_v1: (id) => {
      const [cluster, group] = id.split('/');
      return os.request('container-infra', 'DELETE', `/clusters/${cluster}/nodegroups/${group}`, undefined, MAGNUM_LATEST);
    },
    openstack_containerinfra_clustertemplate_v1: (id) => os.request('container-infra', 'DELETE', `/clustertemplates/${id}`, undefined, MAGNUM_LATEST),
    openstack_images_image_v2: (id) => os.request('image', 'DELETE', `/v2/images/${id}`),
    openstack_blockstorage_volume_type_v3: (id) => os.request('block-storage', 'DELETE', `/types/${id}`),
    openstack_networking_subnet_v2: (id) => os.request('network', 'DELETE', `/v2.0/subnets/${id}`),
    openstack_networking_network_v2: (id) => os.request('network', 'DELETE', `/v2.0/networks/${id}`),
  };
  for (const type of ORPHAN_ORDER.filter((t) => kinds.includes(t))) {
    for (const o of (await orphans()).filter((i) => i.type === type)) {
      const what = `orphan ${type === CLUSTER ? 'cluster' : type} ${o.id}`;
      try {
        await del[type](o.id);
        done.push(`deleted ${what}`);
      } catch (e) {
        done.push(`could not delete ${what}: ${(e as Error).message}`);
      }
    }
    for (const until = Date.now() + 900_000; type === CLUSTER && (await orphans()).some((i) => i.type === CLUSTER);) {
      if (Date.now() > until) throw new Error(`${stack}: orphan clusters still there after 15 min: ${describeInconsistencies(await orphans())}`);
      await sleep(10_000);
    }
  }
  for (const o of (await orphans()).filter((i) => !ORPHAN_ORDER.includes(i.type))) done.push(`left orphan ${o.type} ${o.id}: no way to delete it here`);
  return done;
}

/**
 * Removes what a failed chain left of a stack, so the shared cloud is clean again: the orphans that
 * would hold what the state has (clusters with the stack's name, their template, networks and floating
 * IPs; routers, a gateway on the external subnet and an interface on the cluster subnet), then
 * `cdktf destroy`, then every other object carrying the stack's names. Says what it did.
 */
export async function restoreStack(os: OpenStackClient, stack: string, logDir: string): Promise<string[]> {
  const done = await deleteOrphans(os, stack, { only: HOLDERS });
  for (let n = 1; readState(stack).length > 0 && n <= 2; n++) {
    const run = await runCdktf('destroy', stack, { logDir });
    done.push(`cdktf destroy ${stack}: ${run.status === 0 ? 'ok' : `exit ${run.status}: ${errorLines(run.output, 4)}`}`);
    if (run.status !== 0) await sleep(30_000);
  }
  return [...done, ...(await deleteOrphans(os, stack))];
}
