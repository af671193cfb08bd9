import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { addExampleStacks, DEFAULT_SITES, overridesFromFile, resolveSites } from '../../../stacks';

describe('example stack configuration', () => {
  test('runs on embedded defaults with no configuration at all', () => {
    expect(resolveSites()).toEqual(DEFAULT_SITES);
  });

  test('"*" overrides every stack, a stack id overrides one', () => {
    const sites = resolveSites({ '*': { cloudName: 'devcloud' }, 'all-in-one': { externalCidr: '192.168.1.0/24' } });
    expect(sites['all-in-one']).toMatchObject({ cloudName: 'devcloud', externalCidr: '192.168.1.0/24' });
    expect(sites['fedora-coreos']).toMatchObject({ cloudName: 'devcloud', externalCidr: DEFAULT_SITES['fedora-coreos'].externalCidr });
  });

  test('refuses unknown stacks and fields by name', () => {
    expect(() => resolveSites({ 'all-in-two': {} }, 'site.json')).toThrow('site.json: "all-in-two" is not an example stack. Fix: use one of all-in-one, fedora-coreos or "*".');
    expect(() => resolveSites({ '*': { externalCIDR: 'x' } as any }, 'site.json')).toThrow(/site\.json: \*\.externalCIDR is not a site field\. Fix: use one of osDistro, externalCidr/);
  });

  test('reads MAGNUM_CDKTF_CONFIG, and the stacks pick its values up', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-')), 'site.json');
    fs.writeFileSync(file, JSON.stringify({ 'all-in-one': { imageFile: '/images/atomic.qcow2' } }));
    const overrides = overridesFromFile({ MAGNUM_CDKTF_CONFIG: file });
    const app = Testing.app();
    addExampleStacks(app, overrides);
    const json = JSON.parse(Testing.synth(app.node.findChild('all-in-one') as any));
    const image = Object.values<any>(json.resource.openstack_images_image_v2)[0];
    expect(image.local_file_path).toBe('/images/atomic.qcow2');
    expect(image.image_source_url).toBeUndefined();
  });

  test('a config file that is not JSON is reported with the fix', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-')), 'bad.json');
    fs.writeFileSync(file, '{ nope');
    expect(() => overridesFromFile({ MAGNUM_CDKTF_CONFIG: file })).toThrow(/MAGNUM_CDKTF_CONFIG=.*bad\.json: cannot read it as JSON .* Fix: point it at a JSON file/);
  });
});
