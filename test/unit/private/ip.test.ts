import {
  Cidr,
  cidrContains,
  cidrsOverlap,
  cidrWithin,
  defaultGateway,
  formatIp,
  networkOf,
  parseCidr,
  parseIp,
  poolBounds,
  rangeSize,
  rangesOverlap,
} from '../../../lib/private/ip';

const block = (text: string): Cidr => {
  const cidr = parseCidr(text);
  if (typeof cidr === 'string') throw new Error(`${text}: ${cidr}`);
  return cidr;
};

describe('parseIp', () => {
  test.each([
    ['10.0.2.1', 4, 0x0a000201n],
    ['0.0.0.0', 4, 0n],
    ['255.255.255.255', 4, 0xffffffffn],
    ['::1', 6, 1n],
    ['2001:db8::', 6, 0x20010db8n << 96n],
    ['fe80::1:2', 6, (0xfe80n << 112n) | (1n << 16n) | 2n],
  ])('parses %s', (text, version, value) => {
    expect(parseIp(text)).toEqual({ version, value });
  });

  test.each(['256.0.0.1', '10.0.2', '10.0.02.1', '1.2.3.4.5', 'a::b::c', '1:2:3:4:5:6:7:8:9', 'gggg::', '', '10.0.2.1/24'])('rejects %s', (text) => {
    expect(parseIp(text)).toBeUndefined();
  });

  test('formats what it parses', () => {
    expect(formatIp(parseIp('192.168.1.20')!)).toBe('192.168.1.20');
    expect(formatIp(parseIp('2001:db8::5')!)).toBe('2001:db8:0:0:0:0:0:5');
  });
});

describe('parseCidr', () => {
  test('gives the first and last address', () => {
    expect(parseCidr('10.0.2.0/24')).toEqual({ version: 4, prefixLength: 24, first: 0x0a000200n, last: 0x0a0002ffn });
  });

  test.each([['10.0.2.0'], ['10.0.2.0/33'], ['x/24'], ['10.0.2.0/'], ['2001:db8::/129'], ['10.0.2.0/024'], ['2001:db8::/064']])(
    'calls %s a syntax error',
    (text) => {
      expect(parseCidr(text)).toBe('syntax');
    },
  );

  test('refuses host bits and names the network address', () => {
    expect(parseCidr('10.0.2.5/24')).toBe('host-bits');
    expect(networkOf('10.0.2.5/24')).toBe('10.0.2.0/24');
  });

  test('contains only addresses of its own family and block', () => {
    const cidr = block('10.0.2.0/24');
    expect(cidrContains(cidr, parseIp('10.0.2.255')!)).toBe(true);
    expect(cidrContains(cidr, parseIp('10.0.3.0')!)).toBe(false);
    expect(cidrContains(cidr, parseIp('::a00:201')!)).toBe(false);
  });

  test('accepts prefix length 0 as syntax (the subnet checks refuse it by name)', () => {
    expect(parseCidr('0.0.0.0/0')).toEqual({ version: 4, prefixLength: 0, first: 0n, last: 0xffffffffn });
  });
});

describe('what Neutron derives from a CIDR', () => {
  test.each([
    ['10.0.2.0/24', '10.0.2.1'],
    ['10.0.2.0/31', '10.0.2.1'],
    ['2001:db8::/64', '2001:db8:0:0:0:0:0:0'],
  ])('default gateway of %s is %s (ipam_backend_mixin _gateway_ip_str)', (text, gateway) => {
    expect(formatIp(defaultGateway(block(text)))).toBe(gateway);
  });

  test.each([
    ['10.0.2.0/24', '10.0.2.1', '10.0.2.254'],
    ['10.0.2.0/30', '10.0.2.1', '10.0.2.2'],
    ['10.0.2.0/31', '10.0.2.0', '10.0.2.1'],
    ['10.0.2.7/32', '10.0.2.7', '10.0.2.7'],
    ['2001:db8::/126', '2001:db8:0:0:0:0:0:1', '2001:db8:0:0:0:0:0:3'],
  ])('pools of %s lie within %s-%s (validate_allocation_pools)', (text, first, last) => {
    const bounds = poolBounds(block(text));
    expect([formatIp({ version: block(text).version, value: bounds.first }), formatIp({ version: block(text).version, value: bounds.last })]).toEqual([
      first,
      last,
    ]);
  });

  test('counts the addresses of a range', () => {
    expect(rangeSize({ first: 10n, last: 19n })).toBe(10n);
  });
});

describe('cidrsOverlap and cidrWithin', () => {
  test.each([
    ['10.0.0.0/24', '10.0.0.128/25', true],
    ['10.0.0.0/8', '10.200.0.0/16', true],
    ['10.0.0.0/24', '10.0.1.0/24', false],
    ['::/96', '0.0.0.0/8', false],
  ])('%s and %s overlap: %s', (a, b, expected) => {
    expect(cidrsOverlap(block(a), block(b))).toBe(expected);
  });

  test.each([
    ['224.0.0.0/24', '224.0.0.0/4', true],
    ['224.0.0.0/3', '224.0.0.0/4', false],
    ['ff02::/16', 'ff00::/8', true],
    ['127.0.0.0/8', 'ff00::/8', false],
  ])("%s lies within %s: %s (as netaddr's `in`)", (inner, outer, expected) => {
    expect(cidrWithin(block(inner), outer)).toBe(expected);
  });
});

describe('rangesOverlap', () => {
  test.each([
    [[1, 5], [5, 9], true],
    [[1, 5], [6, 9], false],
    [[3, 4], [1, 9], true],
  ])('%j and %j overlap: %s', (a, b, expected) => {
    const range = (r: number[]) => ({ first: BigInt(r[0]), last: BigInt(r[1]) });
    expect(rangesOverlap(range(a), range(b))).toBe(expected);
  });
});
