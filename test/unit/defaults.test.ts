import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack } from 'cdktf';
import * as lib from '../../lib';
import { ClusterTemplateResource, givenPlatformParts, givenStack, NullResource, onlyResource, SynthesizedResource } from '../support/fixtures';

const EXT_ID = '6f6d5a1e-0000-4000-8000-000000000001';
const lan = { cidr: '10.0.2.0/24', floatingIpRanges: [{ start: '10.0.2.150', end: '10.0.2.199' }] };

/** A network's synthesized JSON, with the provider segments it lists. */
interface NetworkResource extends SynthesizedResource {
  readonly segments: SynthesizedResource[];
}

/** A template with every optional prop left out, and its synthesized JSON. */
function template(stack: TerraformStack): ClusterTemplateResource {
  const { external, image } = givenPlatformParts(stack);
  new lib.ClusterTemplate(stack, 'tpl', { image, externalNetwork: external });
  return onlyResource<ClusterTemplateResource>(stack, 'openstack_containerinfra_clustertemplate_v1');
}
function cluster(stack: TerraformStack): SynthesizedResource {
  new lib.MagnumCluster(stack, 'c', { template: lib.ClusterTemplate.fromClusterTemplateId(stack, 'tpl', '0b5e7c1a-3f4d-4e2b-9a8c-7d6e5f4a3b2c') });
  return onlyResource(stack, 'openstack_containerinfra_cluster_v1');
}
function nodeGroup(stack: TerraformStack): SynthesizedResource {
  new lib.NodeGroup(stack, 'ng', { cluster: lib.MagnumCluster.fromClusterId(stack, 'c', '3f7a89e8-0a9b-4f56-88e7-dfacb86eaca0') });
  return onlyResource(stack, 'openstack_containerinfra_nodegroup_v1');
}
function externalNetwork(stack: TerraformStack): NetworkResource {
  new lib.ExternalNetwork(stack, 'ext', lan);
  return onlyResource<NetworkResource>(stack, 'openstack_networking_network_v2');
}
function image(stack: TerraformStack): SynthesizedResource {
  new lib.MagnumImage(stack, 'img', { source: lib.ImageSource.fromFile('/tmp/fcos.qcow2'), osDistro: lib.OsDistro.FEDORA_COREOS });
  return onlyResource(stack, 'openstack_images_image_v2');
}

/**
 * Each exported default and what a construct synthesizes (or states) when its prop is left out.
 * Every `@default DEFAULT_*` of the props names one of these.
 */
const synthesizedWhenOmitted: Record<string, (stack: TerraformStack) => unknown> = {
  DEFAULT_MASTER_COUNT: (s) => cluster(s).master_count,
  DEFAULT_NODE_COUNT: (s) => cluster(s).node_count,
  DEFAULT_CREATE_TIMEOUT_MINUTES: (s) => cluster(s).create_timeout,
  // REFUSE is preconditions on the cluster, and no replace trigger.
  DEFAULT_CLUSTER_REPLACEMENT: (s) => {
    const { lifecycle } = cluster(s) as { lifecycle: { precondition?: unknown[]; replace_triggered_by?: unknown } };
    return lifecycle.precondition?.length && !lifecycle.replace_triggered_by ? lib.ClusterReplacement.REFUSE : undefined;
  },
  DEFAULT_NODE_GROUP_NODE_COUNT: (s) => nodeGroup(s).node_count,
  DEFAULT_NODE_GROUP_ROLE: (s) => nodeGroup(s).role,
  DEFAULT_MASTER_LB_ENABLED: (s) => template(s).master_lb_enabled,
  DEFAULT_FLOATING_IP_ENABLED: (s) => template(s).floating_ip_enabled,
  // Labels are strings in Magnum.
  DEFAULT_CLOUD_PROVIDER_ENABLED: (s) => JSON.parse(template(s).labels.cloud_provider_enabled),
  DEFAULT_DOCKER_STORAGE_DRIVER: (s) => template(s).docker_storage_driver,
  DEFAULT_TEMPLATE_PUBLIC: (s) => template(s).public,
  DEFAULT_CLUSTER_NETWORK_CIDR: (s) => {
    new lib.ClusterNetwork(s, 'net', { externalNetwork: lib.ExternalNetwork.fromNetworkId(s, 'ext', EXT_ID) });
    return onlyResource(s, 'openstack_networking_subnet_v2').cidr;
  },
  DEFAULT_PROVIDER_NETWORK_TYPE: (s) => externalNetwork(s).segments[0].network_type,
  DEFAULT_PHYSICAL_NETWORK: (s) => externalNetwork(s).segments[0].physical_network,
  DEFAULT_EXTERNAL_NETWORK_SHARED: (s) => externalNetwork(s).shared,
  DEFAULT_DISK_FORMAT: (s) => image(s).disk_format,
  DEFAULT_IMAGE_VISIBILITY: (s) => image(s).visibility,
  // The service requirements synthesize no resource: their defaults are what the fragments state.
  DEFAULT_CLUSTER_USER_TRUST: (s) => /^cluster_user_trust = True$/m.test(new lib.MagnumServiceRequirements(s, 'svc').magnumConf),
  DEFAULT_OCTAVIA_ENABLED: (s) => /^enable_octavia: "yes"$/m.test(new lib.MagnumServiceRequirements(s, 'svc').globalsYml),
  DEFAULT_TEARDOWN_ENABLED: (s) => {
    new lib.MagnumPlatform(s, 'p', { externalNetwork: lan, existingImage: lib.MagnumImage.fromImageId(s, 'img', 'img-1') });
    return onlyResource<NullResource>(s, 'null_resource') !== undefined;
  },
  DEFAULT_TEARDOWN_COMMAND: (s) => {
    new lib.ClusterTeardown(s, 't', { cluster: lib.MagnumCluster.fromClusterId(s, 'c', '3f7a89e8-0a9b-4f56-88e7-dfacb86eaca0') });
    return onlyResource<NullResource>(s, 'null_resource').provisioner[0]['local-exec'].command.replace(/( --[a-z-]+)+$/, '');
  },
};

describe('DEFAULT_* constants', () => {
  const exported = Object.keys(lib)
    .filter((k) => k.startsWith('DEFAULT_'))
    .sort();

  test('every exported default is checked here', () => {
    expect(exported).toEqual(Object.keys(synthesizedWhenOmitted).sort());
  });

  test.each(Object.keys(synthesizedWhenOmitted))('%s is what is synthesized when its prop is left out', (name) => {
    // GIVEN a construct with the prop left out
    const stack = givenStack();
    // THEN what it synthesizes is the constant
    expect(synthesizedWhenOmitted[name](stack)).toEqual((lib as Record<string, unknown>)[name]);
  });

  test('every `@default DEFAULT_*` in lib/ names an exported constant, and no default literal is written twice', () => {
    const files = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
    const sources = files(path.join(__dirname, '..', '..', 'lib')).map((f) => fs.readFileSync(f, 'utf8'));
    const named = sources.flatMap((text) => [...text.matchAll(/@default (DEFAULT_[A-Z_]+)/g)].map((m) => m[1]));
    expect([...new Set(named)].sort()).toEqual(exported);
    // A prop documented with a literal default and given it inline (`props.x ?? 1`) says one fact twice.
    const literalFallbacks = sources.flatMap((text) => [...text.matchAll(/\b(props|options|attrs)\.\w+ \?\? (true|false|\d+|'[^']*')/g)].map((m) => m[0]));
    expect(literalFallbacks).toEqual([]);
  });
});
