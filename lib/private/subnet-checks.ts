import { IConstruct } from 'constructs';
import { ValidationError } from '../core/validation-error';
import { Cidr, cidrContains, formatIp, IpAddress, networkOf, parseCidr, parseIp, rangesOverlap } from './ip';
import { isUnresolved } from './tokens';

/** One allocation pool as the user wrote it. */
export interface PoolInput {
  readonly start: string;
  readonly end: string;
}

/** The subnet props shared by the external and the cluster network. */
export interface SubnetInput {
  readonly cidr: string;
  readonly gatewayIp?: string;
  readonly pools?: PoolInput[];
  readonly poolsField?: string;
  readonly dnsNameservers?: string[];
}

/**
 * Checks a subnet the way Neutron would, but at synth time: a network-address
 * CIDR, pools inside it and in order, no overlaps, the gateway outside every
 * pool, one address family throughout.
 */
export function checkSubnet(scope: IConstruct, input: SubnetInput): void {
  if (isUnresolved(input.cidr)) {
    return;
  }
  const cidr = checkCidr(scope, 'cidr', input.cidr);
  const pools = (input.pools ?? []).map((p, i) => checkPool(scope, `${input.poolsField ?? 'allocationPools'}[${i}]`, p, cidr));
  pools.forEach((a, i) =>
    pools.slice(i + 1).forEach((b, j) => {
      if (a && b && rangesOverlap(a, b)) {
        const field = `${input.poolsField ?? 'allocationPools'}[${i + j + 1}]`;
        throw new ValidationError(scope, field, input.pools![i + j + 1], `overlaps ${field.replace(/\[\d+\]$/, `[${i}]`)} (${input.pools![i].start}-${input.pools![i].end})`, 'make the ranges disjoint; Neutron refuses overlapping allocation pools');
      }
    }),
  );
  if (input.gatewayIp !== undefined && !isUnresolved(input.gatewayIp)) {
    const gateway = checkAddress(scope, 'gatewayIp', input.gatewayIp, cidr);
    pools.forEach((p, i) => {
      if (p && gateway.value >= p.first && gateway.value <= p.last) {
        throw new ValidationError(scope, 'gatewayIp', input.gatewayIp, `lies inside ${input.poolsField ?? 'allocationPools'}[${i}] (${input.pools![i].start}-${input.pools![i].end})`, 'move the gateway out of the range or shrink the range; Neutron would hand the gateway address to a floating IP');
      }
    });
  }
  (input.dnsNameservers ?? []).forEach((server, i) => {
    if (!isUnresolved(server) && !parseIp(server)) {
      throw new ValidationError(scope, `dnsNameservers[${i}]`, server, 'is not an IP address', 'give the resolver as an IPv4 or IPv6 address, e.g. "8.8.8.8"');
    }
  });
}

function checkCidr(scope: IConstruct, field: string, text: string): Cidr {
  const cidr = parseCidr(text);
  if (cidr === 'syntax') {
    throw new ValidationError(scope, field, text, 'is not a valid CIDR', 'write it as address/prefix, e.g. "192.168.1.0/24" or "2001:db8::/64"');
  }
  if (cidr === 'host-bits') {
    throw new ValidationError(scope, field, text, 'has host bits set', `use the network address "${networkOf(text)}"`);
  }
  return cidr;
}

function checkAddress(scope: IConstruct, field: string, text: string, cidr: Cidr): IpAddress {
  const address = parseIp(text);
  if (!address) {
    throw new ValidationError(scope, field, text, 'is not an IP address', 'write a single address such as "192.168.1.1"');
  }
  if (address.version !== cidr.version) {
    throw new ValidationError(scope, field, text, `is IPv${address.version} but the subnet is IPv${cidr.version}`, `use IPv${cidr.version} addresses throughout one subnet`);
  }
  if (!cidrContains(cidr, address)) {
    throw new ValidationError(scope, field, text, `lies outside the subnet ${formatIp({ version: cidr.version, value: cidr.first })}/${cidr.prefixLength}`, 'pick an address inside the cidr, or widen the cidr');
  }
  return address;
}

function checkPool(scope: IConstruct, field: string, pool: PoolInput, cidr: Cidr): { first: bigint; last: bigint } | undefined {
  if (isUnresolved(pool.start) || isUnresolved(pool.end)) {
    return undefined;
  }
  const start = checkAddress(scope, `${field}.start`, pool.start, cidr);
  const end = checkAddress(scope, `${field}.end`, pool.end, cidr);
  if (start.value > end.value) {
    throw new ValidationError(scope, field, pool, 'starts after it ends', `swap them: { start: "${pool.end}", end: "${pool.start}" }`);
  }
  if (cidr.version === 4 && cidr.prefixLength < 31 && (start.value === cidr.first || end.value === cidr.last)) {
    throw new ValidationError(scope, field, pool, 'includes the network or broadcast address', 'start the range after the network address and end it before the broadcast address');
  }
  return { first: start.value, last: end.value };
}
