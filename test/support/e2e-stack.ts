import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { Construct } from 'constructs';
import { ClusterTeardownOptions, ImageSource, MagnumClusterOptions, MagnumPlatform, MagnumPlatformProps, OpenstackProvider, OsDistro } from '../../lib';
import { OpenStackClient } from '../../runtime/openstack';
import { shellQuote } from '../../scripts/lib/shell-quote';
import { ACTION_SYMBOLS, changesOfPlan } from '../../scripts/pr-diff';
import { terraformBinary } from '../../scripts/lib/terraform';
import { runInBackground } from './background-run';
import { e2eOpenrc } from './e2e-project';

const root = path.join(__dirname, '..', '..');

/** The compiled teardown CLI of this clone, as a destroy-time provisioner's shell runs it. */
export const TEARDOWN_COMMAND = `node ${shellQuote(path.join(root, 'dist', 'bin', 'magnum-teardown.js'))}`;

/** What a Terraform run of {@link E2eStack} ended with: its exit status, and its stdout then stderr. */
export interface TerraformRun {
  readonly status: number | null;
  readonly output: string;
}

/** What {@link E2eStack.ours} lists of a stack that is gone. */
export const NOTHING_OURS = { clusters: [], templates: [], images: [], networks: [], volumeTypes: [] };

/**
 * A stack of the end-to-end tests, synthesized in this process and applied with the real
 * Terraform and provider, authenticated as the e2e project (state in a temporary folder).
 * Each test names its resources after `tag`, so that what the APIs list can be told apart.
 */
export class E2eStack {
  /** The folder of its state, stand-in files and synthesized output. */
  public readonly work: string;
  /** The synthesized stack, where Terraform runs. */
  public readonly dir: string;
  /** The last {@link terraformAsync} run, which {@link cleanUp} waits for: it holds the state's lock. */
  private running: Promise<TerraformRun> | undefined;

  constructor(public readonly tag: string) {
    this.work = fs.mkdtempSync(path.join(os.tmpdir(), `${tag}-`));
    this.dir = path.join(this.work, 'out', 'stacks', tag);
  }

  /** Synthesizes the stack with what `build` adds to it (providers and backend are here). */
  public synth(build: (stack: TerraformStack) => void): void {
    const app = new App({ outdir: path.join(this.work, 'out') });
    const stack = new TerraformStack(app, this.tag);
    new LocalBackend(stack, { path: path.join(this.work, 'terraform.tfstate') });
    new OpenstackProvider(stack, 'openstack', {});
    new NullProvider(stack, 'null', {});
    build(stack);
    app.synth();
  }

  /** A file in the stack's work folder (say, a stand-in image), written once. */
  public file(name: string, bytes: number): string {
    const file = path.join(this.work, name);
    if (!fs.existsSync(file)) fs.writeFileSync(file, Buffer.alloc(bytes));
    return file;
  }

  /** Terraform in the synthesized stack, authenticated from OS_* of the e2e project only. */
  public terraform(...args: string[]): TerraformRun {
    return this.terraformWith({}, ...args);
  }

  /** {@link terraform} with more environment (say, the KUBECONFIG a destroy-time teardown inherits). */
  public terraformWith(extra: NodeJS.ProcessEnv, ...args: string[]): TerraformRun {
    const [argv, options] = this.terraformCall(extra, args);
    const run = spawnSync(terraformBinary, argv, { ...options, encoding: 'utf8', maxBuffer: 64 << 20 });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  }

  /**
   * {@link terraform} without blocking this process: for scenarios that run at once, each its own stack
   * (the output is stdout then stderr, as {@link terraform} gives it, with no cap on its size).
   */
  public terraformAsync(...args: string[]): Promise<TerraformRun> {
    const [argv, { cwd, env, timeout }] = this.terraformCall({}, args);
    this.running = runInBackground(terraformBinary, argv, { cwd, env, timeoutMs: timeout }).then((run) => ({
      status: run.status,
      output: `${run.stdout}${run.stderr}`,
    }));
    return this.running;
  }

  /** Terraform's argv and options: authenticated from OS_* of the e2e project only, in the stack's folder. */
  private terraformCall(extra: NodeJS.ProcessEnv, args: string[]): [string[], { cwd: string; timeout: number; env: NodeJS.ProcessEnv }] {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OS_')));
    // Options before positional ones (a plan file): Terraform reads none after them.
    const [command, ...rest] = args;
    return [
      [command, '-input=false', '-no-color', ...rest],
      { cwd: this.dir, timeout: 1_200_000, env: { ...env, ...e2eOpenrc(), PATH: process.env.PATH, ...extra } },
    ];
  }

  /**
   * Plans into a file and sums up what Terraform would do, e.g. `cluster ~, template -/+`;
   * a refused plan gives its error text instead.
   */
  public plan(): TerraformRun & { summary: string } {
    const planned = this.terraform('plan', '-out=day.tfplan');
    if (planned.status !== 0) return { ...planned, summary: 'refused at plan' };
    const show = spawnSync(terraformBinary, ['show', '-json', 'day.tfplan'], { cwd: this.dir, encoding: 'utf8', maxBuffer: 64 << 20 });
    // Read as the PR diff reads a plan; a replacement that creates first is `+/-`, as Terraform prints it.
    const summary = changesOfPlan(JSON.parse(show.stdout))
      .map((c) => {
        const symbol = c.action === 'replace' && c.order === 'create-before-destroy' ? '+/-' : ACTION_SYMBOLS[c.action];
        return `${c.address.split('.')[0].replace(/^openstack_|_v\d$/g, '')} ${symbol}`;
      })
      .join(', ');
    return { ...planned, summary: summary || 'no changes' };
  }

  /** Applies the plan `plan()` saved. */
  public applyPlan(): TerraformRun {
    return this.terraform('apply', 'day.tfplan');
  }

  /**
   * What the APIs list of this stack, whose resources are named after the tag: its clusters,
   * templates and volume types, its image (named the tag) and its external network (`<tag>-ext`;
   * the private network Heat makes is named after the cluster and goes with it).
   */
  public async ours(client: OpenStackClient): Promise<Record<string, string[]>> {
    const mine = (list: { name: string }[]) => list.filter((x) => x.name.startsWith(this.tag)).map((x) => x.name);
    return {
      clusters: mine(await client.listClusters()),
      templates: mine((await client.request('container-infra', 'GET', '/clustertemplates')).clustertemplates),
      images: mine((await client.request('image', 'GET', `/v2/images?name=${this.tag}`)).images),
      networks: mine((await client.request('network', 'GET', `/v2.0/networks?name=${this.tag}-ext`)).networks),
      volumeTypes: mine((await client.request('block-storage', 'GET', '/types?is_public=None')).volume_types),
    };
  }

  /**
   * Destroys what is left (a failed test may leave the stack): a few tries, then say what is left. Waits for a
   * run still going (a test that timed out), and blocks nothing, so that stacks are cleaned up at once.
   */
  public async cleanUp(): Promise<void> {
    await this.running?.catch(() => undefined);
    for (let attempt = 1; fs.existsSync(path.join(this.work, 'terraform.tfstate')) && fs.existsSync(this.dir); attempt++) {
      const run = await this.terraformAsync('destroy', '-auto-approve');
      if (run.status === 0) break;
      if (attempt === 3) {
        console.error(`cleanup: terraform destroy failed 3 times; state in ${this.work}\n${run.output.slice(-2000)}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 30_000));
    }
  }
}

/**
 * The small platform the teardown e2e tests deploy, its objects named after the stack's tag: one master,
 * `cluster` as given (node count, labels), the teardown run by this clone's CLI with `teardown` as given
 * (or, with `platform.teardownEnabled` false, none).
 */
export function smallPlatform(
  scope: Construct,
  stack: E2eStack,
  cluster: Omit<MagnumClusterOptions, 'name' | 'masterCount'> = {},
  teardown: Omit<ClusterTeardownOptions, 'command'> = {},
  platform: Pick<MagnumPlatformProps, 'teardownEnabled'> = {},
): MagnumPlatform {
  const tag = stack.tag;
  return new MagnumPlatform(scope, 'Platform', {
    externalNetwork: {
      name: `${tag}-ext`,
      cidr: '198.51.100.0/24',
      gatewayIp: '198.51.100.1',
      floatingIpRanges: [{ start: '198.51.100.100', end: '198.51.100.150' }],
      physicalNetwork: tag,
    },
    // Nova's fake driver boots nothing: a stand-in file is image enough.
    image: { name: tag, osDistro: OsDistro.FEDORA_COREOS, source: ImageSource.fromFile(stack.file('stand-in.qcow2', 1 << 20)) },
    dockerVolumeType: { name: `${tag}-vol` },
    template: { name: tag, flavor: 'm1.small', masterFlavor: 'm1.small', dockerVolumeSizeGiB: 1 },
    cluster: { name: tag, masterCount: 1, ...cluster },
    teardown: { command: TEARDOWN_COMMAND, ...teardown },
    ...platform,
  });
}
