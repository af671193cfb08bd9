import * as fs from 'fs';
import * as path from 'path';
import { OpenStackClient } from '../../runtime/openstack';
import { DEFAULT_SITES } from '../../stacks';
import { devcloudClient, serviceLoadBalancer } from '../../devcloud';
import { Census, diffCensus, settledDiff, takeCensus } from '../support/cloud-census';
import { CdktfRun, ClusterBody, resourcesInState, runCdktf, runCdktfAsync, stateFile, succeeded } from '../support/example-stacks';
import { forceCreateRace } from '../support/create-race';
import {
  ControlPlane,
  ControllerMade,
  describeMade,
  serviceShape,
  startControlPlane,
  stopControlPlanes,
  waitForControllers,
  WORKLOADS,
  workloadManifest,
} from '../support/real-controllers';

/**
 * Both example stacks against the real local OpenStack, the README's commands run at the same time from one
 * clone (with OS_* unset: the path `npm start` and `npm run cdktf -- destroy all-in-one` take to the embedded
 * default cloud):
 * - both deployed at once, and meanwhile `all-in-one` deployed a second time: Terraform's lock on
 *   terraform.all-in-one.tfstate lets one through, the other fails within seconds with the lock error, having
 *   created nothing;
 * - with Magnum's writes of clusters held until the provider's first read of each new cluster was answered 404
 *   (provider 3.4.0's create race, forced: test/support/create-race.ts): each deploy fails on it, waits for the
 *   cluster Magnum goes on to create, keeps it, and deploys again, once;
 * - each read back through the APIs; a second deploy changes nothing; a pull request that changes the workers'
 *   flavor is refused at plan;
 * - each cluster's real cloud-provider controllers (occm, the Octavia ingress controller, Cinder CSI:
 *   `npm run cloud:k8s`) make a Service load balancer, an Ingress load balancer and a volume;
 * - both destroyed at once with the controllers still running (the teardown runs first), and a census of every
 *   API equal to the one before the deploys.
 * Each stack is given a floating-IP range of its own (MAGNUM_CDKTF_CONFIG, nothing else), so that a run that
 * applied what another run synthesized shows in the external subnet. Shares the project's state with
 * `npm start`: a stack left deployed is destroyed first. The tests run in order, each on what the one before
 * left: together they are one deploy-to-destroy, and run at once because each stack waits on the cloud far
 * more than it computes.
 */
jest.setTimeout(1_800_000);

const root = path.join(__dirname, '..', '..');
const STACKS = ['all-in-one', 'fedora-coreos'] as const;
type Stack = (typeof STACKS)[number];
/** What each stack's example configuration gives the cloud (stacks/). */
const EXPECTED: Record<Stack, { image: string; distro: string; volumeType: string; masters: number; nodes: number; nodeGroups: string[] }> = {
  'all-in-one': { image: 'fedora-coreos', distro: 'fedora-coreos', volumeType: 'ssdvolume', masters: 1, nodes: 2, nodeGroups: [] },
  'fedora-coreos': { image: 'fedora-coreos-35', distro: 'fedora-coreos', volumeType: 'docker-ssd', masters: 3, nodes: 2, nodeGroups: ['infra'] },
};
/** A range of each stack's own, narrower than its default (stacks/config.ts). */
const OWN_RANGES: Record<Stack, { start: string; end: string }[]> = {
  'all-in-one': [{ start: '10.0.2.150', end: '10.0.2.189' }],
  'fedora-coreos': [{ start: '172.24.4.100', end: '172.24.4.180' }],
};
/** How long the run that loses the lock may take to fail: synth, init, and the lock refused. */
const LOSER_SECONDS = 60;

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
/** A deployed stack's outputs (its --outputs-file), and what the test read of it. */
interface Deployed {
  readonly cluster_id: string;
  readonly external_network_id: string;
  readonly kubeconfig?: unknown;
  cluster?: ClusterBody;
  templateId?: string;
  imageId?: string;
}

let os: OpenStackClient;
let before: Census;
const deployed: Partial<Record<Stack, Deployed>> = {};

/** The config file that gives `stack` its own range and `extra`, and nothing else: MAGNUM_CDKTF_CONFIG's environment. */
function ownConfig(stack: Stack, extra: Record<string, unknown> = {}): NodeJS.ProcessEnv {
  const file = path.join(root, '.tmp', `stacks-${stack}${Object.keys(extra).length ? '-changed' : ''}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ [stack]: { floatingIpRanges: OWN_RANGES[stack], ...extra } }));
  return { MAGNUM_CDKTF_CONFIG: file };
}

const outputsFile = (name: string) => path.join(root, '.tmp', `stacks-outputs-${name}.json`);
const deploy = (stack: Stack, name: string) => runCdktfAsync(['deploy', stack, '--auto-approve', '--outputs-file', outputsFile(name)], ownConfig(stack));
const createdAnything = (run: CdktfRun) => /Creating\.\.\.|Creation complete|Still creating/.test(run.output);
/** How a deploy ended, in a word, or with the first line that says why. */
function outcome(run: CdktfRun): string {
  if (run.status === 0) return 'deployed';
  if (/Error acquiring the state lock/.test(run.output)) return 'refused: state lock';
  return `failed (exit ${run.status ?? run.signal}): ${run.output.split('\n').find((l) => /error/i.test(l)) ?? run.output.slice(-500)}`;
}

/** The stack as the first test deployed it: later tests build on it, and say so when it is missing. */
function deployedStack(stack: Stack): Deployed {
  const out = deployed[stack];
  if (!out) throw new Error(`${stack} was not deployed: the first test of this file failed (its error says why)`);
  return out;
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
  // A stack left deployed (`npm start` leaves all-in-one so) would turn the deploys into no-ops.
  for (const stack of STACKS) if (resourcesInState(stack) > 0) succeeded(['destroy', stack], runCdktf(['destroy', stack, '--auto-approve']));
});

/** The clusters whose controllers the last test started (or began to start): stopped there, and again here. */
const controlled = new Set<string>();
/** Lets Magnum write clusters again, if the first test left it held. */
let releaseRace: () => Promise<void> = async () => {};

afterAll(async () => {
  await releaseRace();
  // A failure half-way must not leave controllers running or a stack deployed on the shared cloud.
  stopControlPlanes(controlled);
  const left = STACKS.filter((s) => resourcesInState(s) > 0);
  const runs = await Promise.all(left.map((s) => runCdktfAsync(['destroy', s, '--auto-approve'], ownConfig(s))));
  runs.forEach((r, i) => r.status !== 0 && console.error(`stacks cleanup: destroy ${left[i]} failed:\n${r.output.slice(-2000)}`));
});

test("both stacks deploy at once, through provider 3.4.0's create race; a second deploy of all-in-one at the same time fails on the state lock", async () => {
  // GIVEN the cloud as it is, counted, and ranges that tell each run's configuration from the default
  for (const stack of STACKS) expect(OWN_RANGES[stack]).not.toEqual(DEFAULT_SITES[stack].floatingIpRanges);
  before = await takeCensus();
  // AND Magnum's writes of clusters held until the provider's first read of each stack's cluster was answered 404
  const race = await forceCreateRace(STACKS.length);
  releaseRace = race.release;

  // WHEN fedora-coreos and, twice, all-in-one are deployed at the same time
  const [coreos, ...allInOne] = await Promise.all([deploy('fedora-coreos', 'coreos'), deploy('all-in-one', 'a'), deploy('all-in-one', 'b')]);
  const { lost, heldSeconds, error } = await race.done;
  expect(error).toBeUndefined();

  // THEN fedora-coreos and exactly one all-in-one succeeded, and the other failed on Terraform's state lock
  succeeded(['deploy', 'fedora-coreos'], coreos);
  expect(allInOne.map(outcome).sort()).toEqual(['deployed', 'refused: state lock']);
  const winner = allInOne.findIndex((r) => r.status === 0);
  const loser = allInOne[1 - winner];
  const read = (name: string, stack: Stack): Deployed => JSON.parse(fs.readFileSync(outputsFile(name), 'utf8'))[stack];
  deployed['all-in-one'] = read(winner === 0 ? 'a' : 'b', 'all-in-one');
  deployed['fedora-coreos'] = read('coreos', 'fedora-coreos');

  // AND each succeeded through the race: the provider lost its cluster's create, the run kept the cluster Magnum
  // created (untainted, not replaced) and deployed again
  const lostCreate = /unexpected state 'DELETE_COMPLETE'/;
  for (const run of [coreos, allInOne[winner]]) {
    expect({ lostCreate: lostCreate.test(run.output), kept: /CREATE_COMPLETE, untainted: kept, not replaced/.test(run.output) }).toEqual({
      lostCreate: true,
      kept: true,
    });
    expect(run.output.match(/deploying again, once/g)).toHaveLength(1);
  }
  expect([deployed['all-in-one'].cluster_id, deployed['fedora-coreos'].cluster_id].sort()).toEqual([...lost].sort());

  // AND the loser failed cleanly: at once, with exit 1, before creating anything; the state is whole
  expect({ exit: loser.status, fast: loser.seconds < LOSER_SECONDS, created: createdAnything(loser) }).toEqual({ exit: 1, fast: true, created: false });
  expect(JSON.parse(fs.readFileSync(stateFile('all-in-one'), 'utf8')).resources.length).toBeGreaterThan(0);

  // AND the cloud holds one cluster, template and image per stack (the loser made none), and lost nothing
  const diff = diffCensus(before, await takeCensus());
  const added = (kind: 'clusters' | 'clusterTemplates' | 'images') => (diff[kind] ?? []).filter((x) => x.startsWith('+')).length;
  expect({ clusters: added('clusters'), clusterTemplates: added('clusterTemplates'), images: added('images') }).toEqual({
    clusters: 2,
    clusterTemplates: 2,
    images: 2,
  });
  expect(
    Object.values(diff)
      .flat()
      .filter((x) => x.startsWith('-')),
  ).toEqual([]);
  console.log(
    `stacks: deployed at once in ${Math.max(coreos.seconds, allInOne[winner].seconds).toFixed(0)} s (fedora-coreos ${coreos.seconds.toFixed(0)} s, ` +
      `all-in-one ${allInOne[winner].seconds.toFixed(0)} s, the locked-out all-in-one failed after ${loser.seconds.toFixed(1)} s; ` +
      `Magnum's cluster writes held ${heldSeconds.toFixed(0)} s, until the first reads of ${lost.length} clusters were answered 404)`,
  );
});

describe.each(STACKS)('%s', (stack) => {
  test('reads back through the APIs as configured; a second deploy changes nothing; a flavor change is refused at plan', async () => {
    const out = deployedStack(stack);
    const expected = EXPECTED[stack];
    expect(out.kubeconfig).toBeUndefined(); // sensitive: kept out of the outputs file

    // THEN every resource exists with the intended properties, read independently of Terraform; the external
    // subnet has this run's own range, not another run's or the default
    const site = DEFAULT_SITES[stack];
    const { network } = await os.request('network', 'GET', `/v2.0/networks/${out.external_network_id}`);
    expect(network['router:external']).toBe(true);
    const { subnets } = await os.request<{ subnets: SubnetBody[] }>('network', 'GET', `/v2.0/subnets?network_id=${network.id}`);
    expect(subnets.map((s) => ({ cidr: s.cidr, pools: s.allocation_pools }))).toEqual([{ cidr: site.externalCidr, pools: OWN_RANGES[stack] }]);
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
    Object.assign(out, { cluster, templateId: cluster.cluster_template_id, imageId: template.image_id });

    // AND a second deploy changes nothing
    expect(succeeded(['diff', stack], runCdktf(['diff', stack], ownConfig(stack)))).toMatch(/No changes/);

    // AND a pull request that changes the workers' flavor (a one-field override on the local cloud's site) is
    // refused when Terraform plans, naming the prop and what runs: nothing applied, the cluster as it was
    const flavored = runCdktf(['deploy', stack, '--auto-approve'], ownConfig(stack, { flavor: 'm1.medium' }));
    expect(flavored.status).not.toBe(0);
    expect(flavored.output.replace(/[│\s]+/g, ' ')).toContain(
      `${stack}/Platform/Cluster: template.flavor = m1.medium (running: ${site.flavor}): a running cluster cannot take this change`,
    );
    const after = await os.request<ClusterBody>('container-infra', 'GET', `/clusters/${out.cluster_id}`);
    expect({ status: after.status, template: after.cluster_template_id }).toEqual({ status: cluster.status, template: cluster.cluster_template_id });
  });
});

test("each cluster's real controllers make load balancers and a volume; both stacks destroyed at once with teardown leave the cloud as it was", async () => {
  const outs = STACKS.map(deployedStack);

  // WHEN each cluster's real cloud-provider controllers run, and an operator creates the dashboard's
  // LoadBalancer Service, an Ingress and a PersistentVolumeClaim on it
  const planes: ControlPlane[] = [];
  let made: ControllerMade[];
  try {
    for (const out of outs) {
      controlled.add(out.cluster_id);
      planes.push(startControlPlane(out.cluster_id));
    }
    for (const plane of planes) plane.kubectl(['apply', '-f', '-'], workloadManifest());
    made = await Promise.all(outs.map((out, i) => waitForControllers(os, planes[i], out.cluster_id)));
    made.forEach((m, i) => console.log(`${STACKS[i]}: what the real controllers made\n${describeMade(m).join('\n')}`));

    // AND the simulator the bench and the teardown tests use makes a Service load balancer of the same shape
    // (names, descriptions, tags, listener, pool, monitor, floating IP) as the real occm, field by field
    for (const [i, out] of outs.entries()) {
      const real = made[i].loadBalancers.find((lb) => String(lb.name).startsWith('kube_service_')) as { id: string; vip_subnet_id: string };
      const member = made[i].pools.flatMap((p) => p.members as { address: string }[])[0].address;
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
    }

    // THEN both destroyed at once, with the controllers still running and KUBECONFIG naming each cluster's API
    // (the teardown deletes the Services, the Ingress and the claim there first), complete with no manual step
    const start = Date.now();
    const destroys = await Promise.all(
      STACKS.map((stack, i) => runCdktfAsync(['destroy', stack, '--auto-approve'], { ...ownConfig(stack), KUBECONFIG: planes[i].kubeconfig })),
    );
    for (const [i, stack] of STACKS.entries()) {
      const destroyed = succeeded(['destroy', stack], destroys[i]);
      const teardown = destroyed.split('\n').filter((l) => l.includes('(local-exec): '));
      console.log(`${stack}: destroyed in ${destroys[i].seconds.toFixed(0)} s, the teardown\n${teardown.join('\n')}`);
      // (it went through the cluster's API: the context proved by its Nodes, the Services, Ingress and claim gone)
      expect(destroyed).toContain(`are cluster ${outs[i].cluster_id}'s servers`);
      expect(destroyed).toMatch(/kubernetes: all 4 gone/);
    }
    console.log(`stacks: destroyed at once in ${((Date.now() - start) / 1000).toFixed(0)} s`);
  } finally {
    stopControlPlanes(controlled);
    controlled.clear();
  }

  // AND nothing the stacks or the controllers made is left, read back through every API
  for (const [i, out] of outs.entries()) {
    expect(await missing('container-infra', `/clusters/${out.cluster_id}`)).toBe(true);
    expect(await missing('container-infra', `/clustertemplates/${out.templateId}`)).toBe(true);
    expect(await missing('image', `/v2/images/${out.imageId}`)).toBe(true);
    expect(await missing('network', `/v2.0/networks/${out.external_network_id}`)).toBe(true);
    for (const lb of made[i].loadBalancers) expect(await missing('load-balancer', `/v2/lbaas/loadbalancers/${lb.id}`)).toBe(true);
    for (const fip of made[i].floatingIps) expect(await missing('network', `/v2.0/floatingips/${fip.id}`)).toBe(true);
    // (no security group: Magnum's cloud config leaves manage-security-groups off, as measured)
    expect(made[i].securityGroups).toEqual([]);
    for (const volume of made[i].volumes) expect(await missing('block-storage', `/volumes/${volume.id}`)).toBe(true);
    const { loadbalancers } = await os.request<{ loadbalancers: LoadBalancerBody[] }>('load-balancer', 'GET', '/v2/lbaas/loadbalancers');
    const stackId = out.cluster?.stack_id ?? out.cluster_id;
    expect(loadbalancers.filter((lb) => (lb.description ?? '').includes(out.cluster_id) || lb.name.includes(stackId))).toEqual([]);
  }
  const types = (await os.request<{ volume_types: { name: string }[] }>('block-storage', 'GET', '/types')).volume_types.map((t) => t.name);
  for (const stack of STACKS) expect(types).not.toContain(EXPECTED[stack].volumeType);
  // (every API's census, Keystone's trusts and users included, as before the deploys)
  expect((await settledDiff(before)).diff).toEqual({});
});
