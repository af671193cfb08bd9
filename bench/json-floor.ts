/**
 * The absolute floor of synthesizing N platforms: a process that only writes their cdk.tf.json,
 * as cdktf writes it (its own json-stable-stringify: keys sorted, two-space indent), into a fresh
 * outdir. It is measured as the synth processes are (bench/run.ts: wall time of the whole
 * process), so that the ratios mean the same: node's start is in it as in them, cdktf and the
 * bindings are not loaded, and no construct is made. The object written is the constructs' own
 * output for N platforms, read and parsed first (JSON.parse: the cheapest way to hold it, a few
 * ms at 100 platforms, the one cost here a synth does not have).
 *   node dist/bench/json-floor.js path/to/cdk.tf.json
 */
import * as fs from 'fs';
import { createRequire } from 'module';
import * as os from 'os';
import * as path from 'path';

/** The serializer cdktf's StackSynthesizer writes cdk.tf.json with (a dependency of cdktf's own). */
const stringify = createRequire(require.resolve('cdktf'))('json-stable-stringify') as (value: unknown, options: { space: number }) => string;

const source = process.argv[2];
if (!source) throw new Error('usage: node json-floor.js path/to/cdk.tf.json');
const config: unknown = JSON.parse(fs.readFileSync(source, 'utf8'));
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-json-'));
// Where cdktf writes it: stacks/<the stack's name>/, as in the source.
const stackDir = path.join(outdir, 'stacks', path.basename(path.dirname(source)));
fs.mkdirSync(stackDir, { recursive: true });
fs.writeFileSync(path.join(stackDir, 'cdk.tf.json'), stringify(config, { space: 2 }));
fs.rmSync(outdir, { recursive: true, force: true });
