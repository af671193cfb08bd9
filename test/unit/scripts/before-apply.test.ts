import { missingNodeGroups, tainted } from '../../../scripts/before-apply';

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
