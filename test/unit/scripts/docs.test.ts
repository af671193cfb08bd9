import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { topologyDot } from '../../../scripts/topology';
import { addExampleStacks } from '../../../stacks';

const root = path.join(__dirname, '..', '..', '..');
const app = Testing.app();
addExampleStacks(app);
app.synth();
const stackDir = (name: string) => path.join(app.outdir, 'stacks', name);

describe('topology picture', () => {
  test('draws external network -> router -> cluster network -> cluster, and what teardown removes', () => {
    const dot = topologyDot(JSON.parse(fs.readFileSync(path.join(stackDir('fedora-coreos'), 'cdk.tf.json'), 'utf8')), 't');
    const edge = (from: RegExp, to: RegExp) => new RegExp(`"${from.source}[^"]*" -> "${to.source}[^"]*"`);
    expect(dot).toMatch(/label="External network\\npublic2"/);
    expect(dot).toMatch(edge(/openstack_networking_network_v2\.Platform_ExternalNetwork/, /openstack_networking_router_v2\.Platform_ClusterNetwork_Router/));
    expect(dot).toMatch(edge(/openstack_networking_router_interface_v2\.Platform_ClusterNetwork/, /openstack_containerinfra_cluster_v1\.Platform_Cluster/));
    expect(dot).toMatch(edge(/openstack_containerinfra_clustertemplate_v1/, /openstack_containerinfra_cluster_v1/));
    expect(dot).toMatch(edge(/openstack_containerinfra_cluster_v1/, /null_resource/));
    expect(dot).toContain('label="deletes at destroy"');
    expect(dot).toContain("Magnum's Heat stack");
  });

  // Through the compiled CLI that `npm run topology` runs: the renderer is ESM-only, which jest cannot load.
  test.each(['all-in-one', 'fedora-coreos'])('docs/topology-%s.svg is current (npm run topology redraws it)', (name) => {
    const fresh = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'svg-')), `${name}.svg`);
    execFileSync('node', [path.join(root, 'dist', 'scripts', 'topology.js'), stackDir(name), fresh], { stdio: 'pipe' });
    expect(fs.readFileSync(fresh, 'utf8')).toBe(fs.readFileSync(path.join(root, 'docs', `topology-${name}.svg`), 'utf8'));
  });
});

describe('API docs', () => {
  test('typedoc renders a page per construct with its summary', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'api-'));
    execFileSync('npx', ['--no-install', 'typedoc', '--out', out, '--tsconfig', 'tsconfig.lib.json', '--excludePrivate', '--disableSources', '--readme', 'none', '--logLevel', 'Error', 'lib/index.ts'], { cwd: root, stdio: 'pipe' });
    const page = (cls: string) => fs.readFileSync(path.join(out, 'classes', `${cls}.html`), 'utf8');
    expect(page('ClusterTemplate')).toContain('Magnum refuses to update a template a cluster uses');
    expect(page('ExternalNetwork')).toContain('floating-IP ranges');
    for (const cls of ['MagnumImage', 'VolumeType', 'MagnumCluster', 'ClusterNetwork', 'MagnumServiceRequirements', 'ClusterTeardown', 'MagnumPlatform']) {
      expect(fs.existsSync(path.join(out, 'classes', `${cls}.html`))).toBe(true);
    }
  }, 60_000);
});
