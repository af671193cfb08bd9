import { ClusterReplacement, ClusterTeardown, ClusterTemplate, MagnumCluster } from '../../../lib';
import { Cluster, OpenStackClient } from '../../../runtime/openstack';
import { CLAIMED_AT_ENV, CLUSTER_ENV, parseTeardownArgs } from '../../../runtime/teardown';
import { CLAIM_SKEW_SECONDS, orphanClusters, sweepOrphanClusters } from '../../../runtime/teardown/orphans';
import { givenPlatformParts, givenStack, LocalExec, resourcesOf, TerraformData } from '../../support/fixtures';
import { CLUSTER, runThroughShell, STUB } from '../../support/provisioner-shell';

/** A cluster as Magnum's detailed list gives it. */
const cluster = (uuid: string, over: Partial<Cluster> = {}): Cluster => ({
  uuid,
  name: 'k8s',
  status: 'CREATE_COMPLETE',
  projectId: 'p1',
  templateId: 'tpl-1',
  createdAt: '2026-12-02T10:00:30+00:00',
  ...over,
});
const kept = cluster('kept', { createdAt: '2026-12-02T10:02:00+00:00' });
const claimedAt = '2026-12-02T10:00:00Z';

describe('the orphans of an interrupted cluster create', () => {
  test('exactly the clusters of the same project, name and template, made since the claim and before the kept one', () => {
    const clusters = [
      kept,
      cluster('orphan'),
      cluster('orphan-naive-time', { createdAt: '2026-12-02T10:00:40' }),
      cluster('other-name', { name: 'k8s-2' }),
      cluster('prefix-name', { name: 'k8' }),
      cluster('other-project', { projectId: 'p2' }),
      cluster('other-template', { templateId: 'tpl-2' }),
      // A create-before-destroy replacement keeps the old cluster until the new one runs: made long before the claim.
      cluster('replaced', { createdAt: '2026-12-02T09:40:00+00:00' }),
      cluster('within-skew', { createdAt: new Date(Date.parse(claimedAt) - (CLAIM_SKEW_SECONDS - 1) * 1000).toISOString() }),
      // Made after the kept one (another stack's cluster of the name on a shared template): no killed create of kept's.
      cluster('younger', { createdAt: '2026-12-02T10:03:00+00:00' }),
    ];
    expect(orphanClusters(clusters, { kept, claimedAt }).map((c) => c.uuid)).toEqual(['orphan', 'orphan-naive-time', 'within-skew']);
  });

  test('without a claim (a guard older than the claim) every other cluster of that name and template in the project', () => {
    const clusters = [kept, cluster('replaced', { createdAt: '2026-12-02T09:40:00+00:00' }), cluster('other-template', { templateId: 'tpl-2' })];
    expect(orphanClusters(clusters, { kept }).map((c) => c.uuid)).toEqual(['replaced']);
  });

  test('the sweep deletes nothing without a claim (a guard made before claims were kept): clusters of any age would match', async () => {
    const deleted: string[] = [];
    const client = {
      getCluster: async (uuid: string) => (uuid === kept.uuid ? kept : undefined),
      listClusterDetails: async () => [kept, cluster('old', { createdAt: '2020-01-01T00:00:00Z' })],
      deleteCluster: async (uuid: string) => deleted.push(uuid) > 0,
    } as unknown as OpenStackClient;
    expect(await sweepOrphanClusters(client, kept.uuid, undefined)).toEqual({ found: [], deleted: [], failed: [] });
    expect(deleted).toEqual([]);
    // With the claim, the dry run finds the orphan made since it, and still deletes nothing.
    expect((await sweepOrphanClusters(client, kept.uuid, '2019-12-31T23:59:00Z', { dryRun: true })).found).toEqual(['old']);
    expect(deleted).toEqual([]);
  });

  test('a kept cluster whose template Magnum does not show proves nothing: no orphan', () => {
    expect(orphanClusters([cluster('a', { templateId: undefined })], { kept: { ...kept, templateId: undefined } })).toEqual([]);
  });
});

describe("ClusterTeardown's orphan sweep", () => {
  function given(options: { cloudName?: string } = {}) {
    const stack = givenStack();
    const { external, image } = givenPlatformParts(stack);
    const c = new MagnumCluster(stack, 'c', { template: new ClusterTemplate(stack, 'tpl', { image, externalNetwork: external }) });
    const teardown = new ClusterTeardown(stack, 't', { cluster: c, command: STUB, ...options });
    const sweep = resourcesOf<TerraformData<{ cluster_id: string }> & { provisioner: { 'local-exec': LocalExec }[] }>(stack, 'terraform_data')[
      teardown.orphanSweep!.friendlyUniqueId
    ];
    return { c, sweep };
  }

  test('runs once per new cluster (its id the only trigger), after Terraform created it, with values in the environment only', () => {
    const { c, sweep } = given({ cloudName: 'prod; reboot' });
    expect(sweep.triggers_replace).toEqual({ cluster_id: `\${${c.resource.terraformResourceType}.${c.resource.friendlyUniqueId}.id}` });
    const local = sweep.provisioner[0]['local-exec'];
    expect(local.when).toBeUndefined(); // create-time
    expect(local.environment).toEqual({
      [CLUSTER_ENV]: '${self.triggers_replace.cluster_id}',
      // A template the stack made claims every cluster of the name on it: none is older than it.
      [CLAIMED_AT_ENV]: expect.stringMatching(/^\$\{openstack_containerinfra_clustertemplate_v1\.tpl_\w+\.created_at\}$/),
      OS_CLOUD: 'prod; reboot',
    });
    // Through the real /bin/sh, as Terraform runs it: the CLI reads the kept cluster and the claim, the cloud verbatim.
    const { argv, env } = runThroughShell({ ...local, environment: { ...local.environment, [CLUSTER_ENV]: CLUSTER, [CLAIMED_AT_ENV]: claimedAt } });
    expect(parseTeardownArgs(argv, env)).toMatchObject({ command: 'sweep-orphans', cluster: CLUSTER, claimedAt });
    expect(env.OS_CLOUD).toBe('prod; reboot');
  });

  test('a create-before-destroy cluster keeps its old one beside the new: no sweep', () => {
    const stack = givenStack();
    const { external, image } = givenPlatformParts(stack);
    const template = new ClusterTemplate(stack, 'tpl', { image, externalNetwork: external });
    const c = new MagnumCluster(stack, 'c', { template, replacement: ClusterReplacement.CREATE_BEFORE_DESTROY });
    expect(new ClusterTeardown(stack, 't', { cluster: c }).orphanSweep).toBeUndefined();
  });

  test("on an imported template (other stacks' clusters may use it), the claim is the guard's: when this cluster's creation began", () => {
    const stack = givenStack();
    const c = new MagnumCluster(stack, 'c', { template: ClusterTemplate.fromClusterTemplateId(stack, 'tpl', '8c5e9f3a-6f2b-4b8e-9a57-2d6f1c0e4b21') });
    const teardown = new ClusterTeardown(stack, 't', { cluster: c, command: STUB });
    const sweep = resourcesOf<TerraformData & { provisioner: { 'local-exec': LocalExec }[] }>(stack, 'terraform_data')[teardown.orphanSweep!.friendlyUniqueId];
    expect(sweep.provisioner[0]['local-exec'].environment[CLAIMED_AT_ENV]).toMatch(
      /^\$\{lookup\(terraform_data\.c_RebuildGuard_\w+\.output, "claimed_at", ""\)\}$/,
    );
  });

  test('an imported cluster was made elsewhere: no sweep', () => {
    const stack = givenStack();
    const teardown = new ClusterTeardown(stack, 't', { cluster: MagnumCluster.fromClusterId(stack, 'c', CLUSTER) });
    expect(teardown.orphanSweep).toBeUndefined();
  });

  test.each([
    ['a claim', { [CLAIMED_AT_ENV]: claimedAt }, claimedAt],
    ['an empty claim (a guard that kept none): no bound', { [CLAIMED_AT_ENV]: '' }, undefined],
  ])('the CLI reads %s from the environment', (_name, env, expected) => {
    expect(parseTeardownArgs(['sweep-orphans', '--cluster', CLUSTER, '--claimed-at-from-env'], env).claimedAt).toBe(expected);
  });

  test.each([
    ['a claim that is no time', ['--cluster', CLUSTER, '--claimed-at-from-env'], { [CLAIMED_AT_ENV]: 'yesterday' }, /is not an RFC 3339 time/],
    ['no claim variable', ['--cluster', CLUSTER, '--claimed-at-from-env'], {}, /MAGNUM_CDKTF_TEARDOWN_CLAIMED_AT is not set/],
    ['no cluster', ['--claimed-at-from-env'], { [CLAIMED_AT_ENV]: claimedAt }, /--cluster UUID is required/],
    ['a cluster that is no UUID', ['--cluster', 'k8s'], {}, /k8s/],
  ])('the CLI refuses %s', (_name, argv, env, message) => {
    expect(() => parseTeardownArgs(['sweep-orphans', ...argv], env)).toThrow(message);
  });
});
