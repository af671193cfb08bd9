/**
 * `npm run bench`: costs measured side by side in one run, each the median of
 * several runs, compared as ratios (this machine is noisy; only ratios within
 * one run mean anything). Prints a table and writes .tmp/bench-results.json
 * (or BENCH_RESULTS). Each size of synth has two floors beside it: the same stack
 * written with the raw L1 bindings, and a process that only writes its JSON
 * (bench/floors.ts holds the bounds CI keeps the ratios within).
 * The cloud rows need the local cloud (npm run bench brings it up); BENCH_CLOUD=0
 * skips them. BENCH_RUNS, BENCH_CLOUD_RUNS and BENCH_TEARDOWN_LBS set the sizes,
 * BENCH_PLATFORMS the platform counts synthesized (1,10,100); BENCH_SYNTH_ONLY=1
 * keeps only the synth rows and their floors (with BENCH_CLOUD=0: CI's run).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { devcloudClient, devcloudEnv, DevcloudMemory, devcloudMemory, devcloudProjectClient } from '../devcloud';
import { shellQuote } from '../scripts/lib/shell-quote';
import { API_FLOOR, BENCH_PROJECT, Deleter, PARALLEL_CASCADE, SEQUENTIAL_ORDERED, teardownRows, timeTeardowns } from './cloud-teardown';
import { cliAgainstTerraform, deployAndDestroy, PLAN_ARGS, prepareStack, terraform } from './cloud-stack';
import {
  jsonFloorRow,
  median,
  platformCount,
  ratioViolations,
  rawL1Row,
  row,
  Row,
  Sample,
  shapeDifferences,
  shapeOf,
  SynthJson,
  synthRow,
  timedRow,
} from './floors';

const root = path.join(__dirname, '..', '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** Runs of each cloud measurement (a deploy/destroy cycle takes minutes). */
const CLOUD_RUNS = Number(process.env.BENCH_CLOUD_RUNS ?? 3);
/** Load balancer counts of the teardown rows. */
const TEARDOWN_LBS = (process.env.BENCH_TEARDOWN_LBS ?? '10,50').split(',').map(Number);
/** Platform counts of the synth rows, the first the baseline of the others. */
const PLATFORMS = (process.env.BENCH_PLATFORMS ?? '1,10,100').split(',').map(Number);
/** The size at which the raw L1 stack is checked to be the constructs' stack, before anything is timed. */
const SHAPE_CHECK_PLATFORMS = 10;
/** The app of N platforms made with the constructs. */
const APP = path.join(root, 'dist', 'bench', 'clusters-app.js');
const RESULTS = path.resolve(process.env.BENCH_RESULTS ?? path.join(root, '.tmp', 'bench-results.json'));

/** Linux's USER_HZ, the unit of /proc's CPU times (`getconf CLK_TCK`; 100 on every architecture Linux runs on). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU seconds, user and system, of the children this process has waited for (and theirs): the
 * `cutime` and `cstime` of /proc/self/stat (proc(5), fields 16 and 17); undefined off Linux.
 */
function childrenCpuSeconds(): number | undefined {
  if (!fs.existsSync('/proc/self/stat')) return undefined;
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  // Fields from the third on follow the command name, which may hold spaces but ends at the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / CLOCK_TICKS_PER_SECOND;
}

/** One temporary folder for the run's files (peak RSS, outputs), removed when the bench ends, with or without an error. */
let scratchDir: string | undefined;
function scratch(): string {
  if (scratchDir === undefined) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
    scratchDir = dir;
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return scratchDir;
}

/**
 * Runs a command RUNS times: wall time from here, CPU time of it and its children (Linux),
 * peak RSS as the largest any of its node processes reports (bench/peak-rss.js; node
 * exposes no RUSAGE_CHILDREN).
 */
function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = root, runs = RUNS): Sample[] {
  const rssFile = path.join(fs.mkdtempSync(path.join(scratch(), 'rss-')), 'rss');
  return Array.from({ length: runs }, () => runOnce(rssFile, cmd, args, env, cwd));
}

/** One run of a command, measured as {@link measure} says, its peak RSS read through `rssFile`. */
function runOnce(rssFile: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = root): Sample {
  const preload = path.join(root, 'bench', 'peak-rss.js');
  fs.writeFileSync(rssFile, '');
  const cpuBefore = childrenCpuSeconds();
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile, NODE_OPTIONS: `--require ${nodeOptionsQuote(preload)}` },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = childrenCpuSeconds();
  if (r.status !== 0) {
    throw new Error(`${[cmd, ...args].join(' ')} failed: ${r.stderr}`);
  }
  const peaks = fs.readFileSync(rssFile, 'utf8').split('\n').filter(Boolean).map(Number);
  const cpuSeconds = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
  return { seconds, rssMiB: Math.max(0, ...peaks) / 1024, cpuSeconds };
}

/**
 * Runs node scripts in turn, RUNS rounds of one run each, so that whatever else the machine is
 * doing falls on each of them alike: the samples of each, round by round.
 */
function measureInRounds(scripts: string[][]): Sample[][] {
  const rssFile = path.join(fs.mkdtempSync(path.join(scratch(), 'rss-')), 'rss');
  const rounds = Array.from({ length: RUNS }, () => scripts.map((args) => runOnce(rssFile, process.execPath, args)));
  return scripts.map((_, i) => rounds.map((round) => round[i]));
}

/**
 * `r` compared with its floor (see Row.floor), both measured in the same rounds: the median of the
 * rounds' ratios of CPU time (of wall time where the system does not tell CPU time), which the
 * rest of the machine's load moves least: it makes a run wait, not work.
 */
function withFloor(r: Row, samples: Sample[], floor: Row, floorSamples: Sample[]): Row {
  const cost = (s: Sample) => s.cpuSeconds ?? s.seconds;
  const floorRatio = median(samples.map((s, i) => cost(s) / cost(floorSamples[i])));
  return { ...r, floor: floor.name, floorRatio };
}

/**
 * NODE_OPTIONS is split at spaces by node itself, which reads a double-quoted value
 * (with `\\` and `\"` escaped) as one option value: a preload path with a space stays one.
 */
const nodeOptionsQuote = (value: string) => `"${value.replace(/[\\"]/g, '\\$&')}"`;

/** Requires each module named on its command line and prints the time taken and the RSS after. */
const LOAD_SCRIPT = `const t = process.hrtime.bigint(); for (const m of process.argv.slice(1)) require(m);
    console.log(JSON.stringify({ seconds: Number(process.hrtime.bigint() - t) / 1e9, rssMiB: process.memoryUsage().rss / 1048576 }));`;

/** Peak RSS of a node script that only loads modules: measured inside the child itself. */
function loadCost(requires: string[]): Sample[] {
  return Array.from({ length: RUNS }, () => {
    // The module paths go as arguments, not into the program's text.
    const r = spawnSync(process.execPath, ['-e', LOAD_SCRIPT, '--', ...requires], { encoding: 'utf8', cwd: root });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout) as Sample;
  });
}

/** Compiles the whole generated provider index once, for the import comparison. */
function compiledIndex(): string {
  const out = path.join(root, '.tmp', 'bench-gen');
  const index = path.join(out, '.gen', 'providers', 'openstack', 'index.js');
  if (!fs.existsSync(index)) {
    const r = spawnSync(
      'npx',
      [
        '--no-install',
        'tsc',
        '--outDir',
        out,
        '--rootDir',
        root,
        '--target',
        'ES2022',
        '--module',
        'commonjs',
        '--skipLibCheck',
        '--declaration',
        'false',
        path.join(root, '.gen', 'providers', 'openstack', 'index.ts'),
      ],
      { cwd: root, encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(r.stdout + r.stderr);
  }
  return index;
}

/** The one stack an app wrote to `outdir`: its cdk.tf.json and its shape, assets counted too. */
function synthesized(outdir: string): { file: string; shape: Record<string, number> } {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { synthesizedStackPath: string; workingDirectory: string }>;
  };
  const [stack] = Object.values(manifest.stacks);
  const file = path.join(outdir, stack.synthesizedStackPath);
  const assets = path.join(outdir, stack.workingDirectory, 'assets');
  const shape = shapeOf(JSON.parse(fs.readFileSync(file, 'utf8')) as SynthJson);
  return { file, shape: { ...shape, assets: fs.existsSync(assets) ? fs.readdirSync(assets).length : 0 } };
}

/** Runs `app` once for `n` platforms, untimed, into a folder of `work`; returns what it wrote. */
function synthOnce(app: string, n: number, work: string): ReturnType<typeof synthesized> {
  const outdir = fs.mkdtempSync(path.join(work, `${path.basename(app, '.js')}-${n}-`));
  const r = spawnSync(process.execPath, [app, String(n)], { cwd: root, encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: outdir } });
  if (r.status !== 0) throw new Error(`${app} ${n} failed: ${r.stderr}`);
  return synthesized(outdir);
}

/**
 * The synth rows, each size with its two floors, measured in rounds (see measureInRounds): the JSON
 * floor, the raw L1 stack (compared with the JSON floor) and the constructs (compared with the first
 * size's, and with the raw L1 stack); returns the first size's constructs row. The raw L1 stack is
 * first checked to make what the constructs make, so that it stays a floor.
 */
function synthRows(add: (r: Row) => Row, floor: Row): Row {
  const rawApp = path.join(root, 'dist', 'bench', 'raw-l1-app.js');
  const jsonFloor = path.join(root, 'dist', 'bench', 'json-floor.js');
  const work = fs.mkdtempSync(path.join(scratch(), 'floors-'));
  try {
    const expected = synthOnce(APP, SHAPE_CHECK_PLATFORMS, work);
    const differences = shapeDifferences(expected.shape, synthOnce(rawApp, SHAPE_CHECK_PLATFORMS, work).shape);
    if (differences.length > 0) {
      throw new Error(
        `bench/raw-l1-app.ts no longer makes the stack bench/clusters-app.ts makes (${SHAPE_CHECK_PLATFORMS} platforms; constructs vs raw L1):\n  ${differences.join('\n  ')}`,
      );
    }
    let first: Row | undefined;
    for (const n of PLATFORMS) {
      const written = n === SHAPE_CHECK_PLATFORMS ? expected : synthOnce(APP, n, work);
      const [jsonSamples, rawSamples, samples] = measureInRounds([
        [jsonFloor, written.file],
        [rawApp, String(n)],
        [APP, String(n)],
      ]);
      const json = add(row(jsonFloorRow(n), jsonSamples, floor));
      const raw = add(row(rawL1Row(n), rawSamples, json));
      const constructs = add(withFloor(row(synthRow(n), samples, first ?? floor), samples, raw, rawSamples));
      first ??= constructs;
    }
    return first!;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The rows that need the local cloud (devcloud/): plan, deploy/destroy, teardown. */
async function cloudRows(add: (r: Row) => Row): Promise<void> {
  // Fails first, naming the fix, when the cloud is not up.
  const client = await devcloudClient().catch((e: Error) => {
    throw new Error(`${e.message}, or BENCH_CLOUD=0 for the offline rows only`);
  });
  const copies = prepareStack(root, path.join(root, '.tmp', 'bench-cloud'), devcloudEnv);
  const planJson = add(row('terraform plan all-in-one, synthesized JSON', measure(terraform(), PLAN_ARGS, copies.env, copies.json, CLOUD_RUNS)));
  add(row('terraform plan all-in-one, same stack as HCL', measure(terraform(), PLAN_ARGS, copies.env, copies.hcl, CLOUD_RUNS), planJson));

  const taken = (await client.listVolumeTypes()).map((t) => t.name).filter((name) => copies.volumeTypes.includes(name));
  if (taken.length === 0) {
    // The project's command against plain Terraform on the JSON it synthesized (bench/cloud-stack.ts).
    const pairs = Array.from({ length: CLOUD_RUNS }, () => cliAgainstTerraform(root, path.join(root, '.tmp', 'bench-cli'), devcloudEnv));
    for (const step of ['deploy', 'destroy'] as const) {
      const plain = add(
        timedRow(
          `${step} all-in-one, terraform on the synthesized JSON`,
          pairs.map((p) => p.terraform[step]),
        ),
      );
      add(
        timedRow(
          `${step} all-in-one, npm run cdktf -- ${step}`,
          pairs.map((p) => p.cli[step]),
          plain,
        ),
      );
    }
  } else {
    // Deployed (npm start): the copies with names of the bench's own, plain Terraform only.
    process.stderr.write(
      `the all-in-one is deployed (volume type ${taken.join(', ')}): npm run cdktf -- destroy all-in-one, then run the bench again for npm run cdktf against plain Terraform\n`,
    );
    const cycles = Array.from({ length: CLOUD_RUNS }, () => deployAndDestroy(copies));
    const deploy = add(
      timedRow(
        'deploy all-in-one (terraform apply)',
        cycles.map((c) => c.deploy),
      ),
    );
    add(
      timedRow(
        'destroy all-in-one, teardown included',
        cycles.map((c) => c.destroy),
        deploy,
      ),
    );
  }

  // The teardown rows in a project of the bench's own: 50 security groups exceed the admin project's quota.
  const project = await devcloudProjectClient(BENCH_PROJECT);
  for (const [i, n] of TEARDOWN_LBS.entries()) {
    // The one-by-one delete only at the first size: it takes minutes, and its ratio was the same at 10 and 50.
    const deleters: Deleter[] = i === 0 ? [API_FLOOR, PARALLEL_CASCADE, SEQUENTIAL_ORDERED] : [API_FLOOR, PARALLEL_CASCADE];
    teardownRows(n, deleters, await timeTeardowns(project, n, CLOUD_RUNS, deleters)).forEach(add);
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const add = (r: Row) => {
    rows.push(r);
    process.stderr.write(`measured ${r.name}\n`);
    return r;
  };
  const floor = add(row('node -e 0 (the floor)', measure(process.execPath, ['-e', '0'])));
  const first = synthRows(add, floor);
  if (process.env.BENCH_SYNTH_ONLY === '1') return report(rows);
  const cdktf = path.join(root, 'node_modules', '.bin', 'cdktf');
  const cliOut = fs.mkdtempSync(path.join(scratch(), 'cli-'));
  const n = PLATFORMS[0];
  add(row(`synth ${platformCount(n)}, cdktf synth (CLI)`, measure(cdktf, ['synth', '--app', `node ${shellQuote(APP)} ${n}`, '--output', cliOut]), first));
  add(row('synth both example stacks (main.js)', measure(process.execPath, [path.join(root, 'dist', 'main.js')], { CDKTF_OUTDIR: cliOut }), floor));

  const deep = add(
    row(
      'load: deep imports of the 11 modules used',
      loadCost(
        fs
          .readdirSync(path.join(root, 'dist', '.gen', 'providers', 'openstack'))
          .map((d) => path.join(root, 'dist', '.gen', 'providers', 'openstack', d, 'index.js')),
      ),
    ),
  );
  add(row('load: the provider index (all 170 modules)', loadCost([compiledIndex()]), deep));
  if (process.env.BENCH_CLOUD !== '0') {
    await cloudRows(add);
    // After the cloud rows: what the daemons hold once they have done the bench's work.
    return report(rows, devcloudMemory());
  }
  report(rows);
}

/** Prints the table and the ratio bounds broken, and writes both to RESULTS. */
function report(rows: Row[], cloudMemory?: DevcloudMemory): void {
  const table = [
    ['measurement', 'median s', 'median CPU s', 'median RSS MiB', 'runs', 'vs raw L1', 'ratio'],
    ...rows.map((r) => [
      r.name,
      r.medianSeconds.toFixed(3),
      r.medianCpuSeconds?.toFixed(2) ?? '-',
      r.medianRssMiB ? r.medianRssMiB.toFixed(0) : '-',
      String(r.runs),
      r.floorRatio ? `${r.floorRatio.toFixed(2)}x` : '',
      r.ratio ? `${r.ratio.toFixed(2)}x ${r.baseline}` : '',
    ]),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((line) => line[i].length)));
  console.log(table.map((line) => line.map((cell, i) => cell.padEnd(widths[i])).join('  ')).join('\n'));
  const violations = ratioViolations(rows);
  console.log(violations.length === 0 ? 'ratio bounds (bench/floors.ts): all kept' : `ratio bounds (bench/floors.ts) broken:\n  ${violations.join('\n  ')}`);
  if (cloudMemory) {
    const daemons = Object.entries(cloudMemory.daemonsMiB).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0));
    console.log(`local cloud, resident MiB per daemon (devcloud/status.sh), ${cloudMemory.totalMiB} in all:`);
    console.log(daemons.map(([name, mib]) => `  ${name.padEnd(18)} ${mib ?? 'down'}`).join('\n'));
  }
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(
    RESULTS,
    JSON.stringify(
      {
        machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
        runs: RUNS,
        cloudRuns: CLOUD_RUNS,
        rows,
        violations,
        cloudMemory,
      },
      null,
      2,
    ),
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
