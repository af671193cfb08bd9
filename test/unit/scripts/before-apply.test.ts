import { missingNodeGroups, tainted } from '../../../scripts/before-apply';
import { lostCreates, settleLostCreate } from '../../../scripts/lib/lost-create';
import { OpenStackClient } from '../../../runtime/openstack';

const CLUSTER = 'openstack_containerinfra_cluster_v1';
const GROUP = 'openstack_containerinfra_nodegroup_v1';
const instance = (id: string, status?: string) => ({ status, attributes: { id } });

describe('what an interrupted or failed run left, read from the state', () => {
  test('the tainted objects of a type: managed ones only, by id', () => {
    const state = {
      resources: [
        { mode: 'managed', type: CLUSTER, name: 'a', instances: [instance('failed-1', 'tainted'), instance('healthy')] },
        { mode: 'managed', type: CLUSTER, name: 'b', instances: [instance('failed-2', 'tainted')] },
        { mode: 'data', type: CLUSTER, name: 'c', instances: [instance('read-only', 'tainted')] },
        { mode: 'managed', type: GROUP, name: 'g', instances: [instance('c1/g1', 'tainted')] },
      ],
    };
    expect(tainted(state, CLUSTER)).toEqual(['failed-1', 'failed-2']);
    expect(tainted(state, GROUP)).toEqual(['c1/g1']);
    expect(tainted({}, CLUSTER)).toEqual([]);
  });

  test("the configuration's node groups the state lacks, on a cluster it holds, with a literal name", () => {
    const stack = {
      resource: {
        [GROUP]: {
          Infra: { name: 'infra', cluster_id: `\${${CLUSTER}.K8s.id}` },
          Held: { name: 'held', cluster_id: `\${${CLUSTER}.K8s.id}` },
          OnNewCluster: { name: 'gpu', cluster_id: `\${${CLUSTER}.Other.id}` },
          Computed: { name: `\${var.name}`, cluster_id: `\${${CLUSTER}.K8s.id}` },
        },
      },
    };
    const state = {
      resources: [
        { mode: 'managed', type: CLUSTER, name: 'K8s', instances: [instance('c-uuid')] },
        { mode: 'managed', type: GROUP, name: 'Held', instances: [instance('c-uuid/g-uuid')] },
      ],
    };
    expect(missingNodeGroups(stack, state)).toEqual([{ address: `${GROUP}.Infra`, name: 'infra', clusterId: 'c-uuid' }]);
    expect(missingNodeGroups(stack, {})).toEqual([]);
  });
});

describe('a cluster whose create provider 3.4.0 lost, read from the state', () => {
  const cluster = (attributes: Record<string, unknown>, status?: string, extra: Record<string, unknown> = {}) => ({ status, attributes, ...extra });

  test('tainted and never read back (no created_at): lost; one the provider read, or one not tainted, or deposed: not', () => {
    const state = {
      resources: [
        { mode: 'managed', type: CLUSTER, name: 'Lost', instances: [cluster({ id: 'lost-1', created_at: null, create_timeout: 30 }, 'tainted')] },
        { mode: 'managed', type: CLUSTER, name: 'AskedFor', instances: [cluster({ id: 'read-1', created_at: '2026-12-05T09:00:00Z' }, 'tainted')] },
        { mode: 'managed', type: CLUSTER, name: 'Healthy', instances: [cluster({ id: 'ok-1' })] },
        { mode: 'managed', type: CLUSTER, name: 'Old', instances: [cluster({ id: 'deposed-1' }, 'tainted', { deposed: 'abcd1234' })] },
        { mode: 'managed', type: CLUSTER, name: 'Each', instances: [cluster({ id: 'lost-2', created_at: '' }, 'tainted', { index_key: 'eu' })] },
        { mode: 'managed', type: CLUSTER, name: 'Counted', instances: [cluster({ id: 'lost-3' }, 'tainted', { index_key: 0 })] },
        { mode: 'managed', type: GROUP, name: 'Group', instances: [cluster({ id: 'c/g' }, 'tainted')] },
      ],
    };
    expect(lostCreates(state)).toEqual([
      { address: `${CLUSTER}.Lost`, id: 'lost-1', createTimeoutMinutes: 30 },
      { address: `${CLUSTER}.Each["eu"]`, id: 'lost-2', createTimeoutMinutes: undefined },
      { address: `${CLUSTER}.Counted[0]`, id: 'lost-3', createTimeoutMinutes: undefined },
    ]);
    expect(lostCreates({})).toEqual([]);
  });
});

describe("a lost create, waited for in Magnum's answers", () => {
  const fast = { backoff: { baseMs: 1, maxMs: 1 } };
  /** A client whose getCluster answers the statuses in turn (undefined: a 404), the last one for good. */
  function answering(...statuses: (string | undefined)[]): { client: OpenStackClient; asked: () => number } {
    let asked = 0;
    const getCluster = async () => {
      const status = statuses[Math.min(asked++, statuses.length - 1)];
      return status === undefined ? undefined : { status };
    };
    return { client: { getCluster } as unknown as OpenStackClient, asked: () => asked };
  }
  const lost = { address: `${CLUSTER}.K8s`, id: 'c-uuid' };

  test('not shown yet, then in progress, then created: CREATE_COMPLETE, each state said once', async () => {
    const { client, asked } = answering(undefined, undefined, 'CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS', 'CREATE_COMPLETE');
    const lines: string[] = [];
    await expect(settleLostCreate(client, lost, { ...fast, onLine: (l) => lines.push(l) })).resolves.toBe('CREATE_COMPLETE');
    expect(asked()).toBe(5);
    expect(lines).toEqual(['  cluster c-uuid: not shown by Magnum yet, waiting', '  cluster c-uuid: CREATE_IN_PROGRESS, waiting']);
  });

  test('failed in Magnum: its status, for the failed-cluster step', async () => {
    await expect(settleLostCreate(answering('CREATE_IN_PROGRESS', 'CREATE_FAILED').client, lost, fast)).resolves.toBe('CREATE_FAILED');
  });

  test('never shown within the grace: undefined (Terraform replaces it)', async () => {
    await expect(settleLostCreate(answering(undefined).client, lost, { ...fast, graceSeconds: 0.05 })).resolves.toBeUndefined();
  });

  test("still in progress after Magnum's create timeout and the margin: an error naming both", async () => {
    // A create timeout of -5 min: with the 5 min margin, no time at all.
    await expect(settleLostCreate(answering('CREATE_IN_PROGRESS').client, { ...lost, createTimeoutMinutes: -5 }, fast)).rejects.toThrow(
      'cluster c-uuid is still CREATE_IN_PROGRESS after 0 min (its create timeout and a margin of 5)',
    );
  });
});
