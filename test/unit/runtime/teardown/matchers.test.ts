import { checkClusterId, ClusterMatcher, escapeRegExp, parseDescription } from '../../../../runtime/teardown';

const X = '3f7a89e8-0a9b-4f56-88e7-dfacb86eaca0';
const Y = '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d';
/** Differs from X only in its last character. */
const X_LAST = '3f7a89e8-0a9b-4f56-88e7-dfacb86eaca1';

describe('ClusterMatcher: load balancers', () => {
  const match = new ClusterMatcher(X);
  test.each([
    ['the Service LB occm writes', `Kubernetes external service default/web from cluster ${X}`, true],
    ['a Service in another namespace', `Kubernetes external service kube-system/dns-lb from cluster ${X}`, true],
    ['the old ingress LB', `Kubernetes ingress web in namespace default from cluster ${X}`, true],
    ['the newer ingress LB with its version', `Kubernetes Ingress default/web from cluster ${X}, version: 1234`, true],
    ['another cluster', `Kubernetes external service default/web from cluster ${Y}`, false],
    ['a UUID that only shares a prefix with X', `Kubernetes external service default/web from cluster ${X_LAST}`, false],
    ['X with a suffix (cluster abc vs abcd)', `Kubernetes external service default/web from cluster ${X}0`, false],
    ['X with trailing text', `Kubernetes external service default/web from cluster ${X} (copy)`, false],
    ['X with a trailing newline', `Kubernetes external service default/web from cluster ${X}\n`, false],
    ['a prefix of X', `Kubernetes external service default/web from cluster ${X.slice(0, 8)}`, false],
    ['text before the anchor', `Copy of Kubernetes external service default/web from cluster ${X}`, false],
    ['a service name with a space', `Kubernetes external service default/my web from cluster ${X}`, false],
    ["Magnum's own API/etcd LB (Heat, empty description)", '', false],
    ["Heat's LB name used as description", 'k8s-aio-msi5metdss5p-api_lb-gys3paisjfvj-loadbalancer-evdot2ovqdna', false],
    ['a Magnum-style pattern without the end anchor', `Kubernetes API from cluster ${X}-api`, false],
    ['an ingress version that is not a number', `Kubernetes Ingress default/web from cluster ${X}, version: x`, false],
  ])('%s → %s', (_what, description, expected) => {
    expect(match.loadBalancer({ name: 'lb', description }).matched).toBe(expected);
  });

  test('a kube_service name alone never matches', () => {
    // GIVEN a load balancer whose name carries X but whose description is blank
    const verdict = match.loadBalancer({ name: `kube_service_${X}_default_web`, description: '' });
    // THEN it is not X's
    expect(verdict).toEqual({ matched: false, conflict: false, evidence: '' });
  });

  test('a name naming the same cluster corroborates the description', () => {
    const verdict = match.loadBalancer({ name: `kube_service_${X}_default_web`, description: `Kubernetes external service default/web from cluster ${X}` });
    expect(verdict.matched).toBe(true);
    expect(verdict.evidence).toMatch(/name agrees/);
  });

  test('a name naming another cluster is a conflict, and the LB is left alone', () => {
    const verdict = match.loadBalancer({ name: `kube_ingress_${Y}_default_web`, description: `Kubernetes external service default/web from cluster ${X}` });
    expect(verdict).toMatchObject({ matched: false, conflict: true });
    expect(verdict.evidence).toContain(Y);
  });

  test('floating IP and security group descriptions do not make a load balancer', () => {
    expect(match.loadBalancer({ description: `Floating IP for Kubernetes external service default/web from cluster ${X}` }).matched).toBe(false);
  });
});

describe('ClusterMatcher: floating IPs and security groups', () => {
  const match = new ClusterMatcher(X);
  test.each([
    ['Service FIP', `Floating IP for Kubernetes external service default/web from cluster ${X}`, true],
    ['ingress FIP', `Floating IP for Kubernetes ingress web in namespace default from cluster ${X}`, true],
    ['other cluster', `Floating IP for Kubernetes external service default/web from cluster ${Y}`, false],
    ['suffixed UUID', `Floating IP for Kubernetes external service default/web from cluster ${X}1`, false],
    ['near UUID', `Floating IP for Kubernetes external service default/web from cluster ${X_LAST}`, false],
    ['Heat FIP (blank)', '', false],
    ['the LB description', `Kubernetes external service default/web from cluster ${X}`, false],
  ])('floating IP: %s → %s', (_what, description, expected) => {
    expect(match.floatingIp({ description })).toBe(expected);
  });

  test.each([
    ['Service SG', `Security Group for default/web Service LoadBalancer in cluster ${X}`, true],
    ['Ingress SG', `Security group created for Ingress default/web from cluster ${X}`, true],
    ['other cluster', `Security Group for default/web Service LoadBalancer in cluster ${Y}`, false],
    ['suffixed UUID', `Security Group for default/web Service LoadBalancer in cluster ${X}-old`, false],
    ["Heat's node group SG (blank)", '', false],
    ['default SG', 'Default security group', false],
    ['"from cluster" where occm writes "in cluster"', `Security Group for default/web Service LoadBalancer from cluster ${X}`, false],
  ])('security group: %s → %s', (_what, description, expected) => {
    expect(match.securityGroup({ description })).toBe(expected);
  });
});

describe('cluster ids', () => {
  test.each(['abc', X.slice(0, -1), `${X}0`, X.replace(/-/g, ''), `${X} `.repeat(2), '', 'k8s-aio', `.*`])('refuses %j, saying what to pass', (id) => {
    expect(() => new ClusterMatcher(id)).toThrow(/is not a cluster UUID\. Fix: pass the cluster's full uuid/);
  });

  test('accepts upper case and surrounding blanks, matching on the canonical form', () => {
    expect(checkClusterId(` ${X.toUpperCase()} `)).toBe(X);
    expect(new ClusterMatcher(X.toUpperCase()).floatingIp({ description: `Floating IP for Kubernetes x from cluster ${X}` })).toBe(true);
  });

  test('escapeRegExp makes metacharacters literal', () => {
    const text = 'a.b*c+d?e^f$g{h}i(j)k|l[m]n\\o';
    expect(new RegExp(`^${escapeRegExp(text)}$`).test(text)).toBe(true);
    expect(new RegExp(`^${escapeRegExp('a.b')}$`).test('axb')).toBe(false);
  });
});

describe('parseDescription (audit)', () => {
  test.each([
    [`Kubernetes external service default/web from cluster ${X}`, { kind: 'service-loadbalancer', clusterId: X }],
    [`Kubernetes Ingress default/web from cluster ${Y}, version: 7`, { kind: 'ingress-loadbalancer', clusterId: Y }],
    [`Floating IP for Kubernetes external service a/b from cluster ${X}`, { kind: 'floatingip', clusterId: X }],
    [`Security Group for a/b Service LoadBalancer in cluster ${Y}`, { kind: 'service-securitygroup', clusterId: Y }],
    [`Security group created for Ingress a/b from cluster ${X}`, { kind: 'ingress-securitygroup', clusterId: X }],
    [`Kubernetes external service default/web from cluster ${X}0`, undefined],
    ['Kubernetes external service default/web from cluster kubernetes', undefined],
    ['', undefined],
  ])('%j → %j', (description, expected) => {
    expect(parseDescription(description)).toEqual(expected);
  });
});
