/**
 * The floor of bench/clusters-app.ts: the same stack written by hand with the generated L1
 * bindings: per platform the same resources (types and counts), locals and assets, with
 * equivalent arguments, and none of lib/'s constructs, validation or lazy values. What the
 * constructs cost beyond cdktf itself is the difference (bench/run.ts checks that both make
 * the same shape of stack before it times them).
 *   node dist/bench/raw-l1-app.js N
 * Writes to CDKTF_OUTDIR or a fresh temp dir, as clusters-app does.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AssetType, TerraformAsset, TerraformIterator, TerraformLocal, TerraformMetaArguments, TerraformResource, TerraformStack } from 'cdktf';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { Resource } from '@cdktf/provider-null/lib/resource';
import { BlockstorageVolumeTypeV3 } from '../.gen/providers/openstack/blockstorage-volume-type-v3';
import { ContainerinfraClusterV1 } from '../.gen/providers/openstack/containerinfra-cluster-v1';
import { ContainerinfraClustertemplateV1 } from '../.gen/providers/openstack/containerinfra-clustertemplate-v1';
import { ImagesImageV2 } from '../.gen/providers/openstack/images-image-v2';
import { NetworkingNetworkV2 } from '../.gen/providers/openstack/networking-network-v2';
import { NetworkingRouterInterfaceV2 } from '../.gen/providers/openstack/networking-router-interface-v2';
import { NetworkingRouterV2 } from '../.gen/providers/openstack/networking-router-v2';
import { NetworkingSubnetV2 } from '../.gen/providers/openstack/networking-subnet-v2';
// The provider binding comes only through lib/ (test/unit/layers.test.ts), which loads lib's modules too:
// a fixed cost of some 30 ms at every N, which this floor therefore shares with the constructs.
import { OpenstackProvider } from '../lib';
import { ownerMark } from '../runtime/owner-mark';
import { CLAIMED_AT_ENV, CLUSTER_ENV, DEFAULT_TEARDOWN_COMMAND, flag, NODE_GROUP_ENV } from '../runtime/teardown/flags';

/** The rebuild guard's settings a platform of clusters-app leaves unset: each is a key holding "". */
const UNSET_SETTINGS = [
  ...['dockerVolumeSizeGiB', 'flavor', 'keypair', 'labels', 'masterFlavor', 'network', 'network.subnet'],
  ...[
    ...['autoHealingEnabled', 'autoScalingEnabled', 'bootVolumeSizeGiB', 'bootVolumeType', 'bootVolumeType.extraSpecs', 'cinderCsiEnabled', 'dnsNameserver'],
    ...['etcdVolumeSizeGiB', 'etcdVolumeType', 'etcdVolumeType.extraSpecs', 'extraLabels', 'extraLabels.ostree_commit', 'extraLabels.ostree_remote'],
    ...['flavor', 'keypair', 'kubeTag', 'masterFlavor', 'masterLbAllowedCidrs', 'masterLbFloatingIpEnabled', 'octaviaProvider'],
  ].map((prop) => `template.${prop}`),
];
/** The settings a new template, not a new cluster, takes. */
const RETEMPLATE = ['template.kubeTag', 'template.extraLabels.ostree_remote', 'template.extraLabels.ostree_commit', 'template.name', 'template.public'];

const count = Number(process.argv[2] ?? '1');
const outdir = process.env.CDKTF_OUTDIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'bench-raw-'));
const app = new App({ outdir });
const stack = new TerraformStack(app, 'platforms');
new OpenstackProvider(stack, 'openstack', {});
new NullProvider(stack, 'null', {});
// The image file as clusters-app names it, seen from where Terraform runs (cdktf.out/stacks/platforms).
const imageFile = path
  .relative(path.join(outdir, 'stacks', stack.node.id), path.resolve('fcos.qcow2'))
  .split(path.sep)
  .join('/');
for (let i = 0; i < count; i++) platform(i);
app.synth();
if (!process.env.CDKTF_OUTDIR) {
  fs.rmSync(outdir, { recursive: true, force: true });
}

/** A `terraform_data` (Terraform's built-in) with `attributes` written as they are. */
function terraformData(id: string, attributes: Record<string, unknown>, meta: TerraformMetaArguments = {}): TerraformResource {
  const resource = new TerraformResource(stack, id, { ...meta, terraformResourceType: 'terraform_data' });
  for (const [name, value] of Object.entries(attributes)) resource.addOverride(name, value);
  return resource;
}

/** One platform of clusters-app, resource for resource. */
function platform(i: number): void {
  const net = `10.${Math.floor(i / 250) + 1}.${i % 250}`;
  const id = (name: string) => `p${i}-${name}`;
  const mark = (name: string) => ownerMark(`platforms/p${i}/${name}`);

  const external = new NetworkingNetworkV2(stack, id('external'), {
    name: `public${i}`,
    external: true,
    shared: false,
    segments: [{ networkType: 'flat', physicalNetwork: `physnet${i}` }],
    description: mark('external'),
  });
  const externalSubnet = new NetworkingSubnetV2(stack, id('external-subnet'), {
    name: `public${i}-subnet`,
    networkId: external.id,
    cidr: `${net}.0/24`,
    gatewayIp: `${net}.1`,
    enableDhcp: false,
    allocationPool: [{ start: `${net}.100`, end: `${net}.200` }],
    description: mark('external-subnet'),
  });

  const osProperties = terraformData(id('os-properties'), { triggers_replace: { os_distro: 'fedora-coreos' } });
  const image = new ImagesImageV2(stack, id('image'), {
    name: `fcos${i}`,
    containerFormat: 'bare',
    diskFormat: 'qcow2',
    visibility: 'private',
    localFilePath: imageFile,
    properties: { os_distro: 'fedora-coreos' },
    tags: [mark('image')],
    lifecycle: { replaceTriggeredBy: [`terraform_data.${osProperties.friendlyUniqueId}`] },
  });
  const dockerVolumeType = new BlockstorageVolumeTypeV3(stack, id('docker-volume-type'), { name: `docker${i}`, isPublic: true, description: mark('docker') });

  // The service requirements: two files in the synth output.
  const requirements = path.join(outdir, '.raw-requirements', String(i));
  fs.mkdirSync(requirements, { recursive: true });
  const files = {
    'globals.yml': `enable_magnum: "yes"\nenable_octavia: "yes"\nenable_cluster_user_trust: "yes"\nenable_cinder: "yes"\ndefault_docker_volume_type: "docker${i}"\n`,
    'magnum.conf': `[trust]\ncluster_user_trust = True\n\n[cinder]\ndefault_docker_volume_type = docker${i}\n`,
  };
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(requirements, name), content);
    new TerraformAsset(stack, id(name), { path: path.join(requirements, name), type: AssetType.FILE });
  }

  const network = new NetworkingNetworkV2(stack, id('cluster-network'), { name: 'ClusterNetwork', description: mark('cluster-network') });
  const subnet = new NetworkingSubnetV2(stack, id('cluster-subnet'), {
    name: 'ClusterNetwork-subnet',
    networkId: network.id,
    cidr: '10.0.0.0/24',
    description: mark('cluster-subnet'),
  });
  const router = new NetworkingRouterV2(stack, id('router'), {
    name: 'ClusterNetwork-router',
    externalNetworkId: external.id,
    dependsOn: [externalSubnet],
    description: mark('router'),
  });
  const routerInterface = new NetworkingRouterInterfaceV2(stack, id('router-interface'), { routerId: router.id, subnetId: subnet.id });

  const config = {
    coe: 'kubernetes',
    image: image.id,
    externalNetworkId: external.id,
    fixedNetwork: network.id,
    fixedSubnet: subnet.id,
    masterLbEnabled: true,
    floatingIpEnabled: true,
    dockerVolumeSize: 10,
    dockerStorageDriver: 'overlay2',
    volumeDriver: 'cinder',
    networkDriver: 'flannel',
    public: false,
    labels: { cloud_provider_enabled: 'true', docker_volume_type: `docker${i}` },
  };
  const templateSettings = terraformData(id('template-settings'), { triggers_replace: { settings: config } });
  const template = new ContainerinfraClustertemplateV1(stack, id('template'), {
    ...config,
    name: `k8s${i}-v1`,
    dependsOn: [dockerVolumeType, externalSubnet],
    lifecycle: { createBeforeDestroy: true, replaceTriggeredBy: [`terraform_data.${templateSettings.friendlyUniqueId}`] },
  });

  // The cluster's settings as its rebuild guard keeps them, and the expressions that compare them.
  const set: Record<string, string> = {
    masterCount: '3',
    name: `k8s${i}`,
    'template.cloudProviderEnabled': 'true',
    'template.dockerStorageDriver': 'overlay2',
    'template.dockerVolumeSizeGiB': '10',
    'template.dockerVolumeType': `docker${i}`,
    'template.dockerVolumeType.extraSpecs': '{}',
    'template.externalNetwork': external.id,
    'template.floatingIpEnabled': 'true',
    'template.image': `glance-image-${i}`,
    'template.masterLbEnabled': 'true',
    'template.name': `k8s${i}`,
    'template.network': network.id,
    'template.network.subnet': subnet.id,
    'template.networkDriver': 'flannel',
    'template.public': 'false',
    'template.volumeDriver': 'cinder',
  };
  const settings = new TerraformLocal(stack, id('settings'), { ...Object.fromEntries(UNSET_SETTINGS.map((k) => [k, ''])), ...set });
  terraformData(id('rebuild'), { triggers_replace: set });
  const guard = terraformData(
    id('rebuild-guard'),
    { input: `\${merge(local.${settings.friendlyUniqueId}, { claimed_at = timestamp() })}` },
    { lifecycle: { ignoreChanges: ['input'], createBeforeDestroy: true } },
  );
  const running = `terraform_data.${guard.friendlyUniqueId}.output`;
  const wanted = `local.${settings.friendlyUniqueId}`;
  const either = `setintersection(keys(${running}), keys(${wanted}))`;
  const retemplate = `[${RETEMPLATE.map((k) => JSON.stringify(k)).join(', ')}]`;
  const references = '["template.externalNetwork", "template.network", "template.network.subnet"]';
  const changes = (name: string, keys: string) =>
    new TerraformLocal(
      stack,
      id(name),
      `\${[for k in setsubtract(${keys}, ${references}) : "\${k} = \${${wanted}[k]} (running: \${${running}[k]})" if !(${running}[k] == ${wanted}[k])]}`,
    );
  const precondition = (name: string, keys: string, what: string) => ({
    condition: `\${alltrue([for k in ${keys} : ${running}[k] == ${wanted}[k]])}`,
    errorMessage: `platforms/p${i}/cluster: \${join(", ", local.${changes(name, keys).friendlyUniqueId})}: ${what}. Fix: revert the change.`,
  });

  const cluster = new ContainerinfraClusterV1(stack, id('cluster'), {
    name: `k8s${i}`,
    clusterTemplateId: template.id,
    masterCount: 3,
    nodeCount: 2,
    createTimeout: 60,
    timeouts: { create: '65m' },
    dependsOn: [routerInterface],
    lifecycle: {
      ignoreChanges: ['create_timeout'],
      precondition: [
        precondition('rebuilds', `setsubtract(${either}, ${retemplate})`, 'a running cluster cannot take this change'),
        precondition('retemplates', `setintersection(${either}, ${retemplate})`, 'makes a new template, which Magnum would refuse as an upgrade'),
      ],
    },
  });

  const command = DEFAULT_TEARDOWN_COMMAND;
  const deleter = terraformData(
    id('node-group-deleter'),
    { triggers_replace: { node_group: '${each.value}' } },
    {
      forEach: TerraformIterator.fromMap({}),
      provisioners: [
        {
          type: 'local-exec',
          when: 'destroy',
          command: `${command} delete-node-group ${flag('nodeGroupFromEnv')}`,
          environment: { [NODE_GROUP_ENV]: '${self.triggers_replace.node_group}' },
        },
      ],
    },
  );
  new Resource(stack, id('teardown'), {
    triggers: { cluster_id: cluster.id },
    dependsOn: [deleter],
    provisioners: [
      {
        type: 'local-exec',
        when: 'destroy',
        command: `${command} ${flag('clusterFromEnv')} ${flag('kubeconfigFromEnv')} ${flag('deleteCluster')}`,
        environment: { [CLUSTER_ENV]: '${self.triggers.cluster_id}' },
      },
    ],
  });
  terraformData(
    id('orphan-sweep'),
    { triggers_replace: { cluster_id: cluster.id } },
    {
      provisioners: [
        {
          type: 'local-exec',
          command: `${command} sweep-orphans ${flag('clusterFromEnv')} ${flag('claimedAtFromEnv')}`,
          environment: { [CLUSTER_ENV]: '${self.triggers_replace.cluster_id}', [CLAIMED_AT_ENV]: template.createdAt },
        },
      ],
    },
  );
}
