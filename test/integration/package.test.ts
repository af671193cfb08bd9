import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { validateStackDir } from '../../scripts/lib/terraform';

const root = path.join(__dirname, '..', '..');
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, npm_config_loglevel: 'error' } });

const CONSUMER = `
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { ImageSource, MagnumPlatform, OpenstackProvider, OsDistro, ValidationError } from 'magnum-cdktf';

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

describe('the npm package', () => {
  test('installs from its tarball into a fresh project, compiles with tsc and synthesizes', () => {
    // GIVEN the packed library
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-'));
    run('npx', ['--no-install', 'tsc', '-p', 'tsconfig.lib.json'], root);
    const tarball = run('npm', ['pack', '--ignore-scripts', '--pack-destination', work], root).trim().split('\n').pop()!;
    const listing = run('tar', ['-tzf', path.join(work, tarball)], work);
    expect(listing).toContain('package/dist/lib/index.d.ts');
    expect(listing).toContain('package/dist/.gen/providers/openstack/containerinfra-cluster-v1/index.js');
    expect(listing).not.toMatch(/package\/(test|stacks|scripts)\//);

    // WHEN a consumer installs it with its peers and compiles a stack against it
    const app = path.join(work, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    fs.writeFileSync(path.join(app, 'main.ts'), CONSUMER);
    fs.writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: false, types: [] } }),
    );
    run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        path.join(work, tarball),
        'cdktf@0.21.0',
        'constructs@10.8.1',
        '@cdktf/provider-null@11.0.1',
        'typescript@5.9',
      ],
      app,
    );
    run('npx', ['--no-install', 'tsc', '-p', '.'], app);
    const out = run('node', ['main.js'], app);

    // THEN the stack synthesizes, bad input is refused by the package's own ValidationError, and Terraform accepts it
    expect(out).toMatch(/^refused: bad\/Platform\/ExternalNetwork: floatingIpRanges\[0\]\.start = "192\.168\.2\.1": lies outside the subnet/m);
    const dir = path.join(app, 'cdktf.out', 'stacks', 'consumer');
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(json.resource)).toEqual(
      expect.arrayContaining(['openstack_containerinfra_cluster_v1', 'null_resource', 'openstack_networking_subnet_v2']),
    );
    expect(json.output.kubeconfig.sensitive).toBe(true);
    expect(validateStackDir(dir)).toEqual({ valid: true, diagnostics: [] });
  }, 300_000);
});
