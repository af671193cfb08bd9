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
  const copies = { json: path.join(work, 'json', 'stacks', STACK), hcl: path.join(work, 'hcl', 'stacks', STACK), env };
  // Cinder volume type names are unique: one of the bench's own, so that an all-in-one
  // deployed on the same cloud (npm start, the stack e2e) neither blocks nor is touched.
  const synthesized = JSON.parse(fs.readFileSync(path.join(copies.json, 'cdk.tf.json'), 'utf8'));
  for (const volumeType of Object.values<{ name: string }>(synthesized.resource.openstack_blockstorage_volume_type_v3)) {
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
export function deployAndDestroy(copies: StackCopies): { deploy: number; destroy: number } {
  const timed = (args: string[]) => {
    const started = process.hrtime.bigint();
    run(terraform(), args, copies.json, copies.env);
    return Number(process.hrtime.bigint() - started) / 1e9;
  };
  const destroyArgs = ['destroy', '-input=false', '-auto-approve', '-no-color'];
  let deploy: number;
  try {
    deploy = timed(['apply', '-input=false', '-auto-approve', '-no-color']);
  } catch (error) {
    // Leave nothing behind on the shared cloud, then report the deploy's failure.
    try {
      timed(destroyArgs);
    } catch {
      /* the deploy's error is the one to see */
    }
    throw error;
  }
  return { deploy, destroy: timed(destroyArgs) };
}
