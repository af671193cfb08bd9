import { IConstruct } from 'constructs';
import { ValidationError } from '../core/validation-error';
import { Cidr, cidrContains, cidrWithin, defaultGateway, formatIp, IpAddress, networkOf, parseCidr, parseIp, poolBounds, rangesOverlap } from './ip';
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
  /** Whether the subnet runs DHCP (the provider's `enable_dhcp` defaults to true). */
  readonly dhcpEnabled: boolean;
}

/** Neutron's `max_dns_nameservers` default (neutron/conf/common.py, Zed to master). */
const MAX_DNS_NAMESERVERS = 5;

/**
 * Checks a subnet the way Neutron would, but at synth time: a usable CIDR, pools
 * inside it and in order, no overlaps, the gateway (given or Neutron's default)
 * outside every pool, one address family throughout, what DHCP needs.
 * @returns the parsed CIDR, or undefined when it is unknown until apply
 */
export function checkSubnet(scope: IConstruct, input: SubnetInput): Cidr | undefined {
  if (isUnresolved(input.cidr)) {
    return undefined;
  }
  const cidr = checkCidr(scope, 'cidr', input.cidr, input.dhcpEnabled);
  const poolsField = input.poolsField ?? 'allocationPools';
  const pools = (input.pools ?? []).map((p, i) => checkPool(scope, `${poolsField}[${i}]`, p, cidr));
  pools.forEach((a, i) =>
    pools.slice(i + 1).forEach((b, j) => {
      if (a && b && rangesOverlap(a, b)) {
        const field = `${poolsField}[${i + j + 1}]`;
        throw new ValidationError(
          scope,
          field,
          input.pools![i + j + 1],
          `overlaps ${poolsField}[${i}] (${input.pools![i].start}-${input.pools![i].end})`,
          'make the ranges disjoint; Neutron refuses overlapping allocation pools',
        );
      }
    }),
  );
  const poolHolding = (address: IpAddress) => pools.findIndex((p) => p && address.value >= p.first && address.value <= p.last);
  const shownPool = (i: number) => `${poolsField}[${i}] (${input.pools![i].start}-${input.pools![i].end})`;
  if (input.gatewayIp === undefined) {
    // neutron/db/ipam_pluggable_backend.py allocate_subnet: the default gateway must stay out of the pools too.
    const gateway = defaultGateway(cidr);
    const i = poolHolding(gateway);
    if (i >= 0) {
      throw new ValidationError(
        scope,
        'gatewayIp',
        input.gatewayIp,
        `is left to Neutron, which takes ${formatIp(gateway)} (the first host), and that lies inside ${shownPool(i)}`,
        `set gatewayIp to the subnet's real gateway outside the ranges, or start ${poolsField}[${i}] after ${formatIp(gateway)}`,
      );
    }
  } else if (!isUnresolved(input.gatewayIp)) {
    const gateway = checkAddress(scope, 'gatewayIp', input.gatewayIp, cidr);
    // neutron/ipam/utils.py check_gateway_invalid_in_subnet, for every IPv4 prefix length.
    if (cidr.version === 4 && (gateway.value === cidr.first || gateway.value === cidr.last)) {
      throw new ValidationError(
        scope,
        'gatewayIp',
        input.gatewayIp,
        `is the ${gateway.value === cidr.first ? 'network' : 'broadcast'} address of the subnet; Neutron answers "Gateway is not valid on subnet"`,
        'give a host address of the cidr, usually the first one',
      );
    }
    const i = poolHolding(gateway);
    if (i >= 0) {
      throw new ValidationError(
        scope,
        'gatewayIp',
        input.gatewayIp,
        `lies inside ${shownPool(i)}`,
        'move the gateway out of the range or shrink the range; Neutron would hand the gateway address to a floating IP',
      );
    }
  }
  checkNameservers(scope, input.dnsNameservers ?? [], cidr);
  return cidr;
}

function checkNameservers(scope: IConstruct, servers: string[], cidr: Cidr): void {
  if (servers.length > MAX_DNS_NAMESERVERS) {
    throw new ValidationError(
      scope,
      'dnsNameservers',
      servers,
      `has ${servers.length} resolvers; Neutron allows ${MAX_DNS_NAMESERVERS} per subnet by default (max_dns_nameservers)`,
      `keep at most ${MAX_DNS_NAMESERVERS}`,
    );
  }
  servers.forEach((server, i) => {
    if (isUnresolved(server)) {
      return;
    }
    const address = parseIp(server);
    if (!address) {
      throw new ValidationError(scope, `dnsNameservers[${i}]`, server, 'is not an IP address', 'give the resolver as an IPv4 or IPv6 address, e.g. "8.8.8.8"');
    }
    const first = servers.indexOf(server);
    if (first < i) {
      throw new ValidationError(
        scope,
        `dnsNameservers[${i}]`,
        server,
        `repeats dnsNameservers[${first}]; Neutron refuses duplicate nameservers`,
        'list each resolver once',
      );
    }
    if (address.version !== cidr.version) {
      throw new ValidationError(
        scope,
        `dnsNameservers[${i}]`,
        server,
        `is IPv${address.version} but the subnet is IPv${cidr.version}`,
        `announce IPv${cidr.version} resolvers on an IPv${cidr.version} subnet`,
      );
    }
  });
}

function checkCidr(scope: IConstruct, field: string, text: string, dhcpEnabled: boolean): Cidr {
  const cidr = parseCidr(text);
  if (cidr === 'syntax') {
    throw new ValidationError(scope, field, text, 'is not a valid CIDR', 'write it as address/prefix, e.g. "192.168.1.0/24" or "2001:db8::/64"');
  }
  if (cidr === 'host-bits') {
    throw new ValidationError(scope, field, text, 'has host bits set', `use the network address "${networkOf(text)}"`);
  }
  if (cidr.prefixLength === 0) {
    throw new ValidationError(
      scope,
      field,
      text,
      'has prefix length 0, which Neutron refuses for a subnet',
      'give the block the subnet really has, e.g. "/24"',
    );
  }
  if (cidr.version === 6 && cidr.first === 0n) {
    throw new ValidationError(
      scope,
      field,
      text,
      'starts at "::", the unspecified address; Neutron refuses such an IPv6 subnet (2024.1 on)',
      'use a global or unique-local prefix, e.g. "fd00:1::/64"',
    );
  }
  if (dhcpEnabled) {
    checkDhcpCidr(scope, field, text, cidr);
  }
  return cidr;
}

/** neutron/db/db_base_plugin_v2.py `_validate_subnet`: what a subnet with DHCP must not be. */
function checkDhcpCidr(scope: IConstruct, field: string, text: string, cidr: Cidr): void {
  const fix = 'pick a private block such as "10.0.0.0/24"';
  if (cidr.prefixLength > (cidr.version === 4 ? 30 : 126)) {
    throw new ValidationError(
      scope,
      field,
      text,
      `is too small for a subnet with DHCP (Neutron allows at most /${cidr.version === 4 ? 30 : 126})`,
      `widen it, e.g. to /${cidr.version === 4 ? 24 : 64}`,
    );
  }
  if (cidrWithin(cidr, cidr.version === 4 ? '224.0.0.0/4' : 'ff00::/8')) {
    throw new ValidationError(scope, field, text, 'is a multicast block, which Neutron refuses for a subnet with DHCP', fix);
  }
  if (cidrWithin(cidr, '127.0.0.0/8')) {
    throw new ValidationError(scope, field, text, 'is a loopback block, which Neutron refuses for a subnet with DHCP', fix);
  }
  if (cidr.version === 4 && cidr.first === 0n) {
    throw new ValidationError(scope, field, text, 'starts at 0.0.0.0, which Neutron refuses for a subnet with DHCP', fix);
  }
}

function checkAddress(scope: IConstruct, field: string, text: string, cidr: Cidr): IpAddress {
  const address = parseIp(text);
  if (!address) {
    throw new ValidationError(scope, field, text, 'is not an IP address', 'write a single address such as "192.168.1.1"');
  }
  if (address.version !== cidr.version) {
    throw new ValidationError(
      scope,
      field,
      text,
      `is IPv${address.version} but the subnet is IPv${cidr.version}`,
      `use IPv${cidr.version} addresses throughout one subnet`,
    );
  }
  if (!cidrContains(cidr, address)) {
    throw new ValidationError(
      scope,
      field,
      text,
      `lies outside the subnet ${formatIp({ version: cidr.version, value: cidr.first })}/${cidr.prefixLength}`,
      'pick an address inside the cidr, or widen the cidr',
    );
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
  const bounds = poolBounds(cidr);
  if (start.value < bounds.first || end.value > bounds.last) {
    if (cidr.version === 4) {
      throw new ValidationError(
        scope,
        field,
        pool,
        'includes the network or broadcast address',
        'start the range after the network address and end it before the broadcast address',
      );
    }
    throw new ValidationError(
      scope,
      field,
      pool,
      'includes the network address, which Neutron keeps out of IPv6 pools (the subnet-router anycast address)',
      `start the range at ${formatIp({ version: 6, value: bounds.first })} or later`,
    );
  }
  return { first: start.value, last: end.value };
}
