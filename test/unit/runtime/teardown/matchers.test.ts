import { checkClusterId, ClusterMatcher, escapeRegExp, isClusterName, parseDescription } from '../../../../runtime/teardown';

const X = '3f7a89e8-0a9b-4f56-88e7-dfacb86eaca0';
const Y = '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d';
/** Differs from X only in its last character. */
const X_LAST = '3f7a89e8-0a9b-4f56-88e7-dfacb86eaca1';
/** A capi-helm cluster's stack_id (its Helm release name), which that driver gives the cloud provider as --cluster-name. */
const S = 'prod-k8s-7fjw2tmq4b';
const svc = (c: string) => `Kubernetes external service default/web from cluster ${c}`;

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

describe('ClusterMatcher: a cluster also named by its stack_id', () => {
  const match = new ClusterMatcher(X, S);

  test('matches both names, exactly', () => {
    expect(match.clusterNames).toEqual([X, S]);
    expect(match.loadBalancer({ description: svc(S) }).matched).toBe(true);
    expect(match.loadBalancer({ description: `Kubernetes ingress web in namespace default from cluster ${S}, version: 2` }).matched).toBe(true);
    expect(match.floatingIp({ description: `Floating IP for Kubernetes ingress web in namespace default from cluster ${S}` })).toBe(true);
    expect(match.securityGroup({ description: `Security Group for default/web Service LoadBalancer in cluster ${S}` })).toBe(true);
    expect(match.loadBalancer({ description: svc(X) }).matched).toBe(true);
  });

  test.each([
    ['a neighbour whose name S is a prefix of', `${S}2`],
    ['a neighbour with a suffix', `${S}-old`],
    ['a neighbour whose name is a prefix of S', 'prod-k8s'],
    ['a name with S at its end', `x${S}`],
    ['S upper-cased', S.toUpperCase()],
    ['S with a trailing newline', `${S}\n`],
    ['S with trailing text', `${S} (copy)`],
  ])('%s is not S', (_what, other) => {
    expect(match.loadBalancer({ description: svc(other) }).matched).toBe(false);
    expect(match.floatingIp({ description: `Floating IP for Kubernetes external service default/web from cluster ${other}` })).toBe(false);
    expect(match.securityGroup({ description: `Security Group for default/web Service LoadBalancer in cluster ${other}` })).toBe(false);
  });

  test('the evidence says which name matched', () => {
    const named = `names the cluster's stack_id ${S}, as the capi-helm driver names it`;
    expect(match.loadBalancer({ name: `kube_service_${S}_default_web`, description: svc(S) }).evidence).toBe(`description "${svc(S)}" (${named}; name agrees)`);
    expect(match.evidence(svc(S))).toBe(`description "${svc(S)}" (${named})`);
    expect(match.evidence(svc(X))).toBe(`description "${svc(X)}"`);
  });

  test.each([
    ['a cluster S is a prefix of', `kube_service_${S}2_default_web`, `${S}2`],
    ['a cluster that is a prefix of S', 'kube_service_prod-k8s_default_web', 'prod-k8s'],
    ['another cluster by UUID', `kube_ingress_${Y}_default_web`, Y],
  ])('an LB whose description names S but whose name names %s is a conflict', (_what, name, other) => {
    const verdict = match.loadBalancer({ name, description: svc(S) });
    expect(verdict).toMatchObject({ matched: false, conflict: true });
    expect(verdict.evidence).toBe(`description names cluster ${S} but name "${name}" names cluster ${other}`);
  });

  test('the cluster in an LB name is compared whole: prod-k8s-1 is not prod-k8s', () => {
    // GIVEN cluster prod-k8s, and an LB of cluster prod-k8s-1 in namespace ns whose description was edited to name prod-k8s
    const verdict = new ClusterMatcher(X, 'prod-k8s').loadBalancer({ name: 'kube_service_prod-k8s-1_ns_svc', description: svc('prod-k8s') });
    // THEN the name contradicts the description
    expect(verdict).toMatchObject({ matched: false, conflict: true, evidence: expect.stringContaining('names cluster prod-k8s-1') });
  });

  test("an LB named by the cluster's other name agrees", () => {
    expect(match.loadBalancer({ name: `kube_service_${X}_default_web`, description: svc(S) })).toMatchObject({ matched: true, conflict: false });
  });

  test('a Heat stack UUID as stack_id is matched too, and the evidence names no capi-helm driver', () => {
    const heat = new ClusterMatcher(X, Y);
    expect(heat.clusterNames).toEqual([X, Y]);
    expect(heat.evidence(svc(Y))).toBe(`description "${svc(Y)}" (names the cluster's stack_id ${Y})`);
    expect(heat.loadBalancer({ description: svc(X_LAST) }).matched).toBe(false);
  });

  test('a stack_id equal to the UUID is one name', () => {
    expect(new ClusterMatcher(X, X).clusterNames).toEqual([X]);
  });
});

describe('stack_id names', () => {
  test.each([X, Y, S, 'a', '0', 'a-b', 'x'.repeat(63)])('%j may be matched', (name) => {
    expect(isClusterName(name)).toBe(true);
  });

  test.each(['', 'a.*', 'x$', '.*', 'a|b', 'Prod-K8s', X.toUpperCase(), '-a', 'a-', 'a_b', 'a b', `${S}\n`, 'x'.repeat(64), 'x'.repeat(70), 'é'])(
    '%j is never matched on: the matcher refuses it',
    (name) => {
      expect(isClusterName(name)).toBe(false);
      expect(() => new ClusterMatcher(X, name)).toThrow(/stack_id .* is neither a UUID nor a DNS-1123 label/);
    },
  );
});

describe('parseDescription (audit)', () => {
  test.each([
    [`Kubernetes external service default/web from cluster ${X}`, { kind: 'service-loadbalancer', clusterName: X, clusterId: X }],
    [`Kubernetes Ingress default/web from cluster ${Y}, version: 7`, { kind: 'ingress-loadbalancer', clusterName: Y, clusterId: Y }],
    [`Floating IP for Kubernetes external service a/b from cluster ${X}`, { kind: 'floatingip', clusterName: X, clusterId: X }],
    [`Security Group for a/b Service LoadBalancer in cluster ${Y}`, { kind: 'service-securitygroup', clusterName: Y, clusterId: Y }],
    [`Security group created for Ingress a/b from cluster ${X}`, { kind: 'ingress-securitygroup', clusterName: X, clusterId: X }],
    // Names that are not UUIDs: no cluster Magnum can be asked about.
    [`Kubernetes external service default/web from cluster ${X}0`, { kind: 'service-loadbalancer', clusterName: `${X}0` }],
    ['Kubernetes external service default/web from cluster kubernetes', { kind: 'service-loadbalancer', clusterName: 'kubernetes' }],
    [`Kubernetes Ingress default/web from cluster ${S}, version: 7`, { kind: 'ingress-loadbalancer', clusterName: S }],
    [`Kubernetes external service default/web from cluster ${X.toUpperCase()}`, undefined],
    [`Kubernetes external service default/web from cluster ${'x'.repeat(64)}`, undefined],
    ['Kubernetes external service default/web from cluster a.b', undefined],
    ['', undefined],
  ])('%j → %j', (description, expected) => {
    expect(parseDescription(description)).toEqual(expected);
  });
});
