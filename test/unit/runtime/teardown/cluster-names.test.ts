// The cluster's names as the cloud provider was given them: its UUID, and the stack_id the capi-helm driver passes.
import { OpenStackClient } from '../../../../runtime/openstack';
import { auditOrphans, planTeardown } from '../../../../runtime/teardown';
import { auditLines, runEventLines } from '../../../../runtime/teardown/cli-output';
import { FakeOpenStack } from '../../../support/fake-openstack';

const X = '3f7a89e8-0a9b-4f56-88e7-dfacb86eaca0';
/** A capi-helm cluster's stack_id: its Helm release name. */
const S = 'prod-k8s-7fjw2tmq4b';
const svc = (c: string) => `Kubernetes external service default/web from cluster ${c}`;
const ingressOf = (c: string) => `Kubernetes Ingress app in namespace default from cluster ${c}, version: 3`;
const fipOf = (c: string) => `Floating IP for Kubernetes external service default/web from cluster ${c}`;
const sgOf = (c: string) => `Security Group for default/web Service LoadBalancer in cluster ${c}`;
const NAMED_BY_S = `names the cluster's stack_id ${S}, as the capi-helm driver names it`;

let fake: FakeOpenStack;
let client: OpenStackClient;

beforeEach(async () => {
  fake = await FakeOpenStack.start();
  client = await OpenStackClient.connect(fake.cloud(), { backoff: { baseMs: 1, maxMs: 10 }, attempts: 2 });
});
afterEach(() => fake.close());

/** X as Magnum shows it, with this stack_id; returns the stack_id. */
function clusterX(stackId?: string): string {
  const made = fake.addCluster(X, []);
  if (stackId === undefined) return made.stackId;
  fake.clusters.get(X)!.stack_id = stackId;
  return stackId;
}

const clusterCalls = () => fake.calls.filter((c) => c.path.endsWith(`/clusters/${X}`));

describe('planTeardown: a capi-helm cluster, named by its stack_id', () => {
  test("plans the LBs, floating IPs and security groups that name its stack_id, with that evidence; its neighbours' stay", async () => {
    // GIVEN X with stack_id S, resources naming S, and resources of prod-k8s-7fjw2tmq4b2 and prod-k8s
    clusterX(S);
    const lb = fake.addLoadBalancer(svc(S), `kube_service_${S}_default_web`);
    const ing = fake.addLoadBalancer(ingressOf(S), `kube_ingress_${S}_default_app`);
    const fip = fake.addFloatingIp(fipOf(S));
    const sg = fake.addSecurityGroup(sgOf(S)).id;
    for (const neighbour of [`${S}2`, 'prod-k8s']) {
      fake.addLoadBalancer(svc(neighbour), `kube_service_${neighbour}_default_web`);
      fake.addLoadBalancer(ingressOf(neighbour));
      fake.addFloatingIp(fipOf(neighbour));
      fake.addSecurityGroup(sgOf(neighbour));
    }
    // WHEN planned
    const plan = await planTeardown(client, { clusterId: X });
    // THEN exactly S's, each saying it was matched by the stack_id
    expect(plan.clusterNames).toEqual([X, S]);
    expect(plan.resources).toEqual([
      { kind: 'loadbalancer', id: lb, name: `kube_service_${S}_default_web`, evidence: `description "${svc(S)}" (${NAMED_BY_S}; name agrees)` },
      { kind: 'loadbalancer', id: ing, name: `kube_ingress_${S}_default_app`, evidence: `description "${ingressOf(S)}" (${NAMED_BY_S}; name agrees)` },
      { kind: 'floatingip', id: fip, name: expect.any(String), evidence: `description "${fipOf(S)}" (${NAMED_BY_S})` },
      { kind: 'securitygroup', id: sg, name: expect.any(String), evidence: `description "${sgOf(S)}" (${NAMED_BY_S})` },
    ]);
    expect(plan.skipped).toEqual([]);
    expect(plan.warnings).toEqual([]);
  });

  test.each([
    ['a cluster whose name the stack_id is a prefix of', `kube_service_${S}2_default_web`, `${S}2`],
    ['a cluster whose name is a prefix of the stack_id', 'kube_service_prod-k8s_default_web', 'prod-k8s'],
  ])('an LB whose description names the stack_id but whose name names %s is skipped, with the reason', async (_what, name, other) => {
    clusterX(S);
    const lb = fake.addLoadBalancer(svc(S), name);
    const plan = await planTeardown(client, { clusterId: X });
    expect(plan.resources).toEqual([]);
    expect(plan.skipped).toEqual([{ kind: 'loadbalancer', id: lb, name, reason: `description names cluster ${S} but name "${name}" names cluster ${other}` }]);
  });

  test('reads the cluster from Magnum once, volumes included', async () => {
    clusterX(S);
    await planTeardown(client, { clusterId: X, includeVolumes: true });
    expect(clusterCalls()).toHaveLength(1);
  });

  test('the plan line names the names matched, once', async () => {
    clusterX(S);
    fake.addLoadBalancer(svc(S));
    const plan = await planTeardown(client, { clusterId: X });
    const lines = runEventLines({ type: 'planned', plan });
    expect(lines).toEqual([`cluster ${X}: 1 resource(s) made by the cloud provider (matched by cluster name ${X} or ${S})`]);
  });
});

test('a Heat cluster, whose stack_id is a UUID of its own, is matched by both', async () => {
  const stackId = clusterX();
  const byUuid = fake.addLoadBalancer(svc(X));
  const byStack = fake.addFloatingIp(fipOf(stackId));
  const plan = await planTeardown(client, { clusterId: X });
  expect(plan.clusterNames).toEqual([X, stackId]);
  expect(plan.resources.map((r) => [r.id, r.evidence])).toEqual([
    [byUuid, `description "${svc(X)}"`],
    [byStack, `description "${fipOf(stackId)}" (names the cluster's stack_id ${stackId})`],
  ]);
});

describe('a stack_id that is not a safe name', () => {
  test.each(['a.*', 'x$', 'Prod-K8s-7fjw2tmq4b', 'x'.repeat(70), `${S}\n`, `${S} `])('%j is not matched on, and the plan says so', async (stackId) => {
    // GIVEN X with that stack_id, an LB naming it verbatim and one that an unescaped or unanchored pattern would take
    clusterX(stackId);
    fake.addLoadBalancer(svc(stackId));
    fake.addLoadBalancer(svc('axyz'));
    fake.addFloatingIp(fipOf(stackId.toLowerCase().trim()));
    const ours = fake.addLoadBalancer(svc(X));
    // WHEN planned
    const plan = await planTeardown(client, { clusterId: X });
    // THEN only the UUID is matched, with a warning that shows the value
    expect(plan.clusterNames).toEqual([X]);
    expect(plan.resources.map((r) => r.id)).toEqual([ours]);
    expect(plan.warnings).toEqual([
      `Magnum shows cluster ${X} with stack_id ${JSON.stringify(stackId)}, neither a UUID nor a DNS-1123 label (lower-case letters, ` +
        `digits and '-', at most 63 characters): not matched as a name, so what the cloud provider named by it is not found`,
    ]);
  });
});

test('a stack_id of "kubernetes", every default cloud provider\'s name, is not matched on: it would take other clusters\' resources', async () => {
  clusterX('kubernetes');
  fake.addLoadBalancer(svc('kubernetes'));
  const ours = fake.addLoadBalancer(svc(X));
  const plan = await planTeardown(client, { clusterId: X });
  expect(plan.clusterNames).toEqual([X]);
  expect(plan.resources.map((r) => r.id)).toEqual([ours]);
  expect(plan.warnings).toEqual([expect.stringContaining('stack_id "kubernetes", the name every cloud provider left at its default goes by')]);
});

describe('Magnum cannot show the cluster: the UUID only, with a warning', () => {
  test('gone (404)', async () => {
    const lb = fake.addLoadBalancer(svc(X));
    fake.addLoadBalancer(svc(S));
    const plan = await planTeardown(client, { clusterId: X });
    expect(plan.clusterNames).toEqual([X]);
    expect(plan.resources.map((r) => r.id)).toEqual([lb]);
    expect(plan.warnings).toEqual([
      `Magnum does not know cluster ${X} (HTTP 404): load balancers, floating IPs and security groups are matched by its UUID only, not by its stack_id`,
    ]);
  });

  test('400 while its node groups are deleted, volumes included: one warning for both', async () => {
    clusterX(S);
    fake.interceptors.push((req) => (req.path.endsWith(`/clusters/${X}`) ? { status: 400, body: { errors: [{ detail: 'master_count 0' }] } } : undefined));
    fake.addLoadBalancer(svc(S));
    const plan = await planTeardown(client, { clusterId: X, includeVolumes: true });
    expect(plan).toMatchObject({ clusterNames: [X], resources: [] });
    expect(plan.warnings).toEqual([
      `Magnum could not show cluster ${X} (HTTP 400): volumes are matched by CSI metadata only, not by attachment, ` +
        'and load balancers, floating IPs and security groups by its UUID only, not by its stack_id',
    ]);
    expect(clusterCalls()).toHaveLength(1);
  });
});

test('the audit reports cluster names that are not UUIDs apart, never as orphans', async () => {
  fake.addLoadBalancer(svc(S));
  fake.addSecurityGroup(sgOf(S));
  fake.addFloatingIp(fipOf('kubernetes'));
  fake.addFloatingIp(svc('other-k8s')); // an LB description on a floating IP names nothing
  const report = await auditOrphans(client);
  expect(report).toMatchObject({ candidates: 0, orphans: [], otherClusterNames: ['kubernetes', S] });
  expect(auditLines(report)).toContain(
    `cluster name ${S}: not a UUID (a capi-helm cluster's stack_id, or a cloud provider started outside Magnum); its resources are not counted`,
  );
});
