import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { validateStackDir } from '../../scripts/lib/terraform';

/**
 * The `npm pack` consumer test's project, for each build of the library (magnum-cdktf on cdktf, magnum-cdktn on
 * CDK Terrain): a fresh project that installs the tarball with its peers, compiles a stack against it with tsc
 * (strict, the library's declarations checked) and synthesizes it.
 */

/** How a build is consumed. */
export interface ConsumerFlavour {
  /** The package's name, as a consumer imports it. */
  readonly pkg: string;
  /** The CDK module a consumer's app imports App and TerraformStack from: `cdktf` or `cdktn`. */
  readonly cdk: string;
  /** What npm installs beside the tarball: the peers and TypeScript, each `name@version`. */
  readonly dependencies: readonly string[];
  /** The Node that runs the app; default this one. */
  readonly node?: string;
}

/** What the consumer's app printed, and the Terraform JSON of its stack. */
export interface ConsumerRun {
  readonly output: string;
  readonly stackDir: string;
  readonly json: { resource: Record<string, unknown>; output: Record<string, { sensitive?: boolean }> };
}

/** Runs a command; when it fails, the error says what it printed (tsc's and npm's errors are on stdout). */
export function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error' }, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} in ${cwd} exited ${r.status ?? r.signal}:\n${(r.stdout + r.stderr).slice(-3000)}`);
  return r.stdout;
}

/** A consumer's stack: the platform, its providers (both as the package exports them), an output; then a platform whose input is bad, refused by the package's own ValidationError. */
function source(f: ConsumerFlavour): string {
  return `
import { App, TerraformOutput, TerraformStack } from '${f.cdk}';
import { ImageSource, MagnumPlatform, NullProvider, OpenstackProvider, OsDistro, ValidationError } from '${f.pkg}';

const app = new App();
const stack = new TerraformStack(app, 'consumer');
new OpenstackProvider(stack, 'openstack', {});
new NullProvider(stack, 'null', {});
const platform = new MagnumPlatform(stack, 'Platform', {
  externalNetwork: { name: 'public1', cidr: '192.168.1.0/24', gatewayIp: '192.168.1.1',
    floatingIpRanges: [{ start: '192.168.1.200', end: '192.168.1.250' }] },
  image: { name: 'fcos', osDistro: OsDistro.FEDORA_COREOS, source: ImageSource.fromFile('fcos.qcow2') },
  cluster: { name: 'consumer', nodeCount: 2 },
});
new TerraformOutput(stack, 'kubeconfig', { value: platform.cluster.kubeconfig, sensitive: true });
try {
  new MagnumPlatform(new TerraformStack(app, 'bad'), 'Platform', { existingImage: platform.image,
    externalNetwork: { cidr: '192.168.1.0/24', floatingIpRanges: [{ start: '192.168.2.1', end: '192.168.2.9' }] } });
} catch (e) {
  console.log(e instanceof ValidationError ? 'refused: ' + (e as Error).message : 'unexpected: ' + e);
}
app.synth();
`;
}

/** `npm pack` of the project in `dir` into `dest`, without its prepack (the caller built it): the tarball's path. */
export function pack(dir: string, dest: string): string {
  const name = run('npm', ['pack', '--ignore-scripts', '--pack-destination', dest], dir).trim().split('\n').pop()!;
  return path.join(dest, name);
}

/** The files in a tarball. */
export function listing(tarball: string): string {
  return run('tar', ['-tzf', tarball], path.dirname(tarball));
}

/** Installs `tarball` into a fresh project under `work`, compiles the consumer's stack with tsc, and runs it. */
export function consume(work: string, tarball: string, flavour: ConsumerFlavour): ConsumerRun {
  const app = path.join(work, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  fs.writeFileSync(path.join(app, 'main.ts'), source(flavour));
  fs.writeFileSync(
    path.join(app, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: false, types: [] } }),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, ...flavour.dependencies], app);
  run('npx', ['--no-install', 'tsc', '-p', '.'], app);
  const output = run(flavour.node ?? process.execPath, ['main.js'], app);
  const stackDir = path.join(app, 'cdktf.out', 'stacks', 'consumer');
  return { output, stackDir, json: JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) };
}

/** What every build's consumer must see: bad input refused by the package's own ValidationError, the stack synthesized, and Terraform accepting it. */
export function expectSynthesized(consumer: ConsumerRun): void {
  expect(consumer.output).toMatch(/^refused: bad\/Platform\/ExternalNetwork: floatingIpRanges\[0\]\.start = "192\.168\.2\.1": lies outside the subnet/m);
  expect(Object.keys(consumer.json.resource)).toEqual(
    expect.arrayContaining(['openstack_containerinfra_cluster_v1', 'null_resource', 'openstack_networking_subnet_v2']),
  );
  expect(consumer.json.output.kubeconfig.sensitive).toBe(true);
  expect(validateStackDir(consumer.stackDir)).toEqual({ valid: true, diagnostics: [] });
}
