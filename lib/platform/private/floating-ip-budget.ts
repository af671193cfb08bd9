import { IConstruct } from 'constructs';
import { ValidationError } from '../../core/validation-error';
import type { ClusterTemplate } from '../../magnum/cluster-template';
import { ClusterReplacement } from '../../magnum/cluster-replacement';
import type { MagnumCluster } from '../../magnum/magnum-cluster';
import { ExternalNetwork, FloatingIpRange, IExternalNetwork } from '../../network/external-network';
import { parseCidr, parseIp, rangeSize } from '../../private/ip';
import { boolFromString, labelFlag } from '../../private/magnum-checks';
import { isUnresolved } from '../../private/tokens';
import { warn } from '../../private/warn';

/** What decides how many addresses one Magnum cluster takes from its external network. */
export interface ClusterShape {
  readonly masters: number;
  /** Workers of the default group and of every node group. */
  readonly workers: number;
  readonly floatingIpEnabled: boolean;
  readonly masterLbEnabled: boolean;
  /** The `master_lb_floating_ip_enabled` label, when set. */
  readonly masterLbFloatingIpLabel?: string;
}

/** The addresses a cluster takes from the external subnet's pools, by what takes them. */
export interface FloatingIpDemand {
  /** The gateway port of the cluster's router: Heat's per-cluster router, or the ClusterNetwork's. */
  readonly routerGateway: number;
  /** The floating IP of the API load balancer. */
  readonly apiLoadBalancer: number;
  /** One floating IP per master and worker. */
  readonly nodes: number;
  readonly total: number;
}

/**
 * Magnum's Heat drivers (Zed to 2024.1, magnum/drivers/heat/template_def.py
 * add_fip_env_file): every node gets a floating IP when floating_ip_enabled; the
 * API load balancer gets one when master_lb_enabled and either the label is true or
 * floating_ip_enabled is (the label alone cannot turn it off); the router's gateway
 * always takes one address. The etcd load balancer gets none.
 */
export function floatingIpDemand(shape: ClusterShape): FloatingIpDemand {
  const labelOn = boolFromString(shape.masterLbFloatingIpLabel);
  const apiLoadBalancer = shape.masterLbEnabled && (labelOn || shape.floatingIpEnabled) ? 1 : 0;
  const nodes = shape.floatingIpEnabled ? shape.masters + shape.workers : 0;
  return { routerGateway: 1, apiLoadBalancer, nodes, total: 1 + apiLoadBalancer + nodes };
}

/** Addresses in the ranges (validated disjoint), or undefined when one is unknown until apply. */
export function poolCapacity(ranges: readonly FloatingIpRange[]): bigint | undefined {
  if (isUnresolved(ranges)) {
    return undefined;
  }
  let total = 0n;
  for (const range of ranges) {
    const start = parseIp(range.start);
    const end = parseIp(range.end);
    if (!start || !end) {
      return undefined;
    }
    total += rangeSize({ first: start.value, last: end.value });
  }
  return total;
}

/**
 * Checks that an owned external network can serve what a platform's cluster takes
 * from it: refuses an IPv6-only network when the cluster needs floating IPs, and at
 * synth (node groups come later) warns when the ranges are too small.
 */
export function checkFloatingIpBudget(scope: IConstruct, external: IExternalNetwork, template: ClusterTemplate, cluster: MagnumCluster): void {
  if (!(external instanceof ExternalNetwork) || isUnresolved(external.cidr)) {
    return;
  }
  const cidr = parseCidr(external.cidr);
  // Node groups come later, but the masters alone decide whether floating IPs are needed at all.
  const early = shapeOf(template, cluster);
  const demand = early && floatingIpDemand(early);
  // neutron/db/l3_db.py _create_floatingip: "Network ... does not contain any IPv4 subnet" (Zed and master).
  if (typeof cidr !== 'string' && cidr.version === 6 && demand && demand.apiLoadBalancer + demand.nodes > 0) {
    throw new ValidationError(
      external,
      'cidr',
      external.cidr,
      'is IPv6, but the cluster needs floating IPs and Neutron allocates them only from an IPv4 subnet',
      'give the external network an IPv4 cidr, or turn floatingIpEnabled (and masterLbFloatingIpEnabled) off in the template',
    );
  }
  let warned = false;
  scope.node.addValidation({
    validate: () => {
      if (!warned) {
        warned = true;
        warnIfShort(external, template, cluster);
      }
      return [];
    },
  });
}

function warnIfShort(external: ExternalNetwork, template: ClusterTemplate, cluster: MagnumCluster): void {
  const capacity = poolCapacity(external.floatingIpRanges);
  const shape = shapeOf(template, cluster);
  if (capacity === undefined || !shape) {
    return;
  }
  const single = floatingIpDemand(shape);
  // Replacing create-before-destroy, the new cluster takes its addresses while the old one holds its own;
  // the router gateway is shared only when the template or cluster names a network (Heat makes one router per cluster).
  const twice = cluster.replacement === ClusterReplacement.CREATE_BEFORE_DESTROY;
  const sharedRouter = (cluster.resource.fixedNetworkInput ?? template.resource.fixedNetworkInput) !== undefined;
  const demand = twice
    ? {
        routerGateway: single.routerGateway * (sharedRouter ? 1 : 2),
        apiLoadBalancer: single.apiLoadBalancer * 2,
        nodes: single.nodes * 2,
        total: single.total * 2 - (sharedRouter ? single.routerGateway : 0),
      }
    : single;
  if (capacity >= BigInt(demand.total)) {
    return;
  }
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const parts = [
    count(demand.routerGateway, 'router gateway'),
    count(demand.apiLoadBalancer, 'API load balancer floating IP'),
    `${count(demand.nodes, 'node floating IP')} (${count(shape.masters, 'master')}, ${count(shape.workers, 'worker')}${twice ? ', each twice' : ''})`,
  ];
  warn(
    external,
    'floatingIpRanges',
    external.floatingIpRanges,
    `hold ${capacity} addresses, fewer than the ${demand.total} the platform takes from them${twice ? ' while a replacement runs both clusters (replacement: create-before-destroy)' : ''} (${parts.join(', ')}); the cluster fails with Neutron's "No more IP addresses available on network"`,
    `widen the ranges to at least ${demand.total} addresses, plus one per LoadBalancer Service, or set floatingIpEnabled: false in the template`,
  );
}

/**
 * The shape as synthesized so far, read from the L1 inputs so that no default is
 * repeated here; undefined when a count or switch is unknown until apply.
 */
function shapeOf(template: ClusterTemplate, cluster: MagnumCluster): ClusterShape | undefined {
  const t = template.resource;
  const c = cluster.resource;
  const floatingIpEnabled = c.floatingIpEnabledInput ?? t.floatingIpEnabledInput;
  const masterLbEnabled = c.masterLbEnabledInput ?? t.masterLbEnabledInput;
  const label = (key: string): string | undefined => c.labelsInput?.[key] ?? t.labelsInput?.[key];
  // Autoscaled groups grow to their maximum without a Terraform change. The label is read as the
  // node groups' checks read it (MagnumCluster): unset is off, a value other than true or false is
  // unknown, and so is then the size of a group with a maximum.
  const autoscaledLabel = label('auto_scaling_enabled');
  const autoscaled = autoscaledLabel === undefined ? false : labelFlag(autoscaledLabel);
  const groups = cluster.nodeGroups.map((g) => {
    const { nodeCountInput: count, maxNodeCountInput: max } = g.resource;
    return autoscaled === true ? (max ?? count) : autoscaled === false || max === undefined ? count : undefined;
  });
  const counts = [c.masterCountInput, c.nodeCountInput, ...groups];
  if (typeof floatingIpEnabled !== 'boolean' || typeof masterLbEnabled !== 'boolean' || counts.some((n) => n === undefined || isUnresolved(n))) {
    return undefined;
  }
  const [masters, ...workers] = counts as number[];
  return {
    masters,
    workers: workers.reduce((a, b) => a + b, 0),
    floatingIpEnabled,
    masterLbEnabled,
    masterLbFloatingIpLabel: label('master_lb_floating_ip_enabled'),
  };
}
