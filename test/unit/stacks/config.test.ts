import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { ValidationError } from '../../../lib';
import { addExampleStacks, BASE_CONFIG_ENV, CONFIG_ENV, DEFAULT_SITES, overrideLayers, overridesFromFile, resolveSites, SiteOverrides } from '../../../stacks';
import { resourcesOf } from '../../support/fixtures';

/** A JSON file in a fresh temp dir, named `name`. */
function siteFile(text: string, name = 'site.json'): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-')), name);
  fs.writeFileSync(file, text);
  return file;
}

/** Runs `fn` with the overrides variables set to `vars` (the others unset), then restores them. */
function withEnv(vars: Partial<Record<string, string>>, fn: () => void): void {
  const saved = { [CONFIG_ENV]: process.env[CONFIG_ENV], [BASE_CONFIG_ENV]: process.env[BASE_CONFIG_ENV] };
  for (const [key, value] of Object.entries({ [CONFIG_ENV]: undefined, [BASE_CONFIG_ENV]: undefined, ...vars })) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    fn();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** The local cloud's overrides as devcloud/site.ts writes them (a literal: the real ones create the stand-in image). */
const LOCAL_CLOUD: SiteOverrides = {
  'all-in-one': { osDistro: 'fedora-coreos' },
  '*': { imageFile: '/var/lib/devcloud/images/stand-in.qcow2', cloudName: 'devcloud', teardownCommand: "node '/clone/dist/bin/magnum-teardown.js'" },
};

describe('example stack configuration', () => {
  test('runs on embedded defaults with no configuration at all', () => {
    expect(resolveSites()).toEqual(DEFAULT_SITES);
  });

  test('"*" overrides every stack, a stack id overrides one', () => {
    const sites = resolveSites([{ overrides: { '*': { cloudName: 'devcloud' }, 'all-in-one': { externalCidr: '192.168.1.0/24' } }, source: 'site.json' }]);
    expect(sites['all-in-one']).toMatchObject({ cloudName: 'devcloud', externalCidr: '192.168.1.0/24' });
    expect(sites['fedora-coreos']).toMatchObject({ cloudName: 'devcloud', externalCidr: DEFAULT_SITES['fedora-coreos'].externalCidr });
  });

  test('refuses unknown stacks and fields by name', () => {
    expect(() => resolveSites([{ overrides: { 'all-in-two': {} }, source: 'site.json' }])).toThrow(
      '<root>: all-in-two = {}: is not an example stack (from site.json). Fix: use one of all-in-one, fedora-coreos or "*".',
    );
    expect(() => resolveSites([{ overrides: { '*': { externalCIDR: 'x' } }, source: 'site.json' }])).toThrow(
      /^<root>: \*\.externalCIDR = "x": is not a site field \(from site\.json\)\. Fix: use one of osDistro, externalCidr/,
    );
  });

  test('reads MAGNUM_CDKTF_CONFIG, and the stacks pick its values up', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-')), 'site.json');
    fs.writeFileSync(file, JSON.stringify({ 'all-in-one': { imageFile: '/images/atomic.qcow2' } }));
    const layer = overridesFromFile({ MAGNUM_CDKTF_CONFIG: file });
    expect(layer?.source).toBe(`MAGNUM_CDKTF_CONFIG=${file}`);
    const app = Testing.app();
    addExampleStacks(app, layer?.overrides as SiteOverrides);
    const image = Object.values(resourcesOf(app.node.findChild('all-in-one') as TerraformStack, 'openstack_images_image_v2'))[0];
    expect(image.local_file_path).toBe('/images/atomic.qcow2');
    expect(image.image_source_url).toBeUndefined();
  });

  test('teardownIncludeVolumes reaches the destroy-time teardown as --include-volumes, and only when true', () => {
    const commands = (overrides: SiteOverrides) => {
      const app = Testing.app();
      addExampleStacks(app, overrides);
      return Testing.synth(app.node.findChild('all-in-one') as TerraformStack);
    };
    expect(commands({ '*': { teardownIncludeVolumes: true } })).toContain('--include-volumes');
    expect(commands({})).not.toContain('--include-volumes');
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
    [
      'a flag as a string',
      { '*': { teardownIncludeVolumes: 'yes' } },
      /^<root>: \*\.teardownIncludeVolumes = "yes": is not true or false \(from site\.json\)\. Fix: give/,
    ],
  ])('refuses %s with a ValidationError naming the key', (_name, overrides, message) => {
    let error: unknown;
    try {
      resolveSites([{ overrides, source: 'site.json' }]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(message);
  });

  test.each<[string, string, string, RegExp]>([
    ['MAGNUM_CDKTF_CONFIG holding null', CONFIG_ENV, 'null', /^<root>: MAGNUM_CDKTF_CONFIG=.*\.json = null: is not an object of stack ids/],
    [
      'MAGNUM_CDKTF_CONFIG with a null field',
      CONFIG_ENV,
      '{"*": {"imageFile": null}}',
      /^<root>: \*\.imageFile = null: is not a non-empty string \(from MAGNUM_CDKTF_CONFIG=/,
    ],
    ['MAGNUM_CDKTF_BASE_CONFIG holding a list', BASE_CONFIG_ENV, '[]', /^<root>: MAGNUM_CDKTF_BASE_CONFIG=.*\.json = \[\]: is not an object of stack ids/],
  ])('the stacks refuse %s by name', (_name, variable, text, message) => {
    withEnv({ [variable]: siteFile(text) }, () => expect(() => addExampleStacks(Testing.app())).toThrow(message));
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

  describe("layers: the target cloud's file, the cdktf context, the user's file", () => {
    test('a one-field user override against the local cloud keeps its image file, cloud and teardown command', () => {
      // GIVEN the local cloud as the base layer (what devcloud/target.sh sets) and a user's one-field file
      const base = siteFile(JSON.stringify(LOCAL_CLOUD), 'devcloud-site.json');
      const user = siteFile(JSON.stringify({ 'all-in-one': { flavor: 'm1.medium' } }));
      const env = { [BASE_CONFIG_ENV]: base, [CONFIG_ENV]: user };
      // WHEN the sites are resolved
      const sites = resolveSites(overrideLayers(Testing.app(), env));
      // THEN the one field changes and every field of the base stays
      expect(sites['all-in-one']).toEqual({ ...DEFAULT_SITES['all-in-one'], ...LOCAL_CLOUD['*'], ...LOCAL_CLOUD['all-in-one'], flavor: 'm1.medium' });
      expect(sites['fedora-coreos']).toEqual({ ...DEFAULT_SITES['fedora-coreos'], ...LOCAL_CLOUD['*'] });
      // AND the stacks built from the environment upload the stand-in, not the real image URL
      withEnv(env, () => {
        const app = Testing.app();
        addExampleStacks(app);
        const stack = app.node.findChild('all-in-one') as TerraformStack;
        const image = Object.values(resourcesOf(stack, 'openstack_images_image_v2'))[0];
        expect(image.local_file_path).toBe(LOCAL_CLOUD['*'].imageFile);
        expect(image.image_source_url).toBeUndefined();
        expect(Object.values(resourcesOf(stack, 'openstack_containerinfra_clustertemplate_v1'))[0].flavor).toBe('m1.medium');
      });
    });

    test('precedence is base "*" < base stack < user "*" < user stack', () => {
      const base = { '*': { masterFlavor: 'base-any', teardownCommand: 'base-any' }, 'all-in-one': { masterFlavor: 'base-aio', flavor: 'base-aio' } };
      const user = { '*': { flavor: 'user-any', cloudName: 'user-any' }, 'all-in-one': { cloudName: 'user-aio' } };
      const sites = resolveSites([
        { overrides: base, source: 'base.json' },
        { overrides: user, source: 'user.json' },
      ]);
      expect(sites['all-in-one']).toMatchObject({
        teardownCommand: 'base-any', // base "*" alone
        masterFlavor: 'base-aio', // base stack over base "*"
        flavor: 'user-any', // user "*" over base stack
        cloudName: 'user-aio', // user stack over user "*"
      });
      expect(sites['fedora-coreos']).toMatchObject({ teardownCommand: 'base-any', masterFlavor: 'base-any', flavor: 'user-any', cloudName: 'user-any' });
    });

    test("the cdktf context lies between the target cloud's file and the user's", () => {
      const app = Testing.app({ context: { magnum: { '*': { flavor: 'context', masterFlavor: 'context' } } } });
      const env = {
        [BASE_CONFIG_ENV]: siteFile(JSON.stringify({ 'all-in-one': { flavor: 'base', cloudName: 'base' } })),
        [CONFIG_ENV]: siteFile(JSON.stringify({ '*': { masterFlavor: 'user' } })),
      };
      expect(overrideLayers(app, env).map((l) => l.source)).toEqual([
        `${BASE_CONFIG_ENV}=${env[BASE_CONFIG_ENV]}`,
        'cdktf context "magnum"',
        `${CONFIG_ENV}=${env[CONFIG_ENV]}`,
      ]);
      expect(resolveSites(overrideLayers(app, env))['all-in-one']).toMatchObject({ cloudName: 'base', flavor: 'context', masterFlavor: 'user' });
    });

    test.each<[string, string]>([
      ["the target cloud's file", BASE_CONFIG_ENV],
      ["the user's file", CONFIG_ENV],
    ])('a bad value in %s is refused naming that file', (_name, bad) => {
      const files: Record<string, string> = {
        [BASE_CONFIG_ENV]: siteFile(JSON.stringify(bad === BASE_CONFIG_ENV ? { '*': { flavor: 3 } } : LOCAL_CLOUD), 'base.json'),
        [CONFIG_ENV]: siteFile(JSON.stringify(bad === CONFIG_ENV ? { 'all-in-one': { flavor: 3 } } : { '*': { flavor: 'm1.medium' } }), 'user.json'),
      };
      const where = `(from ${bad}=${files[bad]})`;
      expect(() => resolveSites(overrideLayers(Testing.app(), files))).toThrow(`is not a non-empty string ${where}`);
      withEnv(files, () => expect(() => addExampleStacks(Testing.app())).toThrow(where));
    });

    test('a base file that is not JSON is reported by its variable', () => {
      expect(() => overridesFromFile({ [BASE_CONFIG_ENV]: siteFile('{ nope') }, BASE_CONFIG_ENV)).toThrow(
        /^MAGNUM_CDKTF_BASE_CONFIG=.*site\.json: cannot read it as JSON/,
      );
    });
  });
});
