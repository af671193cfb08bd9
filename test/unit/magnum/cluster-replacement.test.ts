import { TerraformStack } from 'cdktf';
import {
  ClusterReplacement,
  ClusterTemplate,
  ClusterTemplateOptions,
  ImageSource,
  MagnumCluster,
  MagnumClusterOptions,
  MagnumDriver,
  MagnumImage,
  OsDistro,
} from '../../../lib';
import { givenPlatformParts, givenStack, onlyResource, resourcesOf, synthJson, SynthesizedResource } from '../../support/fixtures';

/** What this test reads of the synthesized cluster and the terraform_data beside it. */
interface ClusterJson extends SynthesizedResource {
  readonly lifecycle: {
    readonly precondition?: { condition: string; error_message: string }[];
    readonly replace_triggered_by?: string[];
    readonly create_before_destroy?: boolean;
    readonly ignore_changes?: string[];
  };
}
interface DataJson extends SynthesizedResource {
  readonly input?: string;
  readonly triggers_replace?: Record<string, string>;
  readonly lifecycle?: { readonly ignore_changes?: string[] };
}

function synthCluster(cluster: MagnumClusterOptions = {}, template: ClusterTemplateOptions = {}) {
  const stack = givenStack();
  const { image, external } = givenPlatformParts(stack);
  const tpl = new ClusterTemplate(stack, 'tpl', { image, externalNetwork: external, flavor: 'm1.small', ...template });
  new MagnumCluster(stack, 'k8s', { template: tpl, ...cluster });
  return read(stack);
}

function read(stack: TerraformStack) {
  const json = synthJson(stack) as { locals?: Record<string, unknown> };
  const data = Object.values(resourcesOf<DataJson>(stack, 'terraform_data'));
  const guard = data.find((d) => d.lifecycle?.ignore_changes?.includes('input'));
  const settingsLocal = guard?.input?.match(/^\$\{merge\(local\.(\w+), \{ claimed_at = timestamp\(\) \}\)\}$/)?.[1];
  return {
    cluster: onlyResource<ClusterJson>(stack, 'openstack_containerinfra_cluster_v1'),
    guard,
    settings: settingsLocal ? (json.locals?.[settingsLocal] as Record<string, string>) : undefined,
    triggers: data.map((d) => d.triggers_replace).filter((t): t is Record<string, string> => t !== undefined),
  };
}

describe('MagnumCluster replacement', () => {
  test('by default a guard keeps the settings the cluster was made with, and the cluster refuses a change of them when Terraform plans', () => {
    const { cluster, guard, settings } = synthCluster({ masterCount: 3, labels: { foo: 'bar' } }, { kubeTag: 'v1.24.16-rancher1' });
    // The guard's input is never updated: what it holds is what the running cluster was made with.
    expect(guard?.lifecycle?.ignore_changes).toEqual(['input']);
    expect(settings).toMatchObject({
      'template.flavor': 'm1.small',
      'template.kubeTag': 'v1.24.16-rancher1',
      'template.image': expect.stringMatching(/^glance-image-[0-9a-f]{8}$/),
      'template.externalNetwork': expect.stringMatching(/^\$\{openstack_networking_network_v2\.public1_\w+\.id\}$/),
      masterCount: '3',
      name: 'k8s',
      labels: '{"foo":"bar"}',
      // Every prop has a key; unset ones hold "": setting one later is a change.
      keypair: '',
      'template.keypair': '',
      'template.extraLabels': '',
      'template.dockerVolumeType.extraSpecs': '',
    });
    // One precondition: the template has an upgrade label, so a new kube tag goes through Magnum's upgrade API.
    expect(cluster.lifecycle.precondition).toHaveLength(1);
    const [rebuild] = cluster.lifecycle.precondition!;
    expect(rebuild.condition).toContain(
      '["template.kubeTag", "template.extraLabels.ostree_remote", "template.extraLabels.ostree_commit", "template.name", "template.public"]',
    );
    expect(rebuild.error_message).toMatch(/^test\/k8s: \$\{length\(local\.\w+\) > 0/);
    expect(rebuild.error_message).toContain('Fix: ');
    expect(rebuild.error_message).toContain('ClusterReplacement.CREATE_BEFORE_DESTROY');
    expect(cluster.lifecycle.replace_triggered_by).toBeUndefined();
    expect(cluster.lifecycle.create_before_destroy).toBeUndefined();
  });

  test('a template without kube_tag or ostree labels cannot be an upgrade: any new template is refused as well', () => {
    const { cluster } = synthCluster();
    const [, retemplate] = cluster.lifecycle.precondition!;
    expect(retemplate.condition).toMatch(/setintersection/);
    expect(retemplate.error_message).toContain('InvalidClusterTemplateForUpgrade');
    expect(retemplate.error_message).toContain('give the template the kubeTag the cluster runs');
  });

  test("a sized volume type's extra specs are guarded: Cinder refuses to change them while volumes of it exist", () => {
    const stack = givenStack();
    const { image, external, volumeType } = givenPlatformParts(stack);
    const tpl = new ClusterTemplate(stack, 'tpl', { image, externalNetwork: external, dockerVolumeType: volumeType, dockerVolumeSizeGiB: 5 });
    new MagnumCluster(stack, 'k8s', { template: tpl });
    expect(read(stack).settings).toMatchObject({ 'template.dockerVolumeType.extraSpecs': '{}' });
  });

  test('the messages name only settings known at synth: references may be unknown until apply', () => {
    const { cluster } = synthCluster();
    const named = cluster.lifecycle.precondition![0].error_message;
    expect(named).toContain('one of template.externalNetwork = a new object');
  });

  test('Magnum reads the create timeout only while creating: a change of it replaces nothing', () => {
    expect(synthCluster().cluster.lifecycle.ignore_changes).toEqual(['create_timeout']);
  });

  test.each([
    [ClusterReplacement.DESTROY_BEFORE_CREATE, undefined],
    [ClusterReplacement.CREATE_BEFORE_DESTROY, true],
  ])('%s: no refusal; what only a new cluster takes replaces the cluster, and the guard with it', (replacement, createBeforeDestroy) => {
    const { cluster, guard, triggers } = synthCluster({ replacement }, { kubeTag: 'v1.24.16-rancher1' });
    expect(cluster.lifecycle.precondition).toBeUndefined();
    expect(cluster.lifecycle.create_before_destroy).toBe(createBeforeDestroy);
    const rebuildTrigger = expect.stringMatching(/^terraform_data\.k8s_Rebuild_\w+$/);
    expect(cluster.lifecycle.replace_triggered_by).toEqual([rebuildTrigger]);
    // The guard is replaced with the cluster, so it holds what the new cluster is made with.
    expect((guard?.lifecycle as { replace_triggered_by?: string[] }).replace_triggered_by).toEqual([rebuildTrigger]);
    const rebuild = triggers.find((t) => 'template.flavor' in t)!;
    expect(rebuild).toMatchObject({ 'template.flavor': 'm1.small', name: 'k8s' });
    // A new kube tag is an upgrade, not a new cluster; unset props are not triggers.
    expect(rebuild).not.toHaveProperty(['template.kubeTag']);
    expect(rebuild).not.toHaveProperty(['keypair']);
  });

  test('guard and trigger exist in every mode: switching replacement in the same change as a setting works', () => {
    const refuse = synthCluster({}, { kubeTag: 'v1.24.16-rancher1' });
    const replace = synthCluster({ replacement: ClusterReplacement.DESTROY_BEFORE_CREATE }, { kubeTag: 'v1.24.16-rancher1' });
    // Terraform fires replace_triggered_by only for a trigger that existed: the same trigger, with the same settings.
    expect(refuse.triggers.find((t) => 'template.flavor' in t)).toEqual(replace.triggers.find((t) => 'template.flavor' in t));
    expect(refuse.cluster.lifecycle.replace_triggered_by).toBeUndefined();
    // And a guard that existed keeps what the cluster was made with, when switching back to REFUSE.
    expect(refuse.settings).toEqual(replace.settings);
  });

  test('a kube tag older than the one the cluster runs is refused at plan: a downgrade fails or rolls back the cluster', () => {
    const stack = givenStack();
    const { image, external } = givenPlatformParts(stack);
    const tpl = new ClusterTemplate(stack, 'tpl', { image, externalNetwork: external, kubeTag: 'v1.24.16-rancher1' });
    new MagnumCluster(stack, 'k8s', { template: tpl });
    const check = Object.values(resourcesOf<DataJson & { lifecycle?: ClusterJson['lifecycle'] }>(stack, 'terraform_data')).find((d) =>
      d.lifecycle?.precondition?.some((p) => p.condition.includes('kube_tag')),
    );
    const [precondition] = check!.lifecycle!.precondition!;
    expect(precondition.condition).toContain('lookup(openstack_containerinfra_cluster_v1.k8s_');
    expect(precondition.condition).toContain('"v1.24.16-rancher1"');
    expect(precondition.error_message).toMatch(/^test\/k8s: template\.kubeTag = v1\.24\.16-rancher1 \(running: \$\{lookup\(/);
  });

  test('replacing: without an upgrade label, any new template replaces the cluster (the upgrade API would refuse it)', () => {
    const { triggers } = synthCluster({ replacement: ClusterReplacement.DESTROY_BEFORE_CREATE });
    expect(triggers.find((t) => 'template.flavor' in t)).toHaveProperty(['template.name'], 'tpl');
  });

  test("an image's identity changes exactly when a new Glance image replaces it", () => {
    const identity = (file: string, osDistro = OsDistro.FEDORA_COREOS, name = 'fcos') => {
      const stack = givenStack();
      const image = new MagnumImage(stack, 'img', { name, source: ImageSource.fromFile(file), osDistro });
      return image.identity;
    };
    expect(identity('/tmp/a.qcow2')).toBe(identity('/tmp/a.qcow2'));
    expect(identity('/tmp/a.qcow2', OsDistro.FEDORA_COREOS, 'renamed')).toBe(identity('/tmp/a.qcow2')); // a rename is an update in place
    expect(identity('/tmp/b.qcow2')).not.toBe(identity('/tmp/a.qcow2'));
    expect(identity('/tmp/a.qcow2', OsDistro.FEDORA_ATOMIC)).not.toBe(identity('/tmp/a.qcow2'));
  });

  test("on the Heat drivers a new image needs a new cluster; the Cluster API drivers roll it out through Magnum's upgrade API", () => {
    const retemplated = (driver?: MagnumDriver) => {
      const stack = givenStack();
      const { external } = givenPlatformParts(stack);
      const image = MagnumImage.fromImageAttributes(stack, 'img', { imageId: 'img-1', osDistro: driver ? OsDistro.UBUNTU : OsDistro.FEDORA_COREOS, driver });
      const tpl = new ClusterTemplate(stack, 'tpl', { image, externalNetwork: external, kubeTag: 'v1.30.4' });
      new MagnumCluster(stack, 'k8s', { template: tpl });
      return read(stack).cluster.lifecycle.precondition![0].condition;
    };
    expect(retemplated()).not.toContain('"template.image"');
    expect(retemplated(MagnumDriver.CLUSTER_API_VEXXHOST)).toContain(
      '["template.kubeTag", "template.extraLabels.ostree_remote", "template.extraLabels.ostree_commit", "template.image", "template.name", "template.public"]',
    );
  });

  test('an imported template: its change is left to Magnum (no retemplate refusal)', () => {
    const stack = givenStack();
    const template = ClusterTemplate.fromClusterTemplateId(stack, 'tpl', '0b5e7c1a-3f4d-4e2b-9a8c-7d6e5f4a3b2c');
    new MagnumCluster(stack, 'k8s', { template, nodeCount: 2 });
    const { cluster, settings } = read(stack);
    expect(cluster.lifecycle.precondition).toHaveLength(1);
    expect(Object.keys(settings!).filter((k) => k.startsWith('template.'))).toEqual([]);
  });
});
