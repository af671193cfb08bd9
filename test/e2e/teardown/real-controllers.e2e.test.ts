import { OpenStackClient } from '../../../runtime/openstack';
import { devcloudClient } from '../../../devcloud';
import { e2eClient } from '../../support/e2e-project';
import { E2eStack, NOTHING_OURS, smallPlatform } from '../../support/e2e-stack';
import {
  ControllerMade,
  describeMade,
  madeFor,
  startControlPlane,
  stopControlPlane,
  waitForControllers,
  WORKLOADS,
  workloadManifest,
} from '../../support/real-controllers';

/**
 * Two clusters side by side, each with its real cloud-provider controllers (devcloud/k8s.sh: occm, the
 * Octavia ingress controller, Cinder CSI, configured from the cluster's trust), and what their destroys
 * do to each other, with Terraform and provider 3.4.0 on the local cloud:
 * - `capi`: its controllers named as Magnum's capi-helm driver names them, by the cluster's `stack_id`.
 *   Destroyed with the controllers running and its Services still there, and `KUBECONFIG` naming only
 *   the *other* cluster's API: the Kubernetes step refuses that context (its Nodes are not this
 *   cluster's servers), the OpenStack sweep matches the `stack_id` names, and the neighbour's load
 *   balancers, floating IPs, volume and Services are all still there afterwards.
 * - `bare`: the negative control, a platform with `teardownEnabled: false`. Its destroy shows what
 *   this cloud does without the teardown: Magnum 15's own pre-delete (magnum/common/octavia.py,
 *   `delete_loadbalancers`) removes the load balancers whose description matches
 *   `Kubernetes .+ from cluster <uuid>`, with their floating IPs, but nothing proves the Cinder CSI
 *   volume to it, which is left behind.
 */
jest.setTimeout(1_800_000);

const capi = new E2eStack(`tdc${process.pid}`);
const bare = new E2eStack(`tdb${process.pid}`);
let os: OpenStackClient;
let project: OpenStackClient;
const planes: string[] = [];

/** Deploys the stack's small platform and returns its cluster's UUID and `stack_id`. */
async function deploy(stack: E2eStack, teardownEnabled: boolean): Promise<{ uuid: string; stackId: string }> {
  stack.synth((s) => smallPlatform(s, stack, {}, { includeVolumes: true }, { teardownEnabled }));
  expect((await stack.terraformAsync('init')).status).toBe(0);
  const applied = await stack.terraformAsync('apply', '-auto-approve');
  expect(applied.output).toMatch(/Apply complete!/);
  const cluster = (await project.listClusters()).find((c) => c.name.startsWith(stack.tag))!;
  expect(cluster.status).toBe('CREATE_COMPLETE');
  return { uuid: cluster.uuid, stackId: cluster.stackId! };
}

/** Starts the cluster's controllers (named `name`), applies the workloads, and waits until they made everything. */
async function controllersOf(cluster: { uuid: string }, name: string) {
  const plane = startControlPlane(cluster.uuid, name);
  planes.push(cluster.uuid);
  plane.kubectl(['apply', '-f', '-'], workloadManifest());
  const made = await waitForControllers(os, plane, name);
  const volume = String(made.volumes[0].name);
  return { plane, made, now: () => madeFor(os, name, volume) };
}

/** What of `made` the APIs still list, by id, one `<kind> <name or description>` each. */
function ids(made: ControllerMade): string[] {
  const label = (kind: string, b: Record<string, unknown>) => `${kind} ${String(b.id)}`;
  return [
    ...made.loadBalancers.map((b) => label('loadbalancer', b)),
    ...made.floatingIps.map((b) => label('floatingip', b)),
    ...made.securityGroups.map((b) => label('security group', b)),
    ...made.volumes.map((b) => label('volume', b)),
  ].sort();
}

beforeAll(async () => {
  os = await devcloudClient();
  project = await e2eClient();
});

afterAll(async () => {
  for (const uuid of planes) stopControlPlane(uuid);
  await capi.cleanUp();
  await bare.cleanUp();
});

test("a capi-named cluster's destroy removes its controllers' resources, and nothing of its neighbour; without the teardown, Magnum leaves the volume", async () => {
  // GIVEN two clusters, each with its controllers, a LoadBalancer Service, an Ingress and a claim: one named by stack_id
  // (deployed at once: two independent platforms, which wait on Heat more than they compute; if one fails, the
  // other's cleanUp waits for its apply)
  const [first, second] = await Promise.all([deploy(capi, true), deploy(bare, false)]);
  const capiName = first.stackId;
  expect(capiName).toMatch(/^[0-9a-f-]{36}$/);
  expect(capiName).not.toBe(first.uuid);
  const ofCapi = await controllersOf(first, capiName);
  const ofBare = await controllersOf(second, second.uuid);
  console.log(`what the real occm made under the capi-helm naming (stack_id ${capiName})\n${describeMade(ofCapi.made).join('\n')}`);
  expect(ofCapi.made.loadBalancers.map((lb) => String(lb.name)).sort()).toEqual([
    `kube_ingress_${capiName}_${WORKLOADS.namespace}_${WORKLOADS.ingress}`,
    `kube_service_${capiName}_${WORKLOADS.namespace}_${WORKLOADS.service}`,
  ]);
  const neighbour = ids(ofBare.made);

  // WHEN the capi-named cluster is destroyed with its controllers running, its Services still there, and
  // KUBECONFIG naming only its neighbour's API
  const destroyed = capi.terraformWith({ KUBECONFIG: ofBare.plane.kubeconfig }, 'destroy', '-auto-approve');
  console.log(
    `the capi-named cluster's teardown\n${destroyed.output
      .split('\n')
      .filter((l) => l.includes('(local-exec): '))
      .join('\n')}`,
  );

  // THEN it completes in one run; the teardown refused the neighbour's context, matched the stack_id names,
  // and left nothing of the cluster but the claim's volume, which without the cluster's own API has no proof
  expect(destroyed.output).toMatch(/Destroy complete!/);
  expect(destroyed.status).toBe(0);
  expect(destroyed.output).toContain(`matched by cluster name ${first.uuid} or ${capiName}`);
  expect(destroyed.output).toContain(`kubernetes: no context is cluster ${first.uuid}'s API: nothing done through Kubernetes`);
  expect(destroyed.output).not.toMatch(/kubernetes: deleting/);
  for (const lb of ofCapi.made.loadBalancers) expect(destroyed.output).toContain(`deleted loadbalancer ${String(lb.id)}`);
  expect(ids(await ofCapi.now())).toEqual(ofCapi.made.volumes.map((v) => `volume ${String(v.id)}`));
  expect(await capi.ours(project)).toEqual(NOTHING_OURS);
  // AND the neighbour's resources and Services are all still there
  expect(ids(await ofBare.now())).toEqual(neighbour);
  expect(ofBare.plane.kubectl(['-n', WORKLOADS.namespace, 'get', 'service', WORKLOADS.service, '-o', 'name']).trim()).toBe(`service/${WORKLOADS.service}`);
  await project.request('block-storage', 'DELETE', `/volumes/${String(ofCapi.made.volumes[0].id)}`);

  // WHEN the neighbour, deployed with teardownEnabled: false, is destroyed the same way (its controllers running)
  const unguarded = bare.terraformWith({ KUBECONFIG: ofBare.plane.kubeconfig }, 'destroy', '-auto-approve');
  const left = ids(await ofBare.now());
  console.log(
    `without the teardown: destroy ${unguarded.status === 0 ? 'completed' : `failed: ${unguarded.output.split('\n').find((l) => /Error/.test(l))}`}; ` +
      `left behind: ${left.join(', ') || 'nothing'}`,
  );

  // THEN (the negative control) Magnum's own pre-delete removed the load balancers and floating IPs it matches by
  // description, but the volume the cluster's claim made is left behind: what the teardown's Kubernetes step removes
  expect(left).toEqual(expect.arrayContaining(ofBare.made.volumes.map((v) => `volume ${String(v.id)}`)));
  expect(left.filter((l) => !l.startsWith('volume ') && unguarded.status === 0)).toEqual([]);
  for (const volume of ofBare.made.volumes) await project.request('block-storage', 'DELETE', `/volumes/${String(volume.id)}`);
});
