import * as fs from 'fs';
import * as path from 'path';
import { OpenStackClient } from '../../runtime/openstack';
import { DEFAULT_SITES } from '../../stacks';
import { devcloudClient } from '../../devcloud';
import { cdktf, ClusterBody, runCdktf, succeeded } from '../support/example-stacks';
import { serviceLoadBalancer } from '../../devcloud';
import { describeMade, serviceShape, startControlPlane, stopControlPlane, waitForControllers, WORKLOADS, workloadManifest } from '../support/real-controllers';

/**
 * Each example stack against the real local OpenStack: cdktf deploy, read back
 * through the APIs, start the cluster's real cloud-provider controllers (occm, the
 * Octavia ingress controller, Cinder CSI: `npm run cloud:k8s`) and let them make a
 * Service load balancer, an Ingress load balancer and a volume, cdktf destroy with
 * the controllers still running (its teardown runs first), and list the APIs again.
 * Runs the commands as the README gives them, with OS_* unset: the path `npm start`
 * and `npm run cdktf -- destroy all-in-one` take to the embedded default cloud.
 * Shares the project's state with `npm start`: a deployed stack deploys as a no-op.
 */
jest.setTimeout(1_800_000);

const root = path.join(__dirname, '..', '..');
let os: OpenStackClient;

/** The fields this test reads of what the APIs answer. */
interface NodeGroupBody {
  readonly name: string;
  readonly role: string;
  readonly is_default: boolean;
  readonly node_count: number;
}
interface SubnetBody {
  readonly cidr: string;
  readonly allocation_pools: { readonly start: string; readonly end: string }[];
}
interface LoadBalancerBody {
  readonly name: string;
  readonly description?: string | null;
}

async function missing(service: string, p: string): Promise<boolean> {
  try {
    await os.request(service, 'GET', p);
    return false;
  } catch (e) {
    if ((e as { status?: number }).status === 404) return true;
    throw e;
  }
}

beforeAll(async () => {
  os = await devcloudClient();
});

describe.each([
  ['all-in-one', { image: 'fedora-coreos', distro: 'fedora-coreos', volumeType: 'ssdvolume', masters: 1, nodes: 2, nodeGroups: [] as string[] }],
  ['fedora-coreos', { image: 'fedora-coreos-35', distro: 'fedora-coreos', volumeType: 'docker-ssd', masters: 3, nodes: 2, nodeGroups: ['infra'] }],
])('%s on the local OpenStack', (stack, expected) => {
  test('deploys, reads back through the APIs, destroys with teardown, and leaves nothing', async () => {
    // WHEN deployed
    const outputsFile = path.join(root, '.tmp', `outputs-${stack}.json`);
    cdktf(['deploy', stack, '--auto-approve', '--outputs-file', outputsFile]);
    const out = JSON.parse(fs.readFileSync(outputsFile, 'utf8'))[stack];
    expect(out.kubeconfig).toBeUndefined(); // sensitive: kept out of the outputs file

    // THEN every resource exists with the intended properties, read independently of Terraform
    const site = DEFAULT_SITES[stack];
    const { network } = await os.request('network', 'GET', `/v2.0/networks/${out.external_network_id}`);
    expect(network['router:external']).toBe(true);
    const { subnets } = await os.request<{ subnets: SubnetBody[] }>('network', 'GET', `/v2.0/subnets?network_id=${network.id}`);
    expect(subnets.map((s) => ({ cidr: s.cidr, pools: s.allocation_pools }))).toEqual([{ cidr: site.externalCidr, pools: site.floatingIpRanges }]);
    const cluster = await os.request<ClusterBody>('container-infra', 'GET', `/clusters/${out.cluster_id}`);
    // Adding a node group updates the cluster, and Magnum's node_count then sums every worker group.
    expect(cluster.master_count).toBe(expected.masters);
    expect(['CREATE_COMPLETE', 'UPDATE_COMPLETE']).toContain(cluster.status);
    const template = await os.request('container-infra', 'GET', `/clustertemplates/${cluster.cluster_template_id}`);
    expect(template).toMatchObject({
      master_lb_enabled: true,
      labels: expect.objectContaining({ cloud_provider_enabled: 'true', docker_volume_type: expected.volumeType }),
    });
    const image = await os.request('image', 'GET', `/v2/images/${template.image_id}`);
    expect({ name: image.name, os_distro: image.os_distro }).toEqual({ name: expected.image, os_distro: expected.distro });
    const { volume_types } = await os.request<{ volume_types: { name: string }[] }>('block-storage', 'GET', '/types');
    expect(volume_types.map((t) => t.name)).toContain(expected.volumeType);
    const { nodegroups } = await os.request<{ nodegroups: NodeGroupBody[] }>('container-infra', 'GET', `/clusters/${out.cluster_id}/nodegroups`, undefined, {
      'OpenStack-API-Version': 'container-infra 1.9',
    }); // node groups arrived in API 1.9
    const workers = nodegroups.filter((g) => g.role !== 'master');
    expect(workers.find((g) => g.is_default)?.node_count).toBe(expected.nodes);
    expect(workers.filter((g) => !g.is_default).map((g) => g.name)).toEqual(expected.nodeGroups);
    expect(cluster.node_count).toBe(workers.reduce((sum, g) => sum + g.node_count, 0));

    // AND a second deploy changes nothing
    expect(cdktf(['diff', stack])).toMatch(/No changes/);

    // AND a pull request that changes the workers' flavor (a one-field override on the local cloud's site) is
    // refused when Terraform plans, naming the prop and what runs: nothing applied, the cluster as it was
    const override = path.join(root, '.tmp', `flavor-${stack}.json`);
    fs.writeFileSync(override, JSON.stringify({ [stack]: { flavor: 'm1.medium' } }));
    const flavored = runCdktf(['deploy', stack, '--auto-approve'], { MAGNUM_CDKTF_CONFIG: override });
    expect(flavored.status).not.toBe(0);
    expect(flavored.output.replace(/[│\s]+/g, ' ')).toContain(
      `${stack}/Platform/Cluster: template.flavor = m1.medium (running: ${site.flavor}): a running cluster cannot take this change`,
    );
    const after = await os.request<ClusterBody>('container-infra', 'GET', `/clusters/${out.cluster_id}`);
    expect({ status: after.status, template: after.cluster_template_id }).toEqual({ status: cluster.status, template: cluster.cluster_template_id });

    // WHEN the cluster's real cloud-provider controllers run, and an operator creates the dashboard's
    // LoadBalancer Service, an Ingress and a PersistentVolumeClaim
    const plane = startControlPlane(out.cluster_id);
    let made;
    try {
      plane.kubectl(['apply', '-f', '-'], workloadManifest());
      made = await waitForControllers(os, plane, out.cluster_id);
      console.log(`${stack}: what the real controllers made\n${describeMade(made).join('\n')}`);

      // AND the simulator the bench and the teardown tests use makes a Service load balancer of the same shape
      // (names, descriptions, tags, listener, pool, monitor, floating IP) as the real occm, field by field
      const real = made.loadBalancers.find((lb) => String(lb.name).startsWith('kube_service_')) as { id: string; vip_subnet_id: string };
      const member = (made.pools.flatMap((p) => p.members as { address: string }[]) ?? [])[0].address;
      const simulated = await serviceLoadBalancer(
        os,
        out.cluster_id,
        WORKLOADS.service,
        { external: out.external_network_id, subnet: real.vip_subnet_id, memberAddress: member },
        { namespace: 'simulated', port: 443 },
      );
      const names = { cluster: out.cluster_id, service: WORKLOADS.service };
      expect(await serviceShape(os, simulated.lb, { ...names, namespace: 'simulated' })).toEqual(
        await serviceShape(os, real.id, { ...names, namespace: WORKLOADS.namespace }),
      );

      // THEN destroy, with the controllers still running and KUBECONFIG naming the cluster's API (the teardown
      // deletes the Services, the Ingress and the claim there first), completes with no manual step, and nothing
      // the stack or the controllers made is left
      const destroyed = succeeded(['destroy', stack], runCdktf(['destroy', stack, '--auto-approve'], { KUBECONFIG: plane.kubeconfig }));
      console.log(
        `${stack}: the teardown\n${destroyed
          .split('\n')
          .filter((l) => l.includes('(local-exec): '))
          .join('\n')}`,
      );
      // (it went through the cluster's API: the context proved by its Nodes, the Services, Ingress and claim gone)
      expect(destroyed).toContain(`are cluster ${out.cluster_id}'s servers`);
      expect(destroyed).toMatch(/kubernetes: all 4 gone/);
    } finally {
      stopControlPlane(out.cluster_id);
    }
    expect(await missing('container-infra', `/clusters/${out.cluster_id}`)).toBe(true);
    expect(await missing('container-infra', `/clustertemplates/${cluster.cluster_template_id}`)).toBe(true);
    expect(await missing('image', `/v2/images/${template.image_id}`)).toBe(true);
    expect(await missing('network', `/v2.0/networks/${out.external_network_id}`)).toBe(true);
    for (const lb of made.loadBalancers) expect(await missing('load-balancer', `/v2/lbaas/loadbalancers/${lb.id}`)).toBe(true);
    for (const fip of made.floatingIps) expect(await missing('network', `/v2.0/floatingips/${fip.id}`)).toBe(true);
    // (no security group: Magnum's cloud config leaves manage-security-groups off, as measured)
    expect(made.securityGroups).toEqual([]);
    for (const volume of made.volumes) expect(await missing('block-storage', `/volumes/${volume.id}`)).toBe(true);
    const types = (await os.request<{ volume_types: { name: string }[] }>('block-storage', 'GET', '/types')).volume_types.map((t) => t.name);
    expect(types).not.toContain(expected.volumeType);
    const { loadbalancers } = await os.request<{ loadbalancers: LoadBalancerBody[] }>('load-balancer', 'GET', '/v2/lbaas/loadbalancers');
    expect(loadbalancers.filter((lb) => (lb.description ?? '').includes(out.cluster_id) || lb.name.includes(cluster.stack_id))).toEqual([]);
  });
});
