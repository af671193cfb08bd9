import { Construct } from 'constructs';
import { BlockstorageVolumeTypeAccessV3 } from '../../.gen/providers/openstack/blockstorage-volume-type-access-v3';
import { BlockstorageVolumeTypeV3 } from '../../.gen/providers/openstack/blockstorage-volume-type-v3';
import { ValidationError } from '../core/validation-error';
import { checkName } from '../private/names';
import { isUnresolved } from '../private/tokens';

/** A Cinder volume type, owned or imported. */
export interface IVolumeType {
  /**
   * The type's name as written (never a token): what Magnum's `docker_volume_type`
   * label and magnum.conf's `default_docker_volume_type` hold.
   */
  readonly volumeTypeName: string;
}

/** Props of {@link VolumeType}. */
export interface VolumeTypeProps {
  /**
   * Cinder name (the Magnum guide's all-in-one uses `ssdvolume`).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Human description.
   * @default - none
   */
  readonly description?: string;
  /**
   * The backend that serves the type (`volume_backend_name` extra spec, e.g. Kolla's `lvm-1`).
   * @default - none: the scheduler may place volumes on any backend
   */
  readonly backendName?: string;
  /**
   * Other extra specs.
   * @default - none
   */
  readonly extraSpecs?: { [key: string]: string };
  /**
   * Project ids that may use a private type. When set, the type is private and
   * only these projects (and admins) see it.
   * @default - none: the type is public
   */
  readonly grantedProjectIds?: string[];
}

/** A Cinder volume type, e.g. the one Magnum puts Docker's volume on. */
export class VolumeType extends Construct implements IVolumeType {
  /** References a volume type that already exists, by name. */
  public static fromVolumeTypeName(scope: Construct, id: string, volumeTypeName: string): IVolumeType {
    class Import extends Construct implements IVolumeType {
      public readonly volumeTypeName = volumeTypeName;
    }
    return new Import(scope, id);
  }

  /** The Cinder volume type. */
  public readonly resource: BlockstorageVolumeTypeV3;
  public readonly volumeTypeName: string;

  constructor(scope: Construct, id: string, props: VolumeTypeProps = {}) {
    super(scope, id);
    const name = props.name ?? id;
    checkName(this, 'name', name);
    if (props.extraSpecs && 'volume_backend_name' in props.extraSpecs) {
      throw new ValidationError(this, 'extraSpecs.volume_backend_name', props.extraSpecs.volume_backend_name, 'is set through the free map', 'use the backendName prop');
    }
    const granted = props.grantedProjectIds;
    if (granted !== undefined && !isUnresolved(granted) && granted.length === 0) {
      throw new ValidationError(this, 'grantedProjectIds', granted, 'is empty, which would make the type usable by no project', 'list at least one project id, or leave it unset for a public type');
    }
    const extraSpecs = { ...props.extraSpecs, ...(props.backendName ? { volume_backend_name: props.backendName } : {}) };
    this.resource = new BlockstorageVolumeTypeV3(this, 'Resource', {
      name,
      description: props.description,
      isPublic: granted === undefined,
      extraSpecs: Object.keys(extraSpecs).length > 0 ? extraSpecs : undefined,
    });
    (granted ?? []).forEach((projectId, i) => {
      new BlockstorageVolumeTypeAccessV3(this, `Access${i}`, { volumeTypeId: this.resource.id, projectId });
    });
    this.volumeTypeName = name;
  }
}
