import { CloudConfig } from './cloud-config';
import { statusOf } from './errors';
import {
  Cluster,
  FloatingIp,
  Listener,
  LoadBalancer,
  NamedObject,
  NodeGroupDetail,
  NodeGroupSummary,
  Pool,
  Port,
  RouterInterface,
  SecurityGroup,
  Server,
  StackResource,
  Volume,
  toCluster,
  toFloatingIp,
  toLoadBalancer,
  toNamedObject,
  toPort,
  toRouterInterface,
  toSecurityGroup,
  toVolume,
} from './resources';
import { ClientOptions, Json, OpenStackSession, ServiceType } from './session';

const MAGNUM_LATEST = { 'OpenStack-API-Version': 'container-infra latest' };
/** Owners of a router's interface ports: plain, DVR, L3-HA (neutron_lib.constants.ROUTER_INTERFACE_OWNERS). */
const ROUTER_INTERFACE_OWNERS = ['network:router_interface', 'network:router_interface_distributed', 'network:ha_router_replicated_interface'];
const q = (params: Record<string, string | undefined>) => {
  const defined = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined);
  return defined.length ? `?${new URLSearchParams(defined).toString()}` : '';
};

/** The calls the teardown and the audit need, typed, over one authenticated {@link OpenStackSession}. */
export class OpenStackClient {
  /** Authenticates and reads the catalog. */
  public static async connect(cloud: CloudConfig, options: ClientOptions = {}): Promise<OpenStackClient> {
    return new OpenStackClient(await OpenStackSession.open(cloud, options));
  }

  constructor(
    /** The token, catalog and requests these calls go through. */
    public readonly session: OpenStackSession,
  ) {}

  /** A JSON request to a service; re-authenticates once on 401; throws OpenStackHttpError on an error status. */
  public request<T = Json>(service: ServiceType | string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    return this.session.request<T>(service, method, path, body, headers);
  }

  // --- Octavia

  /** Load balancers, all the token can see or one project's. */
  public async listLoadBalancers(filter: { projectId?: string } = {}): Promise<LoadBalancer[]> {
    const raw = await this.session.listAll('load-balancer', `/v2/lbaas/loadbalancers${q({ project_id: filter.projectId })}`, 'loadbalancers');
    return raw.map(toLoadBalancer);
  }

  /** One load balancer; throws a 404 OpenStackHttpError when it is gone. */
  public async getLoadBalancer(id: string): Promise<LoadBalancer> {
    return toLoadBalancer((await this.request('load-balancer', 'GET', `/v2/lbaas/loadbalancers/${id}`)).loadbalancer);
  }

  /** Deletes a load balancer; `cascade` takes its listeners, pools, members and monitors with it. */
  public async deleteLoadBalancer(id: string, options: { cascade: boolean }): Promise<void> {
    await this.request('load-balancer', 'DELETE', `/v2/lbaas/loadbalancers/${id}${options.cascade ? '?cascade=true' : ''}`);
  }

  /** The listeners of a load balancer. */
  public async listListeners(loadBalancerId: string): Promise<Listener[]> {
    const raw = await this.session.listAll('load-balancer', `/v2/lbaas/listeners${q({ loadbalancer_id: loadBalancerId })}`, 'listeners');
    return raw.map((l) => ({ id: l.id, l7PolicyIds: (l.l7policies ?? []).map((p: Json) => p.id) }));
  }

  /** The pools of a load balancer, with their member and health monitor ids. */
  public async listPools(loadBalancerId: string): Promise<Pool[]> {
    const raw = await this.session.listAll('load-balancer', `/v2/lbaas/pools${q({ loadbalancer_id: loadBalancerId })}`, 'pools');
    return raw.map((p) => ({ id: p.id, healthMonitorId: p.healthmonitor_id ?? undefined, memberIds: (p.members ?? []).map((m: Json) => m.id) }));
  }

  /** Deletes an L7 policy. */
  public async deleteL7Policy(id: string): Promise<void> {
    await this.request('load-balancer', 'DELETE', `/v2/lbaas/l7policies/${id}`);
  }

  /** Deletes a health monitor. */
  public async deleteHealthMonitor(id: string): Promise<void> {
    await this.request('load-balancer', 'DELETE', `/v2/lbaas/healthmonitors/${id}`);
  }

  /** Deletes a pool member. */
  public async deleteMember(poolId: string, memberId: string): Promise<void> {
    await this.request('load-balancer', 'DELETE', `/v2/lbaas/pools/${poolId}/members/${memberId}`);
  }

  /** Deletes a pool. */
  public async deletePool(id: string): Promise<void> {
    await this.request('load-balancer', 'DELETE', `/v2/lbaas/pools/${id}`);
  }

  /** Deletes a listener. */
  public async deleteListener(id: string): Promise<void> {
    await this.request('load-balancer', 'DELETE', `/v2/lbaas/listeners/${id}`);
  }

  // --- Neutron

  /** Floating IPs, all the token can see or one project's. */
  public async listFloatingIps(filter: { projectId?: string } = {}): Promise<FloatingIp[]> {
    const raw = await this.session.listAll('network', `/v2.0/floatingips${q({ project_id: filter.projectId })}`, 'floatingips');
    return raw.map(toFloatingIp);
  }

  /** One floating IP; throws a 404 OpenStackHttpError when it is gone. */
  public async getFloatingIp(id: string): Promise<FloatingIp> {
    return toFloatingIp((await this.request('network', 'GET', `/v2.0/floatingips/${id}`)).floatingip);
  }

  /** Deletes a floating IP (associated or not). */
  public async deleteFloatingIp(id: string): Promise<void> {
    await this.request('network', 'DELETE', `/v2.0/floatingips/${id}`);
  }

  /** Security groups, all the token can see or one project's. */
  public async listSecurityGroups(filter: { projectId?: string } = {}): Promise<SecurityGroup[]> {
    const raw = await this.session.listAll('network', `/v2.0/security-groups${q({ project_id: filter.projectId })}`, 'security_groups');
    return raw.map(toSecurityGroup);
  }

  /** One security group; throws a 404 OpenStackHttpError when it is gone. */
  public async getSecurityGroup(id: string): Promise<SecurityGroup> {
    return toSecurityGroup((await this.request('network', 'GET', `/v2.0/security-groups/${id}`)).security_group);
  }

  /** Deletes a security group (409 while a port still uses it). */
  public async deleteSecurityGroup(id: string): Promise<void> {
    await this.request('network', 'DELETE', `/v2.0/security-groups/${id}`);
  }

  /** Ports that use a security group. */
  public async listPortsUsingSecurityGroup(securityGroupId: string): Promise<Port[]> {
    const raw = await this.session.listAll('network', `/v2.0/ports${q({ security_groups: securityGroupId })}`, 'ports');
    // Older Neutron ignores the filter: check each port's groups ourselves.
    return raw.map(toPort).filter((p) => p.securityGroupIds.includes(securityGroupId));
  }

  /** Replaces the security groups of a port. */
  public async setPortSecurityGroups(portId: string, securityGroupIds: string[]): Promise<void> {
    await this.request('network', 'PUT', `/v2.0/ports/${portId}`, { port: { security_groups: securityGroupIds } });
  }

  // --- Cinder

  /** Volumes with details (metadata, attachments); `allProjects` needs the admin role. */
  public async listVolumes(filter: { allProjects?: boolean } = {}): Promise<Volume[]> {
    const raw = await this.session.listAll('block-storage', `/volumes/detail${q({ all_tenants: filter.allProjects ? '1' : undefined })}`, 'volumes');
    return raw.map(toVolume);
  }

  /** One volume; throws a 404 OpenStackHttpError when it is gone. */
  public async getVolume(id: string): Promise<Volume> {
    return toVolume((await this.request('block-storage', 'GET', `/volumes/${id}`)).volume);
  }

  /** Deletes a volume; `cascade` also deletes its snapshots. */
  public async deleteVolume(id: string, options: { cascade: boolean }): Promise<void> {
    await this.request('block-storage', 'DELETE', `/volumes/${id}${options.cascade ? '?cascade=true' : ''}`);
  }

  // --- Magnum

  /** A cluster by UUID, or undefined when Magnum does not know it. */
  public async getCluster(uuid: string): Promise<Cluster | undefined> {
    try {
      return toCluster(await this.request('container-infra', 'GET', `/clusters/${uuid}`, undefined, MAGNUM_LATEST));
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** Every cluster the token can see. */
  public async listClusters(): Promise<Cluster[]> {
    const { clusters } = await this.request('container-infra', 'GET', '/clusters', undefined, MAGNUM_LATEST);
    return (clusters ?? []).map(toCluster);
  }

  /** Every cluster the token can see, with what only the detailed list shows (project, template, creation time). */
  public async listClusterDetails(): Promise<Cluster[]> {
    const { clusters } = await this.request('container-infra', 'GET', '/clusters/detail', undefined, MAGNUM_LATEST);
    return (clusters ?? []).map(toCluster);
  }

  /** Asks Magnum to delete a cluster; false when Magnum does not know it. */
  public async deleteCluster(uuid: string): Promise<boolean> {
    try {
      await this.request('container-infra', 'DELETE', `/clusters/${uuid}`, undefined, MAGNUM_LATEST);
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  /**
   * A cluster's node groups, the default ones included (non-default groups have Heat stacks of
   * their own). None once Magnum no longer knows the cluster (404), and none from a Magnum older
   * than node groups (API < 1.9, 406), where the cluster's own stack is all there is.
   */
  public async listNodeGroups(clusterUuid: string): Promise<NodeGroupSummary[]> {
    try {
      const { nodegroups } = await this.request('container-infra', 'GET', `/clusters/${clusterUuid}/nodegroups`, undefined, MAGNUM_LATEST);
      return (nodegroups ?? []).map((n: Json) => ({
        uuid: n.uuid,
        name: n.name,
        isDefault: n.is_default === true,
        role: n.role,
        status: n.status,
        stackId: n.stack_id ?? undefined,
      }));
    } catch (error) {
      if ([404, 406].includes(statusOf(error) ?? 0)) return [];
      throw error;
    }
  }

  /** Asks Magnum to delete a node group (name or UUID); false when Magnum does not know it. */
  public async deleteNodeGroup(clusterUuid: string, nodeGroup: string): Promise<boolean> {
    try {
      await this.request('container-infra', 'DELETE', `/clusters/${clusterUuid}/nodegroups/${encodeURIComponent(nodeGroup)}`, undefined, MAGNUM_LATEST);
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  /** A node group's status (name or UUID), or undefined once Magnum no longer knows it. */
  public async getNodeGroupStatus(clusterUuid: string, nodeGroup: string): Promise<string | undefined> {
    return (await this.getNodeGroup(clusterUuid, nodeGroup))?.status;
  }

  /** One node group (name or UUID), or undefined once Magnum no longer knows it (or its cluster). */
  public async getNodeGroup(clusterUuid: string, nodeGroup: string): Promise<NodeGroupDetail | undefined> {
    try {
      const g = await this.request('container-infra', 'GET', `/clusters/${clusterUuid}/nodegroups/${encodeURIComponent(nodeGroup)}`, undefined, MAGNUM_LATEST);
      return {
        uuid: g.uuid,
        name: g.name,
        status: g.status ?? '',
        statusReason: g.status_reason ?? undefined,
        nodeCount: g.node_count,
        minNodeCount: g.min_node_count ?? undefined,
        maxNodeCount: g.max_node_count ?? undefined,
        updatedAt: g.updated_at ?? undefined,
      };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /**
   * Asks Magnum to resize a node group of a cluster (`POST /clusters/<uuid>/actions/resize`, API 1.10 and
   * later for a count of 0). Magnum answers 202 and its conductor takes the resize up later.
   */
  public async resizeNodeGroup(clusterUuid: string, nodeGroupUuid: string, nodeCount: number): Promise<void> {
    await this.request(
      'container-infra',
      'POST',
      `/clusters/${clusterUuid}/actions/resize`,
      { node_count: nodeCount, nodegroup: nodeGroupUuid },
      MAGNUM_LATEST,
    );
  }

  // --- Objects a stack creates by name (scripts/before-apply.ts finds those a killed run left)

  /** Neutron networks of exactly this name (Neutron filters by exact match). */
  public async listNetworks(filter: { name: string; projectId?: string }): Promise<NamedObject[]> {
    return (await this.session.listAll('network', `/v2.0/networks${q({ name: filter.name, project_id: filter.projectId })}`, 'networks')).map(toNamedObject);
  }

  /** Neutron subnets of exactly this name on a network. */
  public async listSubnets(filter: { name: string; networkId: string }): Promise<NamedObject[]> {
    return (await this.session.listAll('network', `/v2.0/subnets${q({ name: filter.name, network_id: filter.networkId })}`, 'subnets')).map(toNamedObject);
  }

  /** Neutron routers of exactly this name. */
  public async listRouters(filter: { name: string; projectId?: string }): Promise<NamedObject[]> {
    return (await this.session.listAll('network', `/v2.0/routers${q({ name: filter.name, project_id: filter.projectId })}`, 'routers')).map(toNamedObject);
  }

  /** A router's interfaces (its interface ports, DVR's and L3-HA's kinds too) with their subnets. */
  public async listRouterInterfaces(routerId: string): Promise<RouterInterface[]> {
    const ports = await this.session.listAll('network', `/v2.0/ports${q({ device_id: routerId })}`, 'ports');
    return ports.filter((p) => ROUTER_INTERFACE_OWNERS.includes(p.device_owner)).map(toRouterInterface);
  }

  /** Glance images of exactly this name that the token can see (`eq:`, so that a `:` in it is no operator to Glance). */
  public async listImages(filter: { name: string }): Promise<NamedObject[]> {
    return (await this.session.listAll('image', `/v2/images${q({ name: `eq:${filter.name}` })}`, 'images')).map(toNamedObject);
  }

  /** How many volumes, of any project, are of a type (an admin's count; others see their own). Zed filters no volume list by type. */
  public async countVolumesOfType(typeName: string): Promise<number> {
    return (await this.session.listAll('block-storage', `/volumes/detail${q({ all_tenants: '1' })}`, 'volumes')).filter((v) => v.volume_type === typeName)
      .length;
  }

  /** Whether a GET of `path` finds the object: false on 404. */
  public async exists(service: ServiceType, path: string): Promise<boolean> {
    try {
      await this.request(service, 'GET', path, undefined, service === 'container-infra' ? MAGNUM_LATEST : {});
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  /** Every Cinder volume type the token can see, private ones too for an admin (names are unique: no filter). */
  public async listVolumeTypes(): Promise<NamedObject[]> {
    return (await this.session.listAll('block-storage', '/types?is_public=None', 'volume_types')).map(toNamedObject);
  }

  /** Every Magnum cluster template the token can see, with project and creation time. */
  public async listClusterTemplates(): Promise<NamedObject[]> {
    return (await this.session.listAll('container-infra', '/clustertemplates/detail', 'clustertemplates', MAGNUM_LATEST)).map(toNamedObject);
  }

  // --- Nova

  /** A server by id, or undefined when Nova does not know it. */
  public async getServer(id: string): Promise<Server | undefined> {
    try {
      const { server } = await this.request('compute', 'GET', `/servers/${id}`);
      return { id: server.id, name: server.name, status: server.status };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** Detaches a volume from a server. */
  public async detachVolume(serverId: string, volumeId: string): Promise<void> {
    await this.request('compute', 'DELETE', `/servers/${serverId}/os-volume_attachments/${volumeId}`);
  }

  // --- Heat

  /** Resources of a stack and the stacks nested in it, down to `nestedDepth`. */
  public async listStackResources(stackId: string, nestedDepth = 5): Promise<StackResource[]> {
    const { resources } = await this.request('orchestration', 'GET', `/stacks/${stackId}/resources${q({ nested_depth: String(nestedDepth) })}`);
    return (resources ?? []).map((r: Json) => ({ type: r.resource_type, name: r.resource_name, physicalId: r.physical_resource_id ?? '' }));
  }
}
