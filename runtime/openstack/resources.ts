/** The OpenStack resources the teardown and the audit look at, and how raw API bodies map to them. */
import type { Json } from './session';

/** An Octavia load balancer. */
export interface LoadBalancer {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly provisioningStatus: string;
  readonly vipPortId?: string;
  readonly projectId?: string;
}
/** An Octavia listener. */
export interface Listener {
  readonly id: string;
  readonly l7PolicyIds: string[];
}
/** An Octavia pool with its members and health monitor. */
export interface Pool {
  readonly id: string;
  readonly healthMonitorId?: string;
  readonly memberIds: string[];
}
/** A Neutron floating IP. */
export interface FloatingIp {
  readonly id: string;
  readonly address: string;
  readonly description: string;
  readonly portId?: string;
  readonly projectId?: string;
}
/** A Neutron security group. */
export interface SecurityGroup {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly projectId?: string;
}
/** A Neutron port, as far as security groups go. */
export interface Port {
  readonly id: string;
  readonly securityGroupIds: string[];
  readonly deviceId?: string;
}
/** A Cinder volume with its metadata and attachments. */
export interface Volume {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly metadata: Record<string, string>;
  readonly attachedServerIds: string[];
  /** Devices it is attached as (e.g. /dev/vda), in attachment order. */
  readonly attachedDevices: string[];
  readonly bootable: boolean;
  readonly projectId?: string;
}
/** A Magnum cluster, as far as ownership goes. */
export interface Cluster {
  readonly uuid: string;
  readonly name: string;
  readonly status: string;
  readonly statusReason?: string;
  readonly stackId?: string;
  readonly projectId?: string;
  /** The cluster template it was made from. */
  readonly templateId?: string;
  /** When Magnum recorded it (RFC 3339). */
  readonly createdAt?: string;
  /** When Magnum last saved it (RFC 3339). */
  readonly updatedAt?: string;
}
/** One node group of a Magnum cluster, as the list shows it. */
export interface NodeGroupSummary {
  readonly uuid: string;
  readonly name: string;
  readonly isDefault: boolean;
  readonly role?: string;
  readonly status?: string;
  readonly stackId?: string;
}
/** One node group as Magnum shows it (`GET /clusters/<uuid>/nodegroups/<ref>`). */
export interface NodeGroupDetail {
  readonly uuid: string;
  readonly name: string;
  readonly status: string;
  readonly statusReason?: string;
  readonly nodeCount: number;
  readonly minNodeCount?: number;
  /** Unset (null in the API): no upper bound. */
  readonly maxNodeCount?: number;
  /** Changed by every save of the group, the conductor's taking a resize included. */
  readonly updatedAt?: string;
}
/** A Nova server. */
export interface Server {
  readonly id: string;
  readonly name: string;
  readonly status: string;
}
/** One resource of a Heat stack (or of a stack nested in it). */
export interface StackResource {
  readonly type: string;
  readonly name: string;
  readonly physicalId: string;
}

export const toLoadBalancer = (lb: Json): LoadBalancer => ({
  id: lb.id,
  name: lb.name ?? '',
  description: lb.description ?? '',
  provisioningStatus: lb.provisioning_status,
  vipPortId: lb.vip_port_id ?? undefined,
  projectId: lb.project_id,
});
export const toFloatingIp = (f: Json): FloatingIp => ({
  id: f.id,
  address: f.floating_ip_address,
  description: f.description ?? '',
  portId: f.port_id ?? undefined,
  projectId: f.project_id ?? f.tenant_id,
});
export const toSecurityGroup = (sg: Json): SecurityGroup => ({
  id: sg.id,
  name: sg.name ?? '',
  description: sg.description ?? '',
  projectId: sg.project_id ?? sg.tenant_id,
});
export const toPort = (p: Json): Port => ({ id: p.id, securityGroupIds: p.security_groups ?? [], deviceId: p.device_id || undefined });
export const toVolume = (v: Json): Volume => ({
  id: v.id,
  name: v.name ?? '',
  status: v.status,
  metadata: v.metadata ?? {},
  attachedServerIds: (v.attachments ?? []).map((a: Json) => a.server_id).filter(Boolean),
  attachedDevices: (v.attachments ?? []).map((a: Json) => a.device ?? ''),
  bootable: String(v.bootable) === 'true',
  projectId: v['os-vol-tenant-attr:tenant_id'],
});
export const toCluster = (c: Json): Cluster => ({
  uuid: c.uuid,
  name: c.name,
  status: c.status,
  statusReason: c.status_reason ?? undefined,
  stackId: c.stack_id ?? undefined,
  projectId: c.project_id,
  templateId: c.cluster_template_id ?? undefined,
  createdAt: c.created_at ?? undefined,
  updatedAt: c.updated_at ?? undefined,
});

/**
 * An object a stack creates by name (a Neutron network, subnet or router, a Glance image, a Cinder volume
 * type, a Magnum cluster template), as far as finding one a killed run created goes.
 */
export interface NamedObject {
  readonly id: string;
  readonly name: string;
  /** Neutron's and Cinder's description. */
  readonly description?: string;
  /** Glance's tags. */
  readonly tags?: readonly string[];
  /** The owning project (Glance: `owner`). */
  readonly projectId?: string;
  readonly status?: string;
  readonly createdAt?: string;
  /** A Magnum template's image. */
  readonly imageId?: string;
  /** A Magnum template's external network. */
  readonly externalNetworkId?: string;
}
export const toNamedObject = (o: Json): NamedObject => ({
  id: o.id ?? o.uuid,
  name: o.name ?? '',
  description: o.description ?? undefined,
  tags: o.tags ?? undefined,
  projectId: o.project_id ?? o.owner ?? undefined,
  status: o.status ?? undefined,
  createdAt: o.created_at ?? undefined,
  imageId: o.image_id ?? undefined,
  externalNetworkId: o.external_network_id ?? undefined,
});
/** A router's interface on a subnet: its Neutron port. */
export interface RouterInterface {
  readonly portId: string;
  readonly subnetIds: string[];
}
export const toRouterInterface = (p: Json): RouterInterface => ({
  portId: p.id,
  subnetIds: (p.fixed_ips ?? []).map((ip: Json) => ip.subnet_id),
});

/** A `created_at` in ms since the epoch; Magnum writes it without a zone on some releases: it is UTC. NaN when absent. */
export function openStackTime(createdAt: string | undefined): number {
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(createdAt ?? '') ? createdAt! : `${createdAt}Z`);
}
