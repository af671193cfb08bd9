import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { ValidationError } from '../../../lib';
import { addExampleStacks, DEFAULT_SITES, overridesFromFile, resolveSites, SiteOverrides } from '../../../stacks';
import { resourcesOf } from '../../support/fixtures';

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
    expect(() => resolveSites({ 'all-in-two': {} }, 'site.json')).toThrow(
      '<root>: all-in-two = {}: is not an example stack (from site.json). Fix: use one of all-in-one, fedora-coreos or "*".',
    );
    expect(() => resolveSites({ '*': { externalCIDR: 'x' } }, 'site.json')).toThrow(
      /^<root>: \*\.externalCIDR = "x": is not a site field \(from site\.json\)\. Fix: use one of osDistro, externalCidr/,
    );
  });

  test('reads MAGNUM_CDKTF_CONFIG, and the stacks pick its values up', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-')), 'site.json');
    fs.writeFileSync(file, JSON.stringify({ 'all-in-one': { imageFile: '/images/atomic.qcow2' } }));
    const overrides = overridesFromFile({ MAGNUM_CDKTF_CONFIG: file });
    const app = Testing.app();
    addExampleStacks(app, overrides as SiteOverrides);
    const image = Object.values(resourcesOf(app.node.findChild('all-in-one') as TerraformStack, 'openstack_images_image_v2'))[0];
    expect(image.local_file_path).toBe('/images/atomic.qcow2');
    expect(image.image_source_url).toBeUndefined();
  });

  test('a config file that is not JSON is reported with the fix', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-')), 'bad.json');
    fs.writeFileSync(file, '{ nope');
    expect(() => overridesFromFile({ MAGNUM_CDKTF_CONFIG: file })).toThrow(
      /MAGNUM_CDKTF_CONFIG=.*bad\.json: cannot read it as JSON .* Fix: point it at a JSON file/,
    );
  });

  // Untyped input (a JSON file, the cdktf context) of the wrong shape: a ValidationError naming the key, never a TypeError.
  test.each<[string, unknown, RegExp]>([
    ['null', null, /^<root>: site\.json = null: is not an object of stack ids\. Fix: /],
    ['a list', [{ 'all-in-one': {} }], /^<root>: site\.json = \[.*\]: is not an object of stack ids/],
    ['a stack set to null', { 'all-in-one': null }, /^<root>: all-in-one = null: is not an object of site fields \(from site\.json\)\. Fix: /],
    ['a stack set to a string', { '*': 'devcloud' }, /^<root>: \* = "devcloud": is not an object of site fields/],
    [
      'a field set to null',
      { '*': { flavor: null } },
      /^<root>: \*\.flavor = null: is not a non-empty string \(from site\.json\)\. Fix: give "flavor" a string, or remove it/,
    ],
    ['a field set to a number', { 'all-in-one': { externalCidr: 24 } }, /^<root>: all-in-one\.externalCidr = 24: is not a non-empty string/],
    ['an empty string', { 'all-in-one': { cloudName: '' } }, /^<root>: all-in-one\.cloudName = "": is not a non-empty string/],
    [
      'ranges as a string',
      { '*': { floatingIpRanges: '10.0.2.150-10.0.2.199' } },
      /^<root>: \*\.floatingIpRanges = "10\.0\.2\.150-10\.0\.2\.199": is not a list of \{ start, end \} ranges/,
    ],
    [
      'a range with a number',
      { '*': { floatingIpRanges: [{ start: 1, end: '10.0.2.9' }] } },
      /^<root>: \*\.floatingIpRanges = .*: is not a list of \{ start, end \} ranges/,
    ],
    ['a range with a stray key', { '*': { floatingIpRanges: [{ start: '10.0.2.1', end: '10.0.2.9', size: 9 }] } }, /is not a list of \{ start, end \} ranges/],
    ['no ranges', { '*': { floatingIpRanges: [] } }, /is not a list of \{ start, end \} ranges/],
  ])('refuses %s with a ValidationError naming the key', (_name, overrides, message) => {
    let error: unknown;
    try {
      resolveSites(overrides, 'site.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(message);
  });

  test.each<[string, string, RegExp]>([
    ['MAGNUM_CDKTF_CONFIG holding null', 'null', /^<root>: MAGNUM_CDKTF_CONFIG=.*\.json = null: is not an object of stack ids/],
    [
      'MAGNUM_CDKTF_CONFIG with a null field',
      '{"*": {"imageFile": null}}',
      /^<root>: \*\.imageFile = null: is not a non-empty string \(from MAGNUM_CDKTF_CONFIG=/,
    ],
  ])('the stacks refuse %s by name', (_name, text, message) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-')), 'site.json');
    fs.writeFileSync(file, text);
    const saved = process.env.MAGNUM_CDKTF_CONFIG;
    process.env.MAGNUM_CDKTF_CONFIG = file;
    try {
      expect(() => addExampleStacks(Testing.app())).toThrow(message);
    } finally {
      if (saved === undefined) delete process.env.MAGNUM_CDKTF_CONFIG;
      else process.env.MAGNUM_CDKTF_CONFIG = saved;
    }
  });

  test('the cdktf context key "magnum" set to null is refused, not skipped', () => {
    expect(() => addExampleStacks(Testing.app({ context: { magnum: null } }))).toThrow(/^<root>: cdktf context "magnum" = null: is not an object of stack ids/);
  });

  test('the cdktf context key "magnum" of the wrong shape is refused by name', () => {
    const app = Testing.app({ context: { magnum: { 'fedora-coreos': { physicalNetwork: ['physnet2'] } } } });
    expect(() => addExampleStacks(app)).toThrow(
      /^<root>: fedora-coreos\.physicalNetwork = \["physnet2"\]: is not a non-empty string \(from cdktf context "magnum"\)/,
    );
  });
});
