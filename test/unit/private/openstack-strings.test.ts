import { TerraformStack } from 'cdktf';
import { ClusterNetwork, ClusterTemplate, ExternalNetwork, MagnumCluster, MagnumImage, OsDistro, VolumeType } from '../../../lib';
import { isUuidLike, lengthInCodePoints } from '../../../lib/private/openstack-strings';
import { givenPlatformParts, givenStack, synthJson } from '../../support/fixtures';

const EXT_ID = '6f6d5a1e-0000-4000-8000-000000000001';
/** `n` rockets (U+1F680, outside the Basic Multilingual Plane): n code points, 2n UTF-16 units. */
const astral = (n: number) => '\u{1F680}'.repeat(n);
const clusterOf = (stack: TerraformStack) => {
  const { external } = givenPlatformParts(stack);
  const image = MagnumImage.fromImageAttributes(stack, 'img', { imageId: 'img-1', osDistro: OsDistro.FEDORA_COREOS });
  return new MagnumCluster(stack, 'cluster', { template: new ClusterTemplate(stack, 'tpl', { image, externalNetwork: external }) });
};

describe("lengthInCodePoints: lengths as Python's len() counts them", () => {
  test('counts a character outside the BMP once, where .length counts two', () => {
    // GIVEN 128 rockets
    const text = astral(128);
    // THEN JavaScript sees 256 units and Python 128 characters
    expect([text.length, lengthInCodePoints(text)]).toEqual([256, 128]);
    // A combining accent is a code point of its own, for Python too.
    expect([lengthInCodePoints('é'), lengthInCodePoints('e\u0301')]).toEqual([1, 2]);
  });
});

/** Every check of the OpenStack 255-character limit, by what it bounds. */
const bounded: Array<[string, (stack: TerraformStack, text: string) => unknown]> = [
  ['a Neutron network name (checkName)', (s, t) => new ClusterNetwork(s, 'cn', { externalNetwork: ExternalNetwork.fromNetworkId(s, 'ext', EXT_ID), name: t })],
  ['a Cinder volume type name (checkName)', (s, t) => new VolumeType(s, 'vt', { name: t })],
  ['a Cinder extra-spec value', (s, t) => new VolumeType(s, 'vt', { extraSpecs: { 'qos:note': t } })],
  [
    'an imported external network id (Magnum)',
    (s, t) =>
      new ClusterTemplate(s, 'tpl', {
        image: MagnumImage.fromImageAttributes(s, 'img', { imageId: 'img-1', osDistro: OsDistro.FEDORA_COREOS }),
        externalNetwork: ExternalNetwork.fromNetworkId(s, 'ext', t),
      }),
  ],
  [
    'an imported image reference (Magnum)',
    (s, t) =>
      new ClusterTemplate(s, 'tpl', {
        image: MagnumImage.fromImageAttributes(s, 'img', { imageId: t, osDistro: OsDistro.FEDORA_COREOS }),
        externalNetwork: ExternalNetwork.fromNetworkId(s, 'ext', EXT_ID),
      }),
  ],
  ['a node group name (Magnum)', (s, t) => clusterOf(s).addNodeGroup('ng', { name: t })],
  ['a node group role (Magnum)', (s, t) => clusterOf(s).addNodeGroup('ng', { role: t })],
];

describe.each(bounded)('%s is bounded in code points, as the service measures it', (_name, build) => {
  test('takes 128 and 255 characters outside the BMP (256 and 510 UTF-16 units), and writes them as given', () => {
    for (const text of [astral(128), astral(255)]) {
      const stack = givenStack();
      build(stack, text);
      expect(JSON.stringify(synthJson(stack))).toContain(JSON.stringify(text));
    }
  });

  test('refuses 256 code points, counting them as Python does', () => {
    expect(() => build(givenStack(), astral(256))).toThrow(/ = "\u{1F680}+\.\.\.: is 256 characters long[;,.]/u);
  });
});

describe('isUuidLike', () => {
  test('is oslo_utils.uuidutils.is_uuid_like', () => {
    expect(isUuidLike('6b2f1b6e0c3a4e0f9d5e8a7b6c5d4e3f')).toBe(true);
    expect(isUuidLike('6B2F1B6E-0C3A-4E0F-9D5E-8A7B6C5D4E3F')).toBe(true);
    expect(isUuidLike('{urn:uuid:6b2f1b6e-0c3a-4e0f-9d5e-8a7b6c5d4e3f}')).toBe(true);
    expect(isUuidLike('6b2f1b6e0c3a4e0f9d5e8a7b6c5d4e3')).toBe(false);
    expect(isUuidLike(' 6b2f1b6e0c3a4e0f9d5e8a7b6c5d4e3f')).toBe(false);
    expect(isUuidLike('admin')).toBe(false);
  });
});
