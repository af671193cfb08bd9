import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { BlockstorageVolumeTypeAccessV3 } from '../../.gen/providers/openstack/blockstorage-volume-type-access-v3';
import { BlockstorageVolumeTypeV3 } from '../../.gen/providers/openstack/blockstorage-volume-type-v3';
import { ValidationError } from '../core/validation-error';
import { checkDescription, checkExtraSpecs, checkExtraSpecValue, checkProjectIds, DEFAULT_VOLUME_TYPE } from '../private/cinder';
import { checkName } from '../private/names';
import { describeOwner } from '../private/owner-marks';
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
   * Cinder name (the Magnum guide's all-in-one uses `ssdvolume`), unique in the cloud: not
   * `__DEFAULT__`, which every Cinder has, nor the name of another VolumeType in the stack.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Human description: printable characters on one line, at most 255 with the owner mark this
   * library appends (` (magnum-cdktf:<digest>)`, 32 characters), which lets a run after a killed one
   * adopt the type instead of failing on Cinder's unique names.
   * @default - the owner mark alone
   */
  readonly description?: string;
  /**
   * The backend that serves the type (`volume_backend_name` extra spec, e.g. Kolla's `lvm-1`).
   * @default - none: the scheduler may place volumes on any backend
   */
  readonly backendName?: string;
  /**
   * Other extra specs: keys of letters, digits and `-_:.`, values of at most 255 characters.
   * @default - none
   */
  readonly extraSpecs?: { [key: string]: string };
  /**
   * Keystone project ids that may use a private type, each once. When set, the type is
   * private and only these projects (and admins) see it.
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
    const type = new Import(scope, id);
    // Cinder has no type with an empty name or one over 255 characters (types_manage.py: _create,
    // parameter_types.name); a control character would break the magnum.conf fragment it goes to.
    checkName(type, 'volumeTypeName', volumeTypeName);
    return type;
  }

  /** The Cinder volume type. */
  public readonly resource: BlockstorageVolumeTypeV3;
  public readonly volumeTypeName: string;
  /** Its extra specs, `volume_backend_name` (backendName) included. */
  public readonly extraSpecs: { readonly [key: string]: string };

  constructor(scope: Construct, id: string, props: VolumeTypeProps = {}) {
    super(scope, id);
    const name = props.name ?? id;
    checkName(this, 'name', name);
    checkUnique(this, name);
    checkDescription(this, 'description', props.description);
    if (props.extraSpecs && 'volume_backend_name' in props.extraSpecs) {
      throw new ValidationError(
        this,
        'extraSpecs.volume_backend_name',
        props.extraSpecs.volume_backend_name,
        'is set through the free map',
        'use the backendName prop',
      );
    }
    checkExtraSpecs(this, 'extraSpecs', props.extraSpecs ?? {});
    checkExtraSpecValue(this, 'backendName', props.backendName);
    const granted = props.grantedProjectIds;
    if (granted !== undefined) {
      if (!isUnresolved(granted) && granted.length === 0) {
        throw new ValidationError(
          this,
          'grantedProjectIds',
          granted,
          'is empty, which would make the type usable by no project',
          'list at least one project id, or leave it unset for a public type',
        );
      }
      checkProjectIds(this, 'grantedProjectIds', granted);
    }
    const extraSpecs = { ...props.extraSpecs, ...(props.backendName ? { volume_backend_name: props.backendName } : {}) };
    this.extraSpecs = extraSpecs;
    this.resource = new BlockstorageVolumeTypeV3(this, 'Resource', {
      name,
      isPublic: granted === undefined,
      extraSpecs: Object.keys(extraSpecs).length > 0 ? extraSpecs : undefined,
    });
    describeOwner(this.resource, props.description);
    (granted ?? []).forEach((projectId, i) => {
      new BlockstorageVolumeTypeAccessV3(this, `Access${i}`, { volumeTypeId: this.resource.id, projectId });
    });
    this.volumeTypeName = name;
    typesOf(TerraformStack.of(this)).set(name, this);
  }
}

/** The volume types of each stack by Cinder name, for {@link checkUnique}: a lookup, where a walk of the stack per type grew with the square of the platforms. */
const typesByStack = new WeakMap<TerraformStack, Map<string, VolumeType>>();
const typesOf = (stack: TerraformStack) => typesByStack.get(stack) ?? typesByStack.set(stack, new Map()).get(stack)!;

/**
 * Cinder refuses a second type of the same name with 409 (cinder/db/sqlalchemy/api.py:
 * volume_type_create raises VolumeTypeExists; Zed, master same), `__DEFAULT__` included.
 */
function checkUnique(scope: VolumeType, name: string): void {
  if (isUnresolved(name)) {
    return;
  }
  if (name === DEFAULT_VOLUME_TYPE) {
    throw new ValidationError(
      scope,
      'name',
      name,
      'is the type Cinder creates itself, so creating it again fails with 409 Conflict',
      `pick another name, or use VolumeType.fromVolumeTypeName(scope, id, '${DEFAULT_VOLUME_TYPE}') to use it`,
    );
  }
  const other = typesOf(TerraformStack.of(scope)).get(name);
  if (other !== undefined) {
    throw new ValidationError(
      scope,
      'name',
      name,
      `is also the name of ${other.node.path}; Cinder refuses the second with 409 Conflict`,
      'give each volume type its own name',
    );
  }
}
