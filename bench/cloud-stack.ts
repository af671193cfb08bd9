/**
 * The all-in-one example stack against the local cloud, in a private copy with its own
 * state (never the project's terraform.all-in-one.tfstate that `npm start` uses):
 * `terraform plan` of the synthesized JSON against the same stack as HCL
 * (`cdktf synth --hcl`), and the wall time of a deploy and of a destroy. Its physical
 * network and volume type get names of their own, so a deployed all-in-one is left alone.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { devcloudOverrides } from '../devcloud';

const STACK = 'all-in-one';

/** The two renderings of the stack, each initialised once, sharing one (empty) state path. */
export interface StackCopies {
  readonly json: string;
  readonly hcl: string;
  readonly env: NodeJS.ProcessEnv;
  /** The stack's own volume type names (the copies have names of the bench's own): taken while the stack is deployed. */
  readonly volumeTypes: string[];
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): void {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed:\n${(r.stdout + r.stderr).slice(-3000)}`);
  }
}

/**
 * Synthesizes the stack as JSON (the compiled app) and as HCL (the cdktf CLI) under
 * `work`, and runs `terraform init` in both. The stacks' relative local backend puts
 * both states at `work/terraform.all-in-one.tfstate`.
 */
export function prepareStack(root: string, work: string, cloudEnv: NodeJS.ProcessEnv): StackCopies {
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const site = path.join(work, 'site.json');
  const overrides = devcloudOverrides();
  // A flat physical network carries one Neutron network: a name of the bench's own.
  overrides[STACK] = { ...overrides[STACK], physicalNetwork: `bench${process.pid}` };
  fs.writeFileSync(site, JSON.stringify(overrides));
  const env = { ...process.env, ...cloudEnv, MAGNUM_CDKTF_CONFIG: site, FORCE_COLOR: '0' };
  run(process.execPath, [path.join(root, 'dist', 'main.js')], root, { ...env, CDKTF_OUTDIR: path.join(work, 'json') });
  run('bash', [path.join(root, 'scripts', 'cdktf.sh'), 'synth', '--hcl', '--output', path.join(work, 'hcl')], root, env);
  const copies = { json: path.join(work, 'json', 'stacks', STACK), hcl: path.join(work, 'hcl', 'stacks', STACK), env, volumeTypes: [] as string[] };
  // Cinder volume type names are unique: one of the bench's own, so that an all-in-one
  // deployed on the same cloud (npm start, the stack e2e) neither blocks nor is touched.
  const synthesized = JSON.parse(fs.readFileSync(path.join(copies.json, 'cdk.tf.json'), 'utf8'));
  for (const volumeType of Object.values<{ name: string }>(synthesized.resource.openstack_blockstorage_volume_type_v3)) {
    copies.volumeTypes.push(volumeType.name);
    for (const file of [path.join(copies.json, 'cdk.tf.json'), path.join(copies.hcl, 'cdk.tf')]) {
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replaceAll(`"${volumeType.name}"`, `"bench-${volumeType.name}-${process.pid}"`));
    }
  }
  for (const dir of [copies.json, copies.hcl]) run(terraform(), ['init', '-input=false', '-no-color'], dir, env);
  return copies;
}

/** The Terraform CLI the toolchain chose (scripts/toolchain.sh). */
export function terraform(): string {
  return process.env.TERRAFORM_BINARY_NAME ?? 'terraform';
}

/** `terraform plan` in a prepared copy: reads the (empty) state, configures the provider against the cloud. */
export const PLAN_ARGS = ['plan', '-input=false', '-lock=false', '-no-color'];

/** Deploys the JSON copy, then destroys it; returns both wall times in seconds. */
export function deployAndDestroy(copies: StackCopies): Cycle {
  const tf = (command: string) => timedRun(terraform(), [command, '-input=false', '-auto-approve', '-no-color'], copies.json, copies.env);
  return cycle(
    () => tf('apply'),
    () => tf('destroy'),
  );
}

/** A deploy, then a destroy; when the deploy fails, a destroy still runs (nothing left on the shared cloud), then its error. */
function cycle(deploy: () => number, destroy: () => number): Cycle {
  let deployed: number;
  try {
    deployed = deploy();
  } catch (error) {
    try {
      destroy();
    } catch {
      /* the deploy's error is the one to see */
    }
    throw error;
  }
  return { deploy: deployed, destroy: destroy() };
}

/** Wall times of one deploy and one destroy. */
export interface Cycle {
  readonly deploy: number;
  readonly destroy: number;
}

/** A command's wall seconds; fails naming its output's tail. */
function timedRun(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  run(cmd, args, cwd, env);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/**
 * What the project's command costs beside plain Terraform, on the same JSON: `npm run cdktf -- deploy
 * all-in-one` and `destroy` (scripts/cdktf.sh: synth, terraform init, the step before Terraform, the cdktf
 * CLI) in a copy of the tree with a state of its own, then `terraform apply` and `destroy` of the very
 * cdk.tf.json that run synthesized, in a folder of its own. The copy deploys the stack under its real names:
 * run it only while the all-in-one is not deployed on the cloud ({@link StackCopies.volumeTypes} free).
 */
export function cliAgainstTerraform(root: string, work: string, cloudEnv: NodeJS.ProcessEnv): { cli: Cycle; terraform: Cycle } {
  fs.rmSync(work, { recursive: true, force: true });
  const tree = path.join(work, 'tree');
  run('bash', ['-c', 'source "$1/scripts/lib/common.sh" && copy_tree "$2"', '_', root, tree], root, process.env);
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(tree, 'node_modules'));
  // Built and generated already: the copy's run measures the command, not a first setup. Copied, links
  // followed: the copy writes its own .toolchain/devcloud-site.json.
  for (const built of ['.gen', 'dist', '.toolchain']) fs.cpSync(path.join(root, built), path.join(tree, built), { recursive: true, dereference: true });
  // As on a fresh clone, for both halves: no cloud of the user's (no OS_* variable, no site file), so
  // `npm run cdktf` targets the local cloud with its site overrides (devcloud/target.sh: the stand-in image,
  // never a download), and plain Terraform reads the local cloud's clouds.yaml alone.
  const fresh = { ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^OS_|^MAGNUM_CDKTF_(BASE_)?CONFIG$/.test(key))), FORCE_COLOR: '0' };
  const npm = (command: string) => timedRun('npm', ['run', '--silent', 'cdktf', '--', command, STACK, '--auto-approve'], tree, fresh);
  const cli = cycle(
    () => npm('deploy'),
    () => npm('destroy'),
  );
  // The stack's folder of the last run (scripts/cdktf.sh synthesizes into cdktf.out.run-<pid>), assets
  // included, three levels below `work/plain` so that the relative local backend puts the state there.
  const [last] = fs
    .readdirSync(tree)
    .filter((d) => d.startsWith('cdktf.out.run-'))
    .map((d) => path.join(tree, d, 'stacks', STACK))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  const plain = path.join(work, 'plain', 'out', 'stacks', STACK);
  fs.cpSync(last, plain, { recursive: true, filter: (src) => path.basename(src) !== '.terraform' });
  const env = { ...fresh, ...cloudEnv };
  run(terraform(), ['init', '-input=false', '-no-color'], plain, env);
  const tf = (args: string[]) => timedRun(terraform(), [...args, '-input=false', '-auto-approve', '-no-color'], plain, env);
  return {
    cli,
    terraform: cycle(
      () => tf(['apply']),
      () => tf(['destroy']),
    ),
  };
}
