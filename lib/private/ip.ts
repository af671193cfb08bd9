/**
 * IPv4/IPv6 address and CIDR arithmetic on bigints: just what subnet and
 * allocation-pool validation needs, with no dependency.
 */

/** An IP address as a number with its family. */
export interface IpAddress {
  readonly version: 4 | 6;
  readonly value: bigint;
}

/** A parsed CIDR block: its family, prefix length and first/last address. */
export interface Cidr {
  readonly version: 4 | 6;
  readonly prefixLength: number;
  readonly first: bigint;
  readonly last: bigint;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Parses an IPv4 or IPv6 address; undefined when it is not one. */
export function parseIp(text: string): IpAddress | undefined {
  const v4 = V4.exec(text);
  if (v4) {
    const octets = v4.slice(1).map(Number);
    if (octets.some((o, i) => o > 255 || (v4[i + 1].length > 1 && v4[i + 1].startsWith('0')))) {
      return undefined;
    }
    return { version: 4, value: octets.reduce((acc, o) => (acc << 8n) | BigInt(o), 0n) };
  }
  const v6 = parseIpv6(text);
  return v6 === undefined ? undefined : { version: 6, value: v6 };
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(text) || text.split('::').length > 2) {
    return undefined;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const missing = 8 - left.length - right.length;
  if ((tail === undefined && missing !== 0) || (tail !== undefined && missing < 1)) {
    return undefined;
  }
  const all = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) {
    return undefined;
  }
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Formats an address back to text (IPv6 uncompressed-but-unpadded is enough for messages). */
export function formatIp(address: IpAddress): string {
  if (address.version === 4) {
    return [24n, 16n, 8n, 0n].map((s) => ((address.value >> s) & 255n).toString()).join('.');
  }
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) {
    groups.push(((address.value >> s) & 0xffffn).toString(16));
  }
  return groups.join(':');
}

/** Why a CIDR string is unusable for a Neutron subnet, if it is. */
export type CidrProblem = 'syntax' | 'host-bits';

/** Parses `a.b.c.d/n` or `x::/n`; returns the problem when it is not a network address. */
export function parseCidr(text: string): Cidr | CidrProblem {
  const slash = text.indexOf('/');
  // A leading zero ("/024") is refused by neutron_lib's validate_subnet for IPv4, and would diff forever for IPv6.
  if (slash < 0 || !/^(0|[1-9]\d{0,2})$/.test(text.slice(slash + 1))) {
    return 'syntax';
  }
  const address = parseIp(text.slice(0, slash));
  const prefixLength = Number(text.slice(slash + 1));
  const bits = address?.version === 4 ? 32 : 128;
  if (!address || prefixLength > bits) {
    return 'syntax';
  }
  const size = 1n << BigInt(bits - prefixLength);
  if (address.value % size !== 0n) {
    return 'host-bits';
  }
  return { version: address.version, prefixLength, first: address.value, last: address.value + size - 1n };
}

/** The network address of the block that `text` (with host bits set) lies in, for a fix hint. */
export function networkOf(text: string): string | undefined {
  const [ip, prefix] = text.split('/');
  const address = parseIp(ip);
  if (!address || prefix === undefined) {
    return undefined;
  }
  const bits = address.version === 4 ? 32 : 128;
  const size = 1n << BigInt(bits - Number(prefix));
  return `${formatIp({ version: address.version, value: address.value - (address.value % size) })}/${prefix}`;
}

/** True when `address` lies in `cidr` (same family). */
export function cidrContains(cidr: Cidr, address: IpAddress): boolean {
  return cidr.version === address.version && address.value >= cidr.first && address.value <= cidr.last;
}

/** True when two inclusive ranges share at least one address. */
export function rangesOverlap(a: { first: bigint; last: bigint }, b: { first: bigint; last: bigint }): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/** True when two blocks of the same family share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.version === b.version && rangesOverlap(a, b);
}

/** True when `inner` lies wholly inside the block `outer` (written as text), as netaddr's `in` tests. */
export function cidrWithin(inner: Cidr, outer: string): boolean {
  const block = parseCidr(outer) as Cidr;
  return inner.version === block.version && inner.first >= block.first && inner.last <= block.last;
}

/**
 * The gateway Neutron picks when none is given (neutron/db/ipam_backend_mixin.py
 * `_gateway_ip_str`): the first host for IPv4, the network address itself (the
 * subnet-router anycast address) for IPv6.
 */
export function defaultGateway(cidr: Cidr): IpAddress {
  return { version: cidr.version, value: cidr.version === 4 ? cidr.first + 1n : cidr.first };
}

/**
 * The addresses allocation pools may use (neutron/db/ipam_backend_mixin.py
 * `validate_allocation_pools`): all but the network and broadcast addresses of an
 * IPv4 block up to /30, all of a /31 or /32, all but the network address for IPv6.
 */
export function poolBounds(cidr: Cidr): { first: bigint; last: bigint } {
  if (cidr.version === 4) {
    return cidr.prefixLength <= 30 ? { first: cidr.first + 1n, last: cidr.last - 1n } : { first: cidr.first, last: cidr.last };
  }
  return { first: cidr.first + 1n, last: cidr.last };
}

/** Number of addresses in an inclusive range. */
export function rangeSize(range: { first: bigint; last: bigint }): bigint {
  return range.last - range.first + 1n;
}
