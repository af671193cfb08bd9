import { Testing } from 'cdktf';
import { BlockstorageVolumeTypeV3 } from '../../../.gen/providers/openstack/blockstorage-volume-type-v3';
import { VolumeType } from '../../../lib';
import { givenStack, onlyResource, resourcesOf } from '../../support/fixtures';

describe('VolumeType', () => {
  test('a public type with its backend as an extra spec', () => {
    const stack = givenStack();
    const type = new VolumeType(stack, 'ssdvolume', { backendName: 'lvm-1', extraSpecs: { 'capabilities:thin': '<is> True' } });
    expect(Testing.synth(stack, true)).toHaveResourceWithProperties(BlockstorageVolumeTypeV3, {
      name: 'ssdvolume',
      is_public: true,
      extra_specs: { volume_backend_name: 'lvm-1', 'capabilities:thin': '<is> True' },
    });
    expect(type.volumeTypeName).toBe('ssdvolume');
  });

  test('granted to projects, the type is private with one access entry per project', () => {
    const stack = givenStack();
    const [p1, p2] = ['6b2f1b6e0c3a4e0f9d5e8a7b6c5d4e3f', '0d1c2b3a495867f8e9d0c1b2a3948576'];
    new VolumeType(stack, 'gold', { grantedProjectIds: [p1, p2] });
    expect(onlyResource(stack, 'openstack_blockstorage_volume_type_v3').is_public).toBe(false);
    const access = Object.values(resourcesOf(stack, 'openstack_blockstorage_volume_type_access_v3')).map((a) => a.project_id);
    expect(access).toEqual([p1, p2]);
  });

  test('fromVolumeTypeName references a type without creating one', () => {
    const stack = givenStack();
    expect(VolumeType.fromVolumeTypeName(stack, 'x', '__DEFAULT__').volumeTypeName).toBe('__DEFAULT__');
    expect(resourcesOf(stack, 'openstack_blockstorage_volume_type_v3')).toEqual({});
  });
});
