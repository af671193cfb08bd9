import { VolumeType } from '../../../lib';
import { givenStack } from '../../support/fixtures';

describe('Cinder helpers', () => {
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
