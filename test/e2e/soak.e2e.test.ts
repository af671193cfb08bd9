import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { OpenStackClient } from '../../runtime/openstack';
import { devcloudClient, devcloudEnv } from '../../devcloud';
import { CensusKind, DevcloudMemory, devcloudMemory, settledDiff, takeCensus } from '../support/cloud-census';
import {
  CdktfRun,
  addServiceLoadBalancer,
  cdktf,
  ClusterBody,
  clusterSubnet,
  readmeEnv,
  resourcesInState,
  runCdktf,
  succeeded,
} from '../support/example-stacks';
import { CdktnFlavour, destroyLeft, makeCdktnFlavour } from '../support/cdktn-flavour';

/**
 * Soak: the all-in-one stack deployed, given what the cloud provider makes for a LoadBalancer
 * Service (the LB tree with a floating IP, a security group), and destroyed, again and again, with
 * the README's commands. After every cycle the whole cloud is counted again (test/support/cloud-census.ts:
 * every project, Heat's and Magnum's own objects too) and compared with the count before the first
 * cycle, so whatever a cycle leaves behind fails the test by name. The devcloud daemons' resident
 * memory is read before the first and after the last cycle. Prints a table and writes
 * .tmp/soak-report.json.
 *
 * The cycles alternate between the two lines the project runs on: the odd ones the CDK Terrain flavour
 * (test/support/cdktn-flavour.ts: cdktn on Node 22, OpenTofu), the even ones this checkout (cdktf on Node 20,
 * Terraform), deploying the same stack with the same names, so that each line starts from what the other
 * left.
 *
 * MAGNUM_CDKTF_SOAK_CYCLES sets the number of cycles: 1 by default, so that the maintained line is deployed
 * and destroyed, teardown included, in every default run (this checkout's line is, through the same README
 * commands and with the same census, in stacks.e2e.test.ts); 2 for the first cycle that starts from what a
 * whole cycle left; 20 for the long run. MAGNUM_CDKTF_SOAK_LINES: `cdktn,cdktf` by default; `cdktf` (or
 * `cdktn`) runs every cycle on that line alone.
 */

const STACK = 'all-in-one';
const root = path.join(__dirname, '..', '..');
const REPORT = path.join(root, '.tmp', 'soak-report.json');
/** How long a census may take to come back to the one before, after destroy returned: deletes the APIs finish late. */
const SETTLE_SECONDS = 30;

function soakCycles(value = '1'): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`MAGNUM_CDKTF_SOAK_CYCLES = ${value}: not a whole number of cycles. Fix: set it to 1 or more (1 by default, 20 for the long run).`);
  }
  return n;
}
const CYCLES = soakCycles(process.env.MAGNUM_CDKTF_SOAK_CYCLES);

/** The project's lines: this checkout, and its CDK Terrain flavour. */
type Line = 'cdktf' | 'cdktn';
function soakLines(value = 'cdktn,cdktf'): Line[] {
  const lines = value.split(',').map((l) => l.trim());
  const wrong = lines.filter((l) => l !== 'cdktf' && l !== 'cdktn');
  if (lines.length === 0 || wrong.length > 0) {
    throw new Error(
      `MAGNUM_CDKTF_SOAK_LINES = ${value}: ${wrong.join(', ') || 'empty'} is no line. Fix: cdktf, cdktn, or both comma-separated (the default, cdktn,cdktf).`,
    );
  }
  return lines as Line[];
}
const LINES = soakLines(process.env.MAGNUM_CDKTF_SOAK_LINES);
const lineOf = (cycle: number): Line => LINES[(cycle - 1) % LINES.length];
/** The lines the cycles run on: fewer than LINES when there are fewer cycles. */
const LINES_RUN = LINES.slice(0, CYCLES);
/** What the README's command prints of the CLI, Node and Terraform CLI it runs (scripts/cdktf.sh). */
const ranWith = (run: CdktfRun) => /^\[cdktf\] (\S+ on Node v\d+)\.\d+\.\d+, (\S+)$/m.exec(run.output)?.slice(1).join(', ') ?? 'not said';
/** What each line must say it ran with. */
const RUNS_WITH: Record<Line, string> = { cdktf: `cdktf on Node v${process.versions.node.split('.')[0]}, terraform`, cdktn: 'cdktn on Node v22, tofu' };
/** What a deployed stack's diffs must say: the line's own `diff`, and the PR workflow's plan of it. */
const UNCHANGED = `diff: No changes; PR plan: \`${STACK}\` — no changes (terraform plan)`;
// A cycle takes about 3 minutes here; twice that each, and the first destroy of a stack left deployed.
jest.setTimeout((CYCLES * 6 + 15) * 60_000);

/** What one cycle took and left. */
interface CycleReport {
  readonly cycle: number;
  /** The line, and what its deploy said it ran with. */
  readonly line: Line;
  readonly ranWith: string;
  /** What the line's `cdktf diff` / `cdktn diff` and the PR workflow's plan said of the deployed stack. */
  readonly unchanged: string;
  readonly deploySeconds: number;
  /** Adding the Service LB, its floating IP and security group. */
  readonly cloudProviderSeconds: number;
  readonly destroySeconds: number;
  /** From destroy's end until the census matched the one before (or gave up). */
  readonly settleSeconds: number;
  readonly seconds: number;
  /** What differs from the census before the first cycle: `+` left behind, `-` gone. */
  readonly leaks: string[];
}

let os: OpenStackClient;
let flavour: CdktnFlavour | undefined;
const cycles: CycleReport[] = [];
let memoryBefore: DevcloudMemory | undefined;
let memoryAfter: DevcloudMemory | undefined;

const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;
/** The lines of a run's output that say why it failed (Terraform's errors), in short. */
const firstError = (output: string) =>
  output
    .split('\n')
    .filter((l) => /error/i.test(l))
    .slice(0, 6)
    .join('\n');
const flat = (diff: Partial<Record<CensusKind, string[]>>) => Object.entries(diff).flatMap(([kind, objects]) => objects.map((o) => `${kind} ${o}`));

function writeReport(final: Partial<Record<CensusKind, string[]>> | undefined): void {
  const daemons = Object.keys({ ...memoryBefore?.daemonsMiB, ...memoryAfter?.daemonsMiB });
  const rows = [
    ...daemons.map((d) => [d, memoryBefore?.daemonsMiB[d], memoryAfter?.daemonsMiB[d]] as const),
    ['total (status.sh)', memoryBefore?.totalMiB, memoryAfter?.totalMiB] as const,
  ];
  const report = {
    date: new Date().toISOString(),
    stack: STACK,
    lines: LINES_RUN,
    cyclesAsked: CYCLES,
    cyclesRun: cycles.length,
    secondsPerCycle: cycles.map((c) => c.seconds),
    leaksPerCycle: cycles.map((c) => c.leaks.length),
    cycles,
    leftBehind: final ? flat(final) : 'not counted: the soak stopped before its last census',
    rssMiB: Object.fromEntries(rows.map(([d, before, after]) => [d, { before: before ?? null, after: after ?? null }])),
  };
  fs.mkdirSync(path.dirname(REPORT), { recursive: true });
  fs.writeFileSync(REPORT, `${JSON.stringify(report, null, 2)}\n`);
  const pad = (cells: (string | number | null | undefined)[]) => cells.map((c, i) => String(c ?? '-').padEnd(i === 0 ? 18 : 11)).join(' ');
  const delta = (b?: number | null, a?: number | null) => (typeof b === 'number' && typeof a === 'number' ? `${a - b >= 0 ? '+' : ''}${a - b}` : '-');
  console.log(
    [
      `soak of ${STACK}: ${cycles.length} of ${CYCLES} cycles (deploy, cloud-provider LB + floating IP + security group, destroy, census)`,
      pad(['cycle', 'deploy s', 'LB s', 'destroy s', 'settle s', 'cycle s', 'leaks', 'ran with']),
      ...cycles.map((c) => pad([c.cycle, c.deploySeconds, c.cloudProviderSeconds, c.destroySeconds, c.settleSeconds, c.seconds, c.leaks.length, c.ranWith])),
      '',
      pad(['daemon', 'RSS MiB', 'after', 'change']),
      ...rows.map(([d, before, after]) => pad([d, before, after, delta(before, after)])),
      `report: ${path.relative(root, REPORT)}`,
    ].join('\n'),
  );
}

beforeAll(async () => {
  os = await devcloudClient();
  // A stack left deployed (`npm start` leaves it so) would be counted before and missed after: destroy it
  // first, as the stacks e2e test does at its end.
  if (resourcesInState(STACK) > 0) cdktf(['destroy', STACK, '--auto-approve']);
  if (LINES_RUN.includes('cdktn')) flavour = makeCdktnFlavour(STACK);
  // (the flavour waits for OpenTofu, which test.sh builds in the background: about 23 minutes on a cold machine)
}, 45 * 60_000);

afterAll(() => {
  // A cycle that failed half-way must not leave the stack deployed on the shared cloud, from either line.
  if (resourcesInState(STACK) > 0) {
    const run = runCdktf(['destroy', STACK, '--auto-approve']);
    if (run.status !== 0) console.error(`soak cleanup: destroy ${STACK} failed:\n${run.output.slice(-2000)}`);
  }
  try {
    if (flavour) destroyLeft(flavour, STACK);
  } catch (e) {
    console.error(`soak cleanup: ${(e as Error).message.slice(-2000)}`);
  }
});

/** The README's command on a cycle's line. */
const readme = (line: Line, args: string[]): CdktfRun => (line === 'cdktn' && flavour ? flavour.run(args) : runCdktf(args));

/**
 * What the deployed stack's diffs say on a cycle's line: the README's `npm run cdktf -- diff` (`cdktn diff` in the
 * flavour), and the PR workflow's Diff step with the cloud's credentials (.github/workflows/diff.yml: the line's
 * toolchain sourced, then `pr-diff.js --head cdktf.out --plan`, cdktf.out holding the deploy's synth).
 */
function diffs(line: Line): string {
  const cli = readme(line, ['diff', STACK]);
  const cliSays = cli.status === 0 && /No changes/.test(cli.output) ? 'No changes' : `exit ${cli.status}: ${firstError(cli.output) || cli.output.slice(-300)}`;
  const cwd = line === 'cdktn' && flavour ? flavour.project : root;
  const PATH = line === 'cdktn' && flavour ? flavour.path : process.env.PATH;
  const pr = spawnSync('bash', ['-c', 'source .toolchain/env && exec node dist/scripts/pr-diff.js --head cdktf.out --plan'], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...readmeEnv({ PATH }), ...devcloudEnv },
  });
  const heading =
    pr.stdout
      .split('\n')
      .find((l) => l.startsWith(`### \`${STACK}\``))
      ?.slice(4) ?? `no heading (exit ${pr.status}): ${pr.stderr.slice(-300)}`;
  return `diff: ${cliSays}; PR plan: ${heading}`;
}

test(`${CYCLES} cycle${CYCLES === 1 ? '' : 's'} of deploy, cloud-provider load balancer and destroy, on ${LINES_RUN.join(' and ')}${LINES_RUN.length > 1 ? ' in turn' : ''}, leave the cloud as it was`, async () => {
  // GIVEN the flavour of the maintained line: cdktn's CLI and runtime, no cdktf anywhere, Node 22, OpenTofu
  if (flavour) {
    expect(flavour.describe()).toEqual({
      cdktn: true,
      cdktnCli: true,
      cdktf: false,
      cdktfCli: false,
      node: expect.stringMatching(/^v22\./),
      engine: expect.stringMatching(/^OpenTofu v1\.10\.\d+/),
    });
  }
  // AND the cloud as it is, counted, and its daemons' memory
  const before = await takeCensus();
  memoryBefore = devcloudMemory();
  let final: Partial<Record<CensusKind, string[]>> | undefined;
  let destroy = 'not run';
  try {
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      // WHEN deployed with the README's command, on this cycle's line
      const line = lineOf(cycle);
      const start = Date.now();
      const outputsFile = path.join(root, '.tmp', `soak-outputs-${STACK}.json`);
      const deployed = readme(line, ['deploy', STACK, '--auto-approve', '--outputs-file', outputsFile]);
      succeeded([`deploy (cycle ${cycle}, ${line})`, STACK], deployed);
      const deploySeconds = seconds(start);

      // AND the line's diff and the PR workflow's plan find nothing to change
      const unchanged = diffs(line);

      // AND Kubernetes' cloud provider has made a Service LB, its floating IP and security group
      const providerStart = Date.now();
      const out = JSON.parse(fs.readFileSync(outputsFile, 'utf8'))[STACK];
      const cluster = await os.request<ClusterBody>('container-infra', 'GET', `/clusters/${out.cluster_id}`);
      await addServiceLoadBalancer(os, out.cluster_id, await clusterSubnet(os, cluster), out.external_network_id);
      const cloudProviderSeconds = seconds(providerStart);

      // AND destroyed with the README's command (a failed destroy is counted too: the census says what it left)
      const destroyStart = Date.now();
      const destroyed = readme(line, ['destroy', STACK, '--auto-approve']);
      destroy = destroyed.status === 0 ? 'succeeded' : `failed: ${firstError(destroyed.output)}`;
      const destroySeconds = seconds(destroyStart);

      // THEN (below) it succeeded, and the cloud holds what it held before the first cycle
      const settled = await settledDiff(before, SETTLE_SECONDS);
      final = settled.diff;
      cycles.push({
        cycle,
        line,
        ranWith: ranWith(deployed),
        unchanged,
        deploySeconds,
        cloudProviderSeconds,
        destroySeconds,
        settleSeconds: settled.seconds,
        seconds: seconds(start),
        leaks: flat(final),
      });
      // One failing cycle is enough; the next would only add to it.
      if (destroy !== 'succeeded' || Object.keys(final).length > 0) break;
    }
  } finally {
    memoryAfter = devcloudMemory();
    writeReport(final);
  }
  expect({ destroy, leftBehind: final }).toEqual({ destroy: 'succeeded', leftBehind: {} });
  // AND every cycle ran on its line: the CLI, Node and Terraform CLI its deploy said it ran with
  expect(cycles.map((c) => c.ranWith)).toEqual(cycles.map((c) => RUNS_WITH[c.line]));
  // AND on each, a diff of the deployed stack, the line's own and the PR workflow's plan, found nothing to change
  expect(cycles.map((c) => c.unchanged)).toEqual(cycles.map(() => UNCHANGED));
});
