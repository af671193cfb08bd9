import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { topologyDot } from '../../../scripts/topology';
import { addExampleStacks } from '../../../stacks';

// The DOT text only; the rendered docs/topology-*.svg and the API docs: test/integration/docs.test.ts.
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
});
