import { Testing } from 'cdktf';
import { ImagesImageV2 } from '../../../.gen/providers/openstack/images-image-v2';
import { ImageSource, ImageTransfer, MagnumDriver, MagnumImage, OsDistro } from '../../../lib';
import { givenStack, onlyResource, ReplacedResource, resourcesOf, TerraformData } from '../../support/fixtures';

describe('MagnumImage', () => {
  test('sets os_distro and uploads a local file', () => {
    const stack = givenStack();
    new MagnumImage(stack, 'atomic27', { source: ImageSource.fromFile('/images/atomic.qcow2'), osDistro: OsDistro.FEDORA_ATOMIC });
    expect(Testing.synth(stack, true)).toHaveResourceWithProperties(ImagesImageV2, {
      name: 'atomic27',
      container_format: 'bare',
      disk_format: 'qcow2',
      visibility: 'private',
      local_file_path: '/images/atomic.qcow2',
      properties: { os_distro: 'fedora-atomic' },
    });
  });

  test('a URL is web-downloaded by Glance unless streaming is asked for', () => {
    const stack = givenStack();
    new MagnumImage(stack, 'a', { source: ImageSource.fromUrl('https://example.org/a.qcow2'), osDistro: OsDistro.FEDORA_COREOS });
    new MagnumImage(stack, 'b', {
      source: ImageSource.fromUrl('https://example.org/b.qcow2', { transfer: ImageTransfer.STREAM }),
      osDistro: OsDistro.FEDORA_COREOS,
    });
    new MagnumImage(stack, 'c', { source: ImageSource.fromUrl('https://example.org/c.qcow2.xz', { decompress: true }), osDistro: OsDistro.FEDORA_COREOS });
    const images = resourcesOf(stack, 'openstack_images_image_v2');
    const byName = Object.fromEntries(Object.values(images).map((i) => [String(i.name), i]));
    expect(byName.a.web_download).toBe(true);
    expect(byName.b.web_download).toBeUndefined();
    expect(byName.c).toMatchObject({ decompress: true, image_source_url: 'https://example.org/c.qcow2.xz' });
    expect(byName.c.web_download).toBeUndefined();
  });

  test('an os_distro change replaces the image, through a terraform_data it is tied to', () => {
    const stack = givenStack();
    new MagnumImage(stack, 'fcos', { source: ImageSource.fromFile('/f'), osDistro: OsDistro.FEDORA_COREOS });
    const image = onlyResource<ReplacedResource>(stack, 'openstack_images_image_v2');
    const [dataId, data] = Object.entries(resourcesOf<TerraformData>(stack, 'terraform_data'))[0];
    expect(data.triggers_replace).toEqual({ os_distro: 'fedora-coreos' });
    expect(image.lifecycle.replace_triggered_by).toEqual([`terraform_data.${dataId}`]);
  });

  test('Cluster API images carry kube_version and the driver that picks them', () => {
    const stack = givenStack();
    new MagnumImage(stack, 'ubuntu', {
      source: ImageSource.fromFile('/u'),
      osDistro: OsDistro.UBUNTU,
      driver: MagnumDriver.CLUSTER_API_HELM,
      kubeVersion: 'v1.30.4',
    });
    expect(onlyResource(stack, 'openstack_images_image_v2').properties).toEqual({
      os_distro: 'ubuntu',
      kube_version: 'v1.30.4',
      magnum_driver: 'k8s_capi_helm_v1',
    });
  });

  test('the driver defaults to the only one accepting the os_distro', () => {
    const stack = givenStack();
    const image = new MagnumImage(stack, 'fcos', { source: ImageSource.fromFile('/f'), osDistro: OsDistro.FEDORA_COREOS });
    expect(image.driver).toBe(MagnumDriver.HEAT_FEDORA_COREOS);
  });

  test('fromImageAttributes knows the os_distro of an existing image without creating one', () => {
    const stack = givenStack();
    const image = MagnumImage.fromImageAttributes(stack, 'existing', { imageId: 'abc', osDistro: OsDistro.FEDORA_ATOMIC });
    expect(image).toMatchObject({ imageId: 'abc', osDistro: 'fedora-atomic', driver: 'k8s_fedora_atomic_v1' });
    expect(MagnumImage.fromImageId(stack, 'bare', 'def').osDistro).toBeUndefined();
    expect(resourcesOf(stack, 'openstack_images_image_v2')).toEqual({});
  });
});
