import { checkClusterId, clusterIdIn, matchersFor } from '../../../lib/teardown/matchers';

const X = '0f1e2d3c-4b5a-4987-8654-3210fedcba98';
const m = matchersFor(X);

describe('cloud-provider matchers', () => {
  test.each([
    ['service LB', m.loadBalancer, `Kubernetes external service default/web from cluster ${X}`, true],
    ['ingress LB', m.loadBalancer, `Kubernetes ingress app in namespace default from cluster ${X}`, true],
    ['ingress LB, newer wording', m.loadBalancer, `Kubernetes Ingress default/app from cluster ${X}, version: 7`, true],
    ['service FIP', m.floatingIp, `Floating IP for Kubernetes external service default/web from cluster ${X}`, true],
    ['service SG', m.securityGroup, `Security Group for default/web Service LoadBalancer in cluster ${X}`, true],
    ['ingress SG', m.securityGroup, `Security group created for Ingress default/app from cluster ${X}`, true],
    ['a longer UUID that starts with X', m.loadBalancer, `Kubernetes external service default/web from cluster ${X}0`, false],
    ['X as a prefix of another cluster', m.floatingIp, `Floating IP for Kubernetes external service default/web from cluster ${X}-other`, false],
    ['another cluster', m.loadBalancer, 'Kubernetes external service default/web from cluster 11111111-2222-4333-8444-555555555555', false],
    ["Magnum's own API LB (Heat owns it)", m.loadBalancer, `${X}-api-lb`, false],
    ['text before the pattern', m.loadBalancer, `x Kubernetes external service default/web from cluster ${X}`, false],
    ['no description', m.securityGroup, undefined, false],
  ])('%s', (_name, matcher, description, expected) => {
    expect(matcher(description)).toBe(expected);
  });

  test('refuses anything but a full UUID, so a prefix can never select resources', () => {
    expect(() => matchersFor('0f1e2d3c')).toThrow('"0f1e2d3c" is not a cluster UUID');
    expect(checkClusterId(X)).toBe(X);
  });

  test('the audit reads the cluster UUID back from a description', () => {
    expect(clusterIdIn(`Kubernetes Ingress default/app from cluster ${X}, version: 7`)).toBe(X);
    expect(clusterIdIn(`Security Group for a/b Service LoadBalancer in cluster ${X}`)).toBe(X);
    expect(clusterIdIn('unrelated')).toBeUndefined();
  });
});
