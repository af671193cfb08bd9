import { cidrContains, firstHost, formatIp, networkOf, parseCidr, parseIp, rangesOverlap } from '../../../lib/private/ip';

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

  test.each(['256.0.0.1', '10.0.2', '10.0.02.1', '1.2.3.4.5', 'a::b::c', '1:2:3:4:5:6:7:8:9', 'gggg::', '', '10.0.2.1/24'])(
    'rejects %s', (text) => {
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

  test.each([['10.0.2.0'], ['10.0.2.0/33'], ['x/24'], ['10.0.2.0/'], ['2001:db8::/129']])('calls %s a syntax error', (text) => {
    expect(parseCidr(text)).toBe('syntax');
  });

  test('refuses host bits and names the network address', () => {
    expect(parseCidr('10.0.2.5/24')).toBe('host-bits');
    expect(networkOf('10.0.2.5/24')).toBe('10.0.2.0/24');
  });

  test('contains only addresses of its own family and block', () => {
    const cidr = parseCidr('10.0.2.0/24');
    if (typeof cidr === 'string') throw new Error(cidr);
    expect(cidrContains(cidr, parseIp('10.0.2.255')!)).toBe(true);
    expect(cidrContains(cidr, parseIp('10.0.3.0')!)).toBe(false);
    expect(cidrContains(cidr, parseIp('::a00:201')!)).toBe(false);
    expect(formatIp(firstHost(cidr))).toBe('10.0.2.1');
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
