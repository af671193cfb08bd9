import { OpenStackClient } from '../../../runtime/openstack';
import { lostCreates, settleLostCreate } from '../../../scripts/lib/lost-create';

import { CLUSTER, NODE_GROUP as GROUP } from '../../../scripts/lib/terraform-state';

describe('a cluster whose create the provider lost, read from the state', () => {
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
