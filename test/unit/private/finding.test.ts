import { TerraformVariable } from 'cdktf';
import { NetworkingNetworkV2 } from '../../../.gen/providers/openstack/networking-network-v2';
import { formatFinding } from '../../../lib/core/finding';
import { escapeTemplate } from '../../../lib/private/template-escape';
import { givenStack } from '../../support/fixtures';

describe('formatFinding: one message format for errors and warnings', () => {
  test('path, field, value as JSON, problem and fix', () => {
    const stack = givenStack();
    expect(formatFinding(stack, 'cidr', '10.0.0.0/33', 'is not a valid CIDR', 'write it as address/prefix')).toBe(
      'test: cidr = "10.0.0.0/33": is not a valid CIDR. Fix: write it as address/prefix.',
    );
    expect(formatFinding(stack, 'name', undefined, 'is missing', 'give one')).toBe('test: name = (not set): is missing. Fix: give one.');
  });

  test('a value unknown until apply reads as the Terraform reference it stands for', () => {
    const stack = givenStack();
    const net = new NetworkingNetworkV2(stack, 'net', { name: 'n' });
    const count = new TerraformVariable(stack, 'count', { type: 'number' }).numberValue;
    expect(formatFinding(stack, 'networkId', net.id, 'p', 'f')).toMatch(
      /^test: networkId = <known at apply: openstack_networking_network_v2\.net\.id>: p\. Fix: f\.$/,
    );
    expect(formatFinding(stack, 'ids', [net.id, 'x'], 'p', 'f')).toContain('["<known at apply: openstack_networking_network_v2.net.id>","x"]');
    expect(formatFinding(stack, 'masters', count, 'p', 'f')).toMatch(/masters = <known at apply: var\.count>/);
    expect(formatFinding(stack, 'name', `${net.name}-x`, 'p', 'f')).toContain('"<known at apply: openstack_networking_network_v2.net.name>-x"');
  });

  test('a long value is cut at 120 characters', () => {
    expect(formatFinding(givenStack(), 'name', 'n'.repeat(300), 'p', 'f')).toMatch(/name = "n{116}\.\.\.: p/);
  });
});

describe('escapeTemplate: literal text as Terraform reads it in a JSON configuration', () => {
  test.each([
    ['plain', 'gpu pool', 'gpu pool'],
    ['an interpolation', 'a ${self.id} b', 'a $${self.id} b'],
    ['a directive', '%{ if true }x%{ endif }', '%%{ if true }x%%{ endif }'],
    ['a lone dollar or percent', '$HOME 100%', '$HOME 100%'],
    ['dollars before a brace', '$$${x}', '$$$${x}'],
  ])('%s', (_kind, text, escaped) => {
    expect(escapeTemplate(text)).toBe(escaped);
  });
});
