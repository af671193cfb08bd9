import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CdktfRun, resourcesInState, runCdktf, succeeded } from './example-stacks';

/**
 * The maintained line for the e2e tests: the CDK Terrain flavour of this project (scripts/cdktn-swap.sh: cdktn and
 * cdktn-cli 0.24 in place of cdktf, bindings made by `cdktn get`, all on Node 22), with OpenTofu in place of
 * Terraform (MAGNUM_CDKTF_TERRAFORM=opentofu: built from Go modules, tools/opentofu), in .tmp/cdktn-e2e/project,
 * its README commands run as this checkout's are (example-stacks.ts).
 *
 * @waitsFor opentofu (scripts/toolchain.sh builds it; npm test starts that in the background)
 */

const root = path.join(__dirname, '..', '..');

/** A flavour made by {@link makeCdktnFlavour}. */
export interface CdktnFlavour {
  readonly project: string;
  /** PATH for what runs there: its Node (22) first. */
  readonly path: string;
  /** The flavour's `npm run cdktf -- <args>`, its Node (22) first on PATH. */
  run(args: string[]): CdktfRun;
  /** What it runs on, for a test to assert: the packages installed, Node's version, the Terraform CLI's. */
  describe(): { cdktn: boolean; cdktnCli: boolean; cdktf: boolean; cdktfCli: boolean; node: string; engine: string };
}

const PROJECT = path.join(root, '.tmp', 'cdktn-e2e', 'project');

/** The flavour's runner, whether or not the folder holds one yet. */
function flavour(node22Bin: string): CdktnFlavour {
  const installed = (name: string) => fs.existsSync(path.join(PROJECT, 'node_modules', name, 'package.json'));
  const PATH = `${node22Bin}:${process.env.PATH}`;
  return {
    project: PROJECT,
    path: PATH,
    run: (args) => runCdktf(args, { PATH }, PROJECT),
    describe: () => {
      const engine = /^export TERRAFORM_BINARY_NAME='([^']+)'$/m.exec(fs.readFileSync(path.join(PROJECT, '.toolchain', 'env'), 'utf8'))?.[1] ?? '';
      return {
        cdktn: installed('cdktn'),
        cdktnCli: installed('cdktn-cli'),
        cdktf: installed('cdktf'),
        cdktfCli: installed('cdktf-cli'),
        node: spawnSync(path.join(node22Bin, 'node'), ['--version'], { encoding: 'utf8' }).stdout.trim(),
        engine: spawnSync(engine, ['version'], { encoding: 'utf8' }).stdout.split('\n')[0],
      };
    },
  };
}

/**
 * Makes the flavour afresh (about a minute: npm, `cdktn get`, tsc; OpenTofu built once, then cached). A stack a
 * killed run left deployed from the flavour is destroyed first with it: the swap empties the folder that holds its state.
 */
export function makeCdktnFlavour(stack: string): CdktnFlavour {
  const node22 = spawnSync('bash', [path.join(root, 'scripts', 'node22.sh')], { encoding: 'utf8' });
  if (node22.status !== 0) throw new Error(`scripts/node22.sh failed: ${node22.stderr.slice(-2000)}`);
  const made = flavour(path.dirname(node22.stdout.trim()));
  destroyLeft(made, stack);
  const swap = spawnSync('bash', [path.join(root, 'scripts', 'cdktn-swap.sh'), PROJECT], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, MAGNUM_CDKTF_TERRAFORM: 'opentofu' },
  });
  if (swap.status !== 0) throw new Error(`cdktn-swap.sh failed (${swap.status}):\n${swap.stdout.slice(-3000)}\n${swap.stderr.slice(-3000)}`);
  return made;
}

/** Destroys `stack` in the flavour if its state holds anything (a test's cleanup); says so when that fails. */
export function destroyLeft(made: CdktnFlavour, stack: string): void {
  if (resourcesInState(stack, made.project) > 0) succeeded(['destroy', stack], made.run(['destroy', stack, '--auto-approve']));
}
