import { isUuidLike } from '../../../lib/private/cinder';
import { VolumeType } from '../../../lib';
import { givenStack } from '../../support/fixtures';

describe('Cinder helpers', () => {
  test('isUuidLike is oslo_utils.uuidutils.is_uuid_like', () => {
    expect(isUuidLike('6b2f1b6e0c3a4e0f9d5e8a7b6c5d4e3f')).toBe(true);
    expect(isUuidLike('6B2F1B6E-0C3A-4E0F-9D5E-8A7B6C5D4E3F')).toBe(true);
    expect(isUuidLike('{urn:uuid:6b2f1b6e-0c3a-4e0f-9d5e-8a7b6c5d4e3f}')).toBe(true);
    expect(isUuidLike('6b2f1b6e0c3a4e0f9d5e8a7b6c5d4e3')).toBe(false);
    expect(isUuidLike(' 6b2f1b6e0c3a4e0f9d5e8a7b6c5d4e3f')).toBe(false);
    expect(isUuidLike('admin')).toBe(false);
  });

  test('accepts what Cinder\'s schemas accept, Python\'s `$` before a final newline included', () => {
    const stack = givenStack();
    expect(() => new VolumeType(stack, 'a', { description: 'Fast SSDs — über schnell', extraSpecs: { 'capabilities:thin_provisioning_support': '<is> True', 'qos.read-iops_sec': '1000' } })).not.toThrow();
    expect(() => new VolumeType(stack, 'b', { description: 'one line\n' })).not.toThrow();
    expect(() => new VolumeType(stack, 'c', { description: 'd'.repeat(255), extraSpecs: { ['k'.repeat(255)]: 'v'.repeat(255) } })).not.toThrow();
  });

  test('refuses in a description what the printable-characters regex leaves out', () => {
    const stack = givenStack();
    for (const [id, description] of [['tab', 'a\tb'], ['shy', 'soft\u00adhyphen'], ['emoji', 'fast 🚀'], ['ls', 'a\u2028b']]) {
      expect(() => new VolumeType(stack, id, { description })).toThrow(/contains characters Cinder refuses in a description/);
    }
  });
});
