import { Testing } from 'cdktf';
import { ContainerinfraClustertemplateV1 } from '../../../.gen/providers/openstack/containerinfra-clustertemplate-v1';
import {
  ClusterNetwork,
  ClusterTemplate,
  ExternalNetwork,
  IClusterTemplate,
  ImageSource,
  MagnumCluster,
  MagnumDriver,
  MagnumImage,
  MagnumServiceRequirements,
  NetworkDriver,
  OsDistro,
  VolumeDriver,
} from '../../../lib';
import { warningsOf } from '../../support/bad-input';
import { ClusterTemplateResource, givenPlatformParts, givenStack, onlyResource, resourcesOf, TerraformData } from '../../support/fixtures';

describe('ClusterTemplate', () => {
  test('kubernetes with the master LB, floating IPs, the cloud provider and Cinder on by default', () => {
    const stack = givenStack();
    const { external, image } = givenPlatformParts(stack);
    new ClusterTemplate(stack, 'k8s', { image, externalNetwork: external, flavor: 'm1.small' });
    expect(Testing.synth(stack, true)).toHaveResourceWithProperties(ContainerinfraClustertemplateV1, {
      coe: 'kubernetes',
      master_lb_enabled: true,
      floating_ip_enabled: true,
      volume_driver: 'cinder',
      network_driver: 'flannel',
      docker_storage_driver: 'overlay2',
      flavor: 'm1.small',
      public: false,
      labels: { cloud_provider_enabled: 'true' },
    });
  });

  test('wires the Docker volume type as a label and depends on it', () => {
    const stack = givenStack();
    const { external, image, volumeType } = givenPlatformParts(stack);
    new ClusterTemplate(stack, 'k8s', { image, externalNetwork: external, dockerVolumeSizeGiB: 10, dockerVolumeType: volumeType });
    const template = onlyResource<ClusterTemplateResource>(stack, 'openstack_containerinfra_clustertemplate_v1');
    expect(template.docker_volume_size).toBe(10);
    expect(template.labels.docker_volume_type).toBe('ssdvolume');
    expect(template.depends_on).toContainEqual(expect.stringMatching(/^openstack_blockstorage_volume_type_v3\.ssdvolume/));
  });

  test("depends on an owned external network's subnet, so destroy deletes the subnet after the clusters", () => {
    // The template names only the network; the clusters' floating IPs come from its subnet.
    const stack = givenStack();
    const { external, image } = givenPlatformParts(stack);
    new ClusterTemplate(stack, 'k8s', { image, externalNetwork: external });
    expect(onlyResource(stack, 'openstack_containerinfra_clustertemplate_v1').depends_on).toEqual([expect.stringMatching(/^openstack_networking_subnet_v2\./)]);
  });

  test('an imported external network adds no dependency', () => {
    const stack = givenStack();
    const { image } = givenPlatformParts(stack);
    new ClusterTemplate(stack, 'k8s', { image, externalNetwork: ExternalNetwork.fromNetworkId(stack, 'public', 'net-1') });
    expect(onlyResource(stack, 'openstack_containerinfra_clustertemplate_v1').depends_on).toBeUndefined();
  });

  test('typed labels become Magnum label strings', () => {
    const stack = givenStack();
    const { external, image } = givenPlatformParts(stack);
    new ClusterTemplate(stack, 'k8s', {
      image,
      externalNetwork: external,
      kubeTag: 'v1.23.3-rancher1',
      autoHealingEnabled: true,
      bootVolumeSizeGiB: 20,
      masterLbAllowedCidrs: ['10.0.0.0/8', '192.168.0.0/16'],
      extraLabels: { container_infra_prefix: 'registry.local/' },
    });
    expect(onlyResource(stack, 'openstack_containerinfra_clustertemplate_v1').labels).toEqual({
      cloud_provider_enabled: 'true',
      kube_tag: 'v1.23.3-rancher1',
      auto_healing_enabled: 'true',
      boot_volume_size: '20',
      master_lb_allowed_cidrs: '10.0.0.0/8,192.168.0.0/16',
      container_infra_prefix: 'registry.local/',
    });
  });

  test('a settings change gives a new name and replaces the template, created before the old one is destroyed', () => {
    const synthTemplate = (networkDriver: NetworkDriver) => {
      const stack = givenStack();
      const { external, image } = givenPlatformParts(stack);
      new ClusterTemplate(stack, 'k8s', { image, externalNetwork: external, networkDriver });
      return {
        template: onlyResource<ClusterTemplateResource>(stack, 'openstack_containerinfra_clustertemplate_v1'),
        data: resourcesOf<TerraformData<{ settings: { networkDriver: string } }>>(stack, 'terraform_data'),
      };
    };
    const flannel = synthTemplate(NetworkDriver.FLANNEL);
    const again = synthTemplate(NetworkDriver.FLANNEL);
    const calico = synthTemplate(NetworkDriver.CALICO);
    expect(flannel.template.name).toMatch(/^k8s-[0-9a-f]{8}$/);
    expect(again.template.name).toBe(flannel.template.name);
    expect(calico.template.name).not.toBe(flannel.template.name);
    expect(flannel.template.lifecycle.create_before_destroy).toBe(true);
    const settingsId = Object.keys(flannel.data).find((id) => id.includes('Settings'))!;
    expect(flannel.template.lifecycle.replace_triggered_by).toEqual([`terraform_data.${settingsId}`]);
    expect(flannel.data[settingsId].triggers_replace.settings.networkDriver).toBe('flannel');
  });

  test('a Terraform-owned cluster network becomes fixed_network and fixed_subnet', () => {
    const stack = givenStack();
    const { external, image } = givenPlatformParts(stack);
    const network = new ClusterNetwork(stack, 'net', { externalNetwork: external });
    const template = new ClusterTemplate(stack, 'k8s', { image, externalNetwork: external, network });
    const json = onlyResource(stack, 'openstack_containerinfra_clustertemplate_v1');
    expect(json.fixed_network).toMatch(/openstack_networking_network_v2\.net/);
    expect(json.fixed_subnet).toMatch(/openstack_networking_subnet_v2\.net/);
    expect(template.network).toBe(network);
  });

  test('an imported image without os_distro is accepted with a warning', () => {
    const stack = givenStack();
    const { external } = givenPlatformParts(stack);
    new ClusterTemplate(stack, 'k8s', { image: MagnumImage.fromImageId(stack, 'img', 'abc'), externalNetwork: external });
    Testing.synth(stack, true);
    const warnings = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === '@cdktf/warn')
      .map((m) => String(m.data));
    expect(warnings.join('\n')).toMatch(/^test\/k8s: image = "abc": has no known os_distro .*\. Fix: /m);
  });

  test('warns that Fedora Atomic clusters build only on Magnum <= 14, and why', () => {
    const stack = givenStack();
    const { external } = givenPlatformParts(stack);
    const atomic = new MagnumImage(stack, 'atomic27', { source: ImageSource.fromFile('/a'), osDistro: OsDistro.FEDORA_ATOMIC });
    new ClusterTemplate(stack, 'k8s', { image: atomic, externalNetwork: external });
    const warnings = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === '@cdktf/warn')
      .map((m) => String(m.data));
    expect(warnings).toEqual([
      expect.stringMatching(
        /^test\/k8s: image\.osDistro = "fedora-atomic": is Fedora Atomic, whose clusters build only on Magnum <= 14 \(Yoga\).*"The Parameter \(octavia_provider\) was not defined in template\."/,
      ),
    ]);
  });

  test('is checked against the service requirements it is given', () => {
    // GIVEN Docker volumes without a volume type of their own
    const warningsWith = (defaultDockerVolumeType: boolean) => {
      const stack = givenStack();
      const { external, image, volumeType } = givenPlatformParts(stack);
      const service = new MagnumServiceRequirements(stack, 'service', { defaultDockerVolumeType: defaultDockerVolumeType ? volumeType : undefined });
      new ClusterTemplate(stack, 'k8s', { image, externalNetwork: external, dockerVolumeSizeGiB: 10, serviceRequirements: service });
      return warningsOf(stack);
    };
    // THEN only a service without default_docker_volume_type is warned about
    expect(warningsWith(true)).toEqual([]);
    expect(warningsWith(false)).toEqual([
      expect.stringMatching(
        /^test\/k8s: dockerVolumeType = \(not set\): leaves the Docker volumes \(\d+ GiB\) without a volume type: Magnum takes Cinder's first type or fails/,
      ),
    ]);
  });

  test("the network driver defaults to the one the image's driver runs: flannel on Heat, calico on Cluster API", () => {
    const networkDriverFor = (driver: MagnumDriver, osDistro: OsDistro) => {
      const stack = givenStack();
      const { external } = givenPlatformParts(stack);
      const image = MagnumImage.fromImageAttributes(stack, 'img', { imageId: 'i', osDistro, driver });
      new ClusterTemplate(stack, 'k8s', { image, externalNetwork: external, kubeTag: 'v1.30.4' });
      return onlyResource(stack, 'openstack_containerinfra_clustertemplate_v1').network_driver;
    };
    expect(networkDriverFor(MagnumDriver.HEAT_FEDORA_COREOS, OsDistro.FEDORA_COREOS)).toBe('flannel');
    expect(networkDriverFor(MagnumDriver.CLUSTER_API_HELM, OsDistro.UBUNTU)).toBe('calico');
    expect(networkDriverFor(MagnumDriver.CLUSTER_API_VEXXHOST, OsDistro.UBUNTU)).toBe('calico');
  });

  test('tells its clusters its driver, volume driver and whether the autoscaler runs', () => {
    const stack = givenStack();
    const { external, image } = givenPlatformParts(stack);
    const plain = new ClusterTemplate(stack, 'plain', { image, externalNetwork: external });
    const scaled = new ClusterTemplate(stack, 'scaled', { image, externalNetwork: external, cloudProviderEnabled: false, autoScalingEnabled: true });
    // enable-auto-scaling.sh also deploys the autoscaler for auto-healing by draino.
    const draino = new ClusterTemplate(stack, 'draino', {
      image,
      externalNetwork: external,
      autoHealingEnabled: true,
      extraLabels: { auto_healing_controller: 'draino' },
    });
    expect([plain.driver, plain.volumeDriver, plain.autoScalingEnabled]).toEqual([MagnumDriver.HEAT_FEDORA_COREOS, VolumeDriver.CINDER, false]);
    expect([scaled.volumeDriver, scaled.autoScalingEnabled]).toEqual([undefined, true]);
    expect(draino.autoScalingEnabled).toBe(true);
  });
});

describe('ClusterTemplate.fromClusterTemplateAttributes / fromClusterTemplateId', () => {
  const TEMPLATE_ID = '0b5e7c1a-3f4d-4e2b-9a8c-7d6e5f4a3b2c';

  test('returns the interface of a template that exists, creating nothing, and clusters name it by its UUID', () => {
    // GIVEN a template imported by UUID alone
    const stack = givenStack();
    const template: IClusterTemplate = ClusterTemplate.fromClusterTemplateId(stack, 'k8s', TEMPLATE_ID);
    // WHEN a cluster is built on it
    new MagnumCluster(stack, 'c', { template });
    // THEN the cluster references the UUID, and no template is created
    expect(template).not.toBeInstanceOf(ClusterTemplate);
    expect([template.templateId, template.masterLbEnabled, template.driver, template.network]).toEqual([TEMPLATE_ID, undefined, undefined, undefined]);
    expect(onlyResource(stack, 'openstack_containerinfra_cluster_v1').cluster_template_id).toBe(TEMPLATE_ID);
    expect(resourcesOf(stack, 'openstack_containerinfra_clustertemplate_v1')).toEqual({});
  });

  test('a template whose master load balancer is unknown leaves masterCount unchecked; one known without it refuses several masters', () => {
    const stack = givenStack();
    const unknown = ClusterTemplate.fromClusterTemplateId(stack, 'unknown', TEMPLATE_ID);
    const single = ClusterTemplate.fromClusterTemplateAttributes(stack, 'single', { templateId: TEMPLATE_ID, masterLbEnabled: false });
    new MagnumCluster(stack, 'ok', { template: unknown, masterCount: 3 });
    expect(onlyResource(stack, 'openstack_containerinfra_cluster_v1')).toMatchObject({ cluster_template_id: TEMPLATE_ID, master_count: 3 });
    expect(() => new MagnumCluster(stack, 'bad', { template: single, masterCount: 3 })).toThrow(
      /^test\/bad: masterCount = 3: is more than one but the template has no master load balancer\. Fix: /,
    );
  });

  test('the attributes it is imported with reach its clusters: network, driver and autoscaler', () => {
    // GIVEN a template on a Terraform-owned network, for the vexxhost driver, with the autoscaler off
    const stack = givenStack();
    const network = new ClusterNetwork(stack, 'net', { externalNetwork: ExternalNetwork.fromNetworkId(stack, 'ext', '6f6d5a1e-0000-4000-8000-000000000001') });
    const template = ClusterTemplate.fromClusterTemplateAttributes(stack, 'k8s', {
      templateId: TEMPLATE_ID,
      network,
      driver: MagnumDriver.CLUSTER_API_VEXXHOST,
      volumeDriver: VolumeDriver.CINDER,
      autoScalingEnabled: false,
    });
    // WHEN clusters and a node group use it
    const cluster = new MagnumCluster(stack, 'c', { template });
    cluster.addNodeGroup('infra', { maxNodeCount: 3 });
    // THEN the cluster waits for the network's router interface, the driver's rules apply, the autoscaler is known off
    expect(onlyResource(stack, 'openstack_containerinfra_cluster_v1').depends_on).toEqual([
      expect.stringMatching(/^openstack_networking_router_interface_v2\.net_RouterInterface/),
    ]);
    expect(() => new MagnumCluster(stack, 'even', { template, masterCount: 2 })).toThrow(/masterCount = 2: is even, and driver k8s_cluster_api/);
    expect(warningsOf(stack)).toEqual([
      expect.stringMatching(/^test\/c\/infra: maxNodeCount = 3: bounds the cluster autoscaler, which is off for this cluster/),
    ]);
  });
});
