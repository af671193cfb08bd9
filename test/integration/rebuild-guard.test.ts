import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ClusterReplacement, ClusterTeardown, ClusterTemplate, ExternalNetwork, ImageSource, MagnumCluster, MagnumImage, OsDistro } from '../../lib';
import { terraformBinary } from '../../scripts/lib/terraform';
import { givenStack, synthJson } from '../support/fixtures';

/**
 * The expressions MagnumCluster writes for its `replacement` (the guard's preconditions, the
 * replace trigger), evaluated by the real Terraform: every OpenStack resource of the synthesized
 * stack is swapped for a `terraform_data` stand-in holding its arguments (updated in place), so
 * that only what this library adds decides what is refused or replaced. No cloud is needed; the
 * same changes against the real provider and Magnum are test/e2e/day-two.e2e.test.ts.
 */
jest.setTimeout(300_000);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rebuild-guard-'));

interface Revision {
  readonly flavor: string;
  readonly kubeTag?: string;
  readonly masterCount: number;
  readonly replacement?: ClusterReplacement;
  readonly physicalNetwork: string;
  /** Settings keys as another version of this library writes them: added, or left out. */
  readonly otherVersion?: { readonly adds?: Record<string, string>; readonly drops?: readonly string[] };
}
const BASE: Revision = { flavor: 'm1.small', kubeTag: 'v1.24.16-rancher1', masterCount: 1, physicalNetwork: 'physnet1' };

type Json = Record<string, unknown>;

/** The stack of `rev` with its OpenStack resources as stand-ins, written where Terraform runs. */
function write(rev: Revision): void {
  const stack = givenStack();
  const external = new ExternalNetwork(stack, 'ext', {
    cidr: '10.0.2.0/24',
    floatingIpRanges: [{ start: '10.0.2.150', end: '10.0.2.199' }],
    physicalNetwork: rev.physicalNetwork,
  });
  const image = new MagnumImage(stack, 'img', { source: ImageSource.fromFile('/tmp/fcos.qcow2'), osDistro: OsDistro.FEDORA_COREOS });
  const template = new ClusterTemplate(stack, 'tpl', { image, externalNetwork: external, flavor: rev.flavor, kubeTag: rev.kubeTag });
  const cluster = new MagnumCluster(stack, 'k8s', { template, masterCount: rev.masterCount, replacement: rev.replacement });
  // What hangs off a cluster in a platform: a node group (and its deleter), the teardown.
  cluster.addNodeGroup('group');
  new ClusterTeardown(stack, 'teardown', { cluster });
  const json = synthJson(stack) as { locals?: Json; resource: Record<string, Record<string, Json>> };
  // `openstack_x.NAME.attr` → the stand-in's id: a value that changes when the stand-in is replaced; the
  // cluster's labels (read by the kube-tag check, a unit and e2e test) an empty map.
  const standIn = (value: unknown) =>
    JSON.parse(
      JSON.stringify(value)
        .replace(/\bopenstack_[a-z0-9_]+\.(\w+)\.labels\b/g, 'try(terraform_data.$1.output.labels, tomap({}))')
        .replace(/\bopenstack_[a-z0-9_]+\.(\w+)\.\w+/g, 'terraform_data.$1.id')
        .replace(/"(openstack_[a-z0-9_]+|null_resource)\.(\w+)"/g, '"terraform_data.$2"'),
    );
  const resources: Record<string, Json> = {};
  for (const [type, byName] of Object.entries(json.resource)) {
    for (const [name, body] of Object.entries(byName)) {
      const { '//': _meta, lifecycle, depends_on: dependsOn, timeouts: _timeouts, provisioner: _p, ...args } = body as Json & { lifecycle?: Json };
      // Destroy-time provisioners (the teardown, the node groups' deleter) need the cloud: left out.
      const { provisioner: _provisioner, ...quiet } = body as Json;
      if (type === 'terraform_data') {
        resources[name] = standIn(quiet);
        continue;
      }
      // The arguments are input (updated in place, as most of the provider's are); the lifecycle is kept but for
      // ignore_changes of arguments a stand-in does not have. Only a network's segments are ForceNew here, as in the provider.
      const { ignore_changes: _ignored, ...kept } = lifecycle ?? {};
      resources[name] = standIn({
        input: args,
        ...(dependsOn ? { depends_on: dependsOn } : {}),
        ...(type === 'openstack_networking_network_v2' ? { triggers_replace: { segments: args.segments } } : {}),
        ...(Object.keys(kept).length ? { lifecycle: kept } : {}),
      });
    }
  }
  const locals = standIn(json.locals ?? {}) as Record<string, Record<string, string>>;
  const guarded = Object.keys(locals).find((name) => name.includes('RebuildGuard_Settings'))!;
  for (const key of rev.otherVersion?.drops ?? []) delete locals[guarded][key];
  Object.assign(locals[guarded], rev.otherVersion?.adds);
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ locals, resource: { terraform_data: resources } }, null, 1));
}

function terraform(...args: string[]): { status: number | null; output: string } {
  const [command, ...rest] = args;
  const run = spawnSync(terraformBinary, [command, '-input=false', '-no-color', ...rest], { cwd: dir, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}`.replace(/[│\s]+/g, ' ') };
}

/** The planned actions of the cluster's stand-in, or the refusal. */
function plan(rev: Revision): { status: number | null; output: string; cluster?: string[]; reason?: string } {
  write(rev);
  const planned = terraform('plan', '-out=tf.plan');
  if (planned.status !== 0) return planned;
  const show = spawnSync(terraformBinary, ['show', '-json', 'tf.plan'], { cwd: dir, encoding: 'utf8' });
  const changes: { address: string; action_reason?: string; change: { actions: string[] } }[] = JSON.parse(show.stdout).resource_changes;
  const cluster = changes.find((c) => /^terraform_data\.k8s_[0-9A-F]{8}$/.test(c.address))!;
  return { ...planned, cluster: cluster.change.actions, reason: cluster.action_reason };
}

function apply(rev: Revision): void {
  const planned = plan(rev);
  expect(planned.status).toBe(0);
  expect(terraform('apply', 'tf.plan').status).toBe(0);
}

beforeAll(() => {
  write(BASE);
  expect(terraform('init').status).toBe(0);
  apply(BASE);
});

test('a change only a new cluster takes is refused at plan, naming the prop, the new and the running value', () => {
  const refused = plan({ ...BASE, flavor: 'm1.medium' });
  expect(refused.status).toBe(1);
  expect(refused.output).toContain('Resource precondition failed');
  expect(refused.output).toContain('test/k8s: template.flavor = m1.medium (running: m1.small): a running cluster cannot take this change');
  expect(refused.output).toContain('Fix: ');
});

test('a new kube tag (an upgrade) and an unchanged configuration pass', () => {
  expect(plan(BASE)).toMatchObject({ status: 0, cluster: ['no-op'] });
  expect(plan({ ...BASE, kubeTag: 'v1.25.3' })).toMatchObject({ status: 0, cluster: ['update'] });
});

test('a kube tag removed from the template is refused: the upgrade API would fail the cluster', () => {
  const refused = plan({ ...BASE, kubeTag: undefined });
  expect(refused.status).toBe(1);
  expect(refused.output).toContain('test/k8s: template.kubeTag = (unset) (running: v1.24.16-rancher1): makes a new template');
});

test('a prop of the cluster itself is guarded too', () => {
  expect(plan({ ...BASE, masterCount: 3 }).output).toContain('test/k8s: masterCount = 3 (running: 1)');
});

test('a setting another version of this library knows and this one does not (or the reverse) refuses nothing', () => {
  expect(plan({ ...BASE, otherVersion: { adds: { 'template.someNewProp': 'on' } } })).toMatchObject({ status: 0, cluster: ['no-op'] });
  expect(plan({ ...BASE, otherVersion: { drops: ['template.octaviaProvider', 'keypair'] } })).toMatchObject({ status: 0, cluster: ['no-op'] });
  // But a prop this version knows, unset then and set now, is a change.
  expect(plan({ ...BASE, otherVersion: { adds: { keypair: 'mykey' } } }).output).toContain('test/k8s: keypair = mykey (running: (unset))');
});

test('switching to a replacement in the same change as the setting replaces the cluster; switching back refuses again', () => {
  // From REFUSE straight to create-before-destroy: the guard, which the old cluster referenced, is replaced after it.
  const created0 = plan({ ...BASE, flavor: 'm1.medium', replacement: ClusterReplacement.CREATE_BEFORE_DESTROY });
  expect(created0).toMatchObject({ status: 0, cluster: ['create', 'delete'], reason: 'replace_by_triggers' });
  expect(terraform('apply', 'tf.plan').status).toBe(0);
  apply({ ...BASE, flavor: 'm1.small', replacement: ClusterReplacement.CREATE_BEFORE_DESTROY });
  apply({ ...BASE }); // back to REFUSE with what runs
  const replaced = plan({ ...BASE, flavor: 'm1.medium', replacement: ClusterReplacement.DESTROY_BEFORE_CREATE });
  expect(replaced).toMatchObject({ status: 0, cluster: ['delete', 'create'], reason: 'replace_by_triggers' });
  expect(terraform('apply', 'tf.plan').status).toBe(0);
  const created = plan({ ...BASE, flavor: 'm1.large', replacement: ClusterReplacement.CREATE_BEFORE_DESTROY });
  expect(created).toMatchObject({ status: 0, cluster: ['create', 'delete'] });
  expect(terraform('apply', 'tf.plan').status).toBe(0);
  // The guard was replaced with the cluster: it holds what runs now, and refuses from there.
  expect(plan({ ...BASE, flavor: 'm1.large' })).toMatchObject({ status: 0, cluster: ['no-op'] });
  expect(plan({ ...BASE, flavor: 'm1.xlarge' }).output).toContain('template.flavor = m1.xlarge (running: m1.large)');
});

test('a referenced object replaced is refused once its id is known (at apply, before the cluster is touched)', () => {
  // At plan the new network's id is unknown: the condition is left to the apply, which refuses it.
  const replaced = plan({ ...BASE, flavor: 'm1.large', physicalNetwork: 'physnet2' });
  expect(replaced.status).toBe(0);
  const applied = terraform('apply', 'tf.plan');
  expect(applied.status).toBe(1);
  expect(applied.output).toContain('test/k8s: one of template.externalNetwork = a new object');
});

test('a destroy plans no precondition, whatever changed', () => {
  write({ ...BASE, flavor: 'm1.tiny', masterCount: 5 });
  expect(terraform('plan', '-destroy').status).toBe(0);
});
