import { VolumeType } from '../../../lib';
import { DESCRIPTION_MARK_LENGTH, ownerMark } from '../../../runtime/owner-mark';
import { givenStack, resourcesOf } from '../../support/fixtures';

describe('Cinder helpers', () => {
  test("accepts what Cinder's schemas accept, Python's `$` before a final newline included, and writes it as given", () => {
    const stack = givenStack();
    const specs = { 'capabilities:thin_provisioning_support': '<is> True', 'qos.read-iops_sec': '1000' };
    new VolumeType(stack, 'a', { description: 'Fast SSDs — über schnell', extraSpecs: specs });
    new VolumeType(stack, 'b', { description: 'one line\n' });
    new VolumeType(stack, 'c', { description: 'd'.repeat(255 - DESCRIPTION_MARK_LENGTH), extraSpecs: { ['k'.repeat(255)]: 'v'.repeat(255) } });
    const types = Object.values(resourcesOf(stack, 'openstack_blockstorage_volume_type_v3'));
    // Each description ends with its owner mark (runtime/owner-mark.ts), within Cinder's 255 characters.
    const mark = (id: string) => ownerMark(`${stack.node.path}/${id}/Resource`);
    expect(types.map((t) => [t.name, t.description, t.extra_specs])).toEqual([
      ['a', `Fast SSDs — über schnell (${mark('a')})`, specs],
      ['b', `one line (${mark('b')})`, undefined],
      ['c', `${'d'.repeat(255 - DESCRIPTION_MARK_LENGTH)} (${mark('c')})`, { ['k'.repeat(255)]: 'v'.repeat(255) }],
    ]);
    expect(types[2].description).toHaveLength(255);
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
