import { Lazy } from 'cdktf';
import { ClusterShape, floatingIpDemand, poolCapacity } from '../../../lib/platform/private/floating-ip-budget';

const shape = (props: Partial<ClusterShape>): ClusterShape => ({ masters: 1, workers: 2, floatingIpEnabled: true, masterLbEnabled: true, ...props });

describe("floatingIpDemand: what Magnum's Heat drivers take from the external subnet", () => {
  test.each<[string, Partial<ClusterShape>, [number, number, number]]>([
    ['router gateway, API LB and every node', {}, [1, 1, 3]],
    ['only the router gateway without floating IPs', { floatingIpEnabled: false }, [1, 0, 0]],
    ['the label turns the LB floating IP on without node floating IPs', { floatingIpEnabled: false, masterLbFloatingIpLabel: 'True' }, [1, 1, 0]],
    ['the label cannot turn it off while floating IPs are on (Zed add_fip_env_file)', { masterLbFloatingIpLabel: 'false' }, [1, 1, 3]],
    ['no LB floating IP without the master LB', { masterLbEnabled: false, masterLbFloatingIpLabel: 'true' }, [1, 0, 3]],
  ])('%s', (_name, props, [routerGateway, apiLoadBalancer, nodes]) => {
    expect(floatingIpDemand(shape(props))).toEqual({ routerGateway, apiLoadBalancer, nodes, total: routerGateway + apiLoadBalancer + nodes });
  });
});

describe('poolCapacity', () => {
  test('sums inclusive ranges of either family', () => {
    expect(
      poolCapacity([
        { start: '10.0.2.150', end: '10.0.2.199' },
        { start: '10.0.2.10', end: '10.0.2.10' },
      ]),
    ).toBe(51n);
    expect(poolCapacity([{ start: '2001:db8::10', end: '2001:db8::1f' }])).toBe(16n);
  });

  test('is unknown when an address is unknown until apply', () => {
    expect(poolCapacity([{ start: Lazy.stringValue({ produce: () => '10.0.2.150' }), end: '10.0.2.199' }])).toBeUndefined();
  });
});
