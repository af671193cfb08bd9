import { IConstruct } from 'constructs';
import { ValidationError } from '../core/validation-error';
import { DEFAULT_NODE_GROUP_NAMES, MAGNUM_MAX_STRING, pythonLength } from './magnum-checks';
import { isUnresolved } from './tokens';

/** Longest name the OpenStack APIs store (Neutron, Glance, Cinder: 255). */
const MAX_NAME = 255;

/** Rejects names every OpenStack API refuses: empty, too long, control characters. */
export function checkName(scope: IConstruct, field: string, name: string): void {
  if (isUnresolved(name)) {
    return;
  }
  if (name.trim() === '') {
    throw new ValidationError(scope, field, name, 'is empty', 'give a non-empty name');
  }
  if (name.length > MAX_NAME) {
    throw new ValidationError(scope, field, name, `is ${name.length} characters long`, `shorten it to at most ${MAX_NAME} characters`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    throw new ValidationError(scope, field, name, 'contains control characters', 'use printable characters only');
  }
}

/**
 * Magnum's rule for cluster names (magnum/api/controllers/v1/cluster.py, Zed to
 * 2026.1): a letter first, then letters, digits, `_`, `-` or `.`, at most 242
 * characters so the Heat stack name derived from it fits in 255.
 */
export function checkClusterName(scope: IConstruct, field: string, name: string): void {
  if (isUnresolved(name)) {
    return;
  }
  checkName(scope, field, name);
  if (!/^[a-zA-Z][a-zA-Z0-9_.-]*$/.test(name) || name.length > 242) {
    throw new ValidationError(scope, field, name, 'is not a name Magnum accepts', 'start with a letter and use only letters, digits, "_", "-" and "." (at most 242 characters)');
  }
}

/**
 * Magnum's rule for node-group names (api/controllers/v1/nodegroup.py, `NodeGroup.name`:
 * `StringType(min_length=1, max_length=255)`, Zed to master): any 1 to 255 characters, spaces
 * and punctuation included. The names of the two groups Magnum creates with every cluster are
 * taken: `NodeGroupController.post` refuses them with NodeGroupAlreadyExists.
 */
export function checkNodeGroupName(scope: IConstruct, field: string, name: string): void {
  if (isUnresolved(name)) {
    return;
  }
  const length = pythonLength(name);
  if (length < 1 || length > MAGNUM_MAX_STRING) {
    throw new ValidationError(scope, field, name, `is ${length} characters long; Magnum takes 1 to ${MAGNUM_MAX_STRING}`,
      length < 1 ? 'give the node group a name' : `shorten it to at most ${MAGNUM_MAX_STRING} characters`);
  }
  if (DEFAULT_NODE_GROUP_NAMES.includes(name)) {
    throw new ValidationError(scope, field, name, `is the name of a node group Magnum creates with every cluster; it refuses a second one with "A node group with name ${name} already exists"`,
      'choose another name (the masters and default workers are sized by the cluster\'s masterCount and nodeCount)');
  }
}
