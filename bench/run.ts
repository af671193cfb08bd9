/**
 * `npm run bench`: costs measured side by side in one run, each the median of
 * several runs, compared as ratios (this machine is noisy; only ratios within
 * one run mean anything). Prints a table and writes .tmp/bench-results.json.
 * The cloud rows need the local cloud (npm run bench brings it up); BENCH_CLOUD=0
 * skips them. BENCH_RUNS, BENCH_CLOUD_RUNS and BENCH_TEARDOWN_LBS set the sizes.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { devcloudClient, devcloudEnv } from '../devcloud';
import { shellQuote } from '../scripts/lib/shell-quote';
import { PARALLEL_CASCADE, SEQUENTIAL_ORDERED, timeTeardowns } from './cloud-teardown';
import { deployAndDestroy, PLAN_ARGS, prepareStack, terraform } from './cloud-stack';

const root = path.join(__dirname, '..', '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** Runs of each cloud measurement (a deploy/destroy cycle takes minutes). */
const CLOUD_RUNS = Number(process.env.BENCH_CLOUD_RUNS ?? 3);
/** Load balancer counts of the teardown rows. */
const TEARDOWN_LBS = (process.env.BENCH_TEARDOWN_LBS ?? '10,50').split(',').map(Number);

/** One measured command: wall seconds and peak resident MiB per run. */
interface Sample {
  seconds: number;
  rssMiB: number;
}

/** A row of the table. */
export interface Row {
  readonly name: string;
  readonly medianSeconds: number;
  readonly medianRssMiB: number;
  readonly runs: number;
  /** Name of the row this one is compared with, and the ratio of their medians. */
  readonly baseline?: string;
  readonly ratio?: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/**
 * Runs a command RUNS times: wall time from here, peak RSS as the largest any of
 * its node processes reports (bench/peak-rss.js; node exposes no RUSAGE_CHILDREN).
 */
function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = root, runs = RUNS): Sample[] {
  const rssFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-rss-')), 'rss');
  const preload = path.join(root, 'bench', 'peak-rss.js');
  return Array.from({ length: runs }, () => {
    fs.writeFileSync(rssFile, '');
    const started = process.hrtime.bigint();
    const r = spawnSync(cmd, args, {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile, NODE_OPTIONS: `--require ${nodeOptionsQuote(preload)}` },
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (r.status !== 0) {
      throw new Error(`${[cmd, ...args].join(' ')} failed: ${r.stderr}`);
    }
    const peaks = fs.readFileSync(rssFile, 'utf8').split('\n').filter(Boolean).map(Number);
    return { seconds, rssMiB: Math.max(0, ...peaks) / 1024 };
  });
}

function row(name: string, samples: Sample[], baseline?: Row): Row {
  const medianSeconds = median(samples.map((s) => s.seconds));
  return {
    name,
    medianSeconds,
    medianRssMiB: median(samples.map((s) => s.rssMiB)),
    runs: samples.length,
    baseline: baseline?.name,
    ratio: baseline ? medianSeconds / baseline.medianSeconds : undefined,
  };
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

/** Rows of times measured elsewhere (no memory figure): seconds per run. */
function timedRow(name: string, seconds: number[], baseline?: Row): Row {
  return row(
    name,
    seconds.map((s) => ({ seconds: s, rssMiB: 0 })),
    baseline,
  );
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

  for (const n of TEARDOWN_LBS) {
    const [cascade, ordered] = await timeTeardowns(client, n, CLOUD_RUNS, [PARALLEL_CASCADE, SEQUENTIAL_ORDERED]);
    const parallel = add(timedRow(`teardown ${n} LBs, parallel cascade (8 at once)`, cascade));
    add(timedRow(`teardown ${n} LBs, sequential ordered delete`, ordered, parallel));
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const add = (r: Row) => {
    rows.push(r);
    process.stderr.write(`measured ${r.name}\n`);
    return r;
  };
  const app = path.join(root, 'dist', 'bench', 'clusters-app.js');
  const cdktf = path.join(root, 'node_modules', '.bin', 'cdktf');
  const cliOut = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cli-'));

  const floor = add(row('node -e 0 (the floor)', measure(process.execPath, ['-e', '0'])));
  const one = add(row('synth 1 platform, node on compiled JS', measure(process.execPath, [app, '1']), floor));
  add(row('synth 1 platform, cdktf synth (CLI)', measure(cdktf, ['synth', '--app', `node ${shellQuote(app)} 1`, '--output', cliOut]), one));
  add(row('synth both example stacks (main.js)', measure(process.execPath, [path.join(root, 'dist', 'main.js')], { CDKTF_OUTDIR: cliOut }), floor));
  add(row('synth 10 platforms', measure(process.execPath, [app, '10']), one));
  add(row('synth 100 platforms', measure(process.execPath, [app, '100']), one));

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
  if (process.env.BENCH_CLOUD !== '0') await cloudRows(add);

  const table = [
    ['measurement', 'median s', 'median RSS MiB', 'runs', 'ratio'],
    ...rows.map((r) => [
      r.name,
      r.medianSeconds.toFixed(3),
      r.medianRssMiB ? r.medianRssMiB.toFixed(0) : '-',
      String(r.runs),
      r.ratio ? `${r.ratio.toFixed(1)}x ${r.baseline}` : '',
    ]),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((line) => line[i].length)));
  console.log(table.map((line) => line.map((cell, i) => cell.padEnd(widths[i])).join('  ')).join('\n'));
  fs.mkdirSync(path.join(root, '.tmp'), { recursive: true });
  fs.writeFileSync(
    path.join(root, '.tmp', 'bench-results.json'),
    JSON.stringify(
      { machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`, runs: RUNS, cloudRuns: CLOUD_RUNS, rows },
      null,
      2,
    ),
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
