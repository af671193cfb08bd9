/**
 * A cdktf app with N complete platforms (external network, image, volume type,
 * cluster network, template, cluster, teardown) in one stack: how synth cost grows.
 *   node dist/bench/clusters-app.js N
 * Writes to CDKTF_OUTDIR (set by the cdktf CLI) or a fresh temp dir.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { ImageSource, MagnumPlatform, OpenstackProvider, OsDistro } from '../lib';

const count = Number(process.argv[2] ?? '1');
const outdir = process.env.CDKTF_OUTDIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
const app = new App({ outdir });
const stack = new TerraformStack(app, 'platforms');
new OpenstackProvider(stack, 'openstack', {});
new NullProvider(stack, 'null', {});
for (let i = 0; i < count; i++) {
  // One /24 per platform inside 10.0.0.0/8, so every network is valid and distinct.
  const net = `10.${Math.floor(i / 250) + 1}.${i % 250}`;
  new MagnumPlatform(stack, `Platform${i}`, {
    externalNetwork: {
      name: `public${i}`,
      cidr: `${net}.0/24`,
      gatewayIp: `${net}.1`,
      floatingIpRanges: [{ start: `${net}.100`, end: `${net}.200` }],
      physicalNetwork: `physnet${i}`,
    },
    image: { name: `fcos${i}`, osDistro: OsDistro.FEDORA_COREOS, source: ImageSource.fromFile('fcos.qcow2') },
    dockerVolumeType: { name: `docker${i}` },
    clusterNetwork: { cidr: '10.0.0.0/24' },
    template: { name: `k8s${i}`, dockerVolumeSizeGiB: 10 },
    cluster: { name: `k8s${i}`, masterCount: 3, nodeCount: 2 },
  });
}
app.synth();
if (!process.env.CDKTF_OUTDIR) {
  fs.rmSync(outdir, { recursive: true, force: true });
}
