import * as fs from 'fs';
import * as path from 'path';
import { Testing, TerraformStack } from 'cdktf';
import { MagnumServiceRequirements, VolumeType } from '../../../lib';

describe('MagnumServiceRequirements', () => {
  test('emits globals.yml and magnum.conf fragments as files in the synth output', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'svc');
    new MagnumServiceRequirements(stack, 'service', { defaultDockerVolumeType: VolumeType.fromVolumeTypeName(stack, 't', 'ssdvolume') });
    app.synth();
    const files = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    const emitted = files(path.join(app.outdir, 'stacks', 'svc', 'assets'));
    const read = (name: string) =>
      fs.readFileSync(
        emitted.find((f) => path.basename(f) === name)!,
        'utf8',
      );
    expect(read('globals.yml')).toContain('enable_cluster_user_trust: "yes"\n');
    expect(read('globals.yml')).toContain('default_docker_volume_type: "ssdvolume"\n');
    expect(read('globals.yml')).toContain('enable_cinder: "yes"\n');
    expect(read('magnum.conf')).toBe(
      '# magnum.conf fragment written by magnum-cdktf (MagnumServiceRequirements).\n[trust]\ncluster_user_trust = True\n\n[cinder]\ndefault_docker_volume_type = ssdvolume\n',
    );
  });

  test('states trust off and no Octavia when told so', () => {
    const stack = new TerraformStack(Testing.app(), 'svc');
    const r = new MagnumServiceRequirements(stack, 'service', { clusterUserTrust: false, octaviaEnabled: false });
    expect(r.globalsYml).toContain('enable_cluster_user_trust: "no"');
    expect(r.globalsYml).toContain('enable_octavia: "no"');
    expect(r.globalsYml).not.toContain('default_docker_volume_type');
    expect(r.magnumConf).toContain('cluster_user_trust = False');
  });
});
