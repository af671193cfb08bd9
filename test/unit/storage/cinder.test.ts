import { VolumeType } from '../../../lib';
import { givenStack, resourcesOf } from '../../support/fixtures';

describe('Cinder helpers', () => {
  test("accepts what Cinder's schemas accept, Python's `$` before a final newline included, and writes it as given", () => {
    const stack = givenStack();
    const specs = { 'capabilities:thin_provisioning_support': '<is> True', 'qos.read-iops_sec': '1000' };
    new VolumeType(stack, 'a', { description: 'Fast SSDs — über schnell', extraSpecs: specs });
    new VolumeType(stack, 'b', { description: 'one line\n' });
    new VolumeType(stack, 'c', { description: 'd'.repeat(255), extraSpecs: { ['k'.repeat(255)]: 'v'.repeat(255) } });
    expect(Object.values(resourcesOf(stack, 'openstack_blockstorage_volume_type_v3')).map((t) => [t.name, t.description, t.extra_specs])).toEqual([
      ['a', 'Fast SSDs — über schnell', specs],
      ['b', 'one line\n', undefined],
      ['c', 'd'.repeat(255), { ['k'.repeat(255)]: 'v'.repeat(255) }],
    ]);
  });

  test('refuses in a description what the printable-characters regex leaves out', () => {
    const stack = givenStack();
    for (const [id, description] of [
      ['tab', 'a\tb'],
      ['shy', 'soft\u00adhyphen'],
      ['emoji', 'fast 🚀'],
      ['ls', 'a\u2028b'],
    ]) {
      expect(() => new VolumeType(stack, id, { description })).toThrow(/contains characters Cinder refuses in a description/);
    }
  });
});
