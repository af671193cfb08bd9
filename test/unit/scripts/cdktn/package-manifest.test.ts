import { CDKTN_PACKAGE, cdktnManifest } from '../../../../scripts/cdktn/package-manifest';

// The tarball a cdktn project installs, packed from a real flavour: test/integration/cdktn.test.ts.
describe("magnum-cdktn's package.json", () => {
  const flavour = {
    name: 'magnum-cdktf',
    description: 'Magnum on OpenStack as constructs.',
    peerDependencies: { cdktf: '0.21.0', '@cdktf/provider-null': '^11.0.0', constructs: '^10.4.2' },
    devDependencies: { cdktn: '0.24.0' },
  };
  const cdktn = { version: '0.24.0', peerDependencies: { constructs: '>=10.6.0 <10.8.0' } };

  test('is named magnum-cdktn, with cdktn at the exact version built against and constructs in the range cdktn asks', () => {
    const manifest = cdktnManifest(flavour, cdktn);
    expect(manifest.name).toBe(CDKTN_PACKAGE);
    expect(manifest.peerDependencies).toEqual({ cdktn: '0.24.0', constructs: '>=10.6.0 <10.8.0' });
    expect(manifest.devDependencies).toEqual(flavour.devDependencies);
  });

  test('says once that it is built on CDK Terrain, however often the step runs on one flavour', () => {
    const once = cdktnManifest(flavour, cdktn);
    const twice = cdktnManifest(once, cdktn);
    expect(twice).toEqual(once);
    expect(once.description.match(/CDK Terrain/g)).toHaveLength(1);
    expect(once.description.startsWith(flavour.description)).toBe(true);
  });

  test('refuses a cdktn that names no constructs peer rather than guess the range', () => {
    expect(() => cdktnManifest(flavour, { version: '9.9.9' })).toThrow(/cdktn 9\.9\.9 names no constructs peer/);
  });
});
