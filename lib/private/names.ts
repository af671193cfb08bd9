import { IConstruct } from 'constructs';
import { ValidationError } from '../core/validation-error';
import { DEFAULT_NODE_GROUP_NAMES } from './magnum-checks';
import { lengthInCodePoints, MAX_STRING_LENGTH } from './openstack-strings';
import { isUnresolved } from './tokens';

/** Magnum's `Cluster.name`: `StringType(max_length=242)` (see {@link checkClusterName}). */
const MAX_CLUSTER_NAME = 242;

/** Whether `text` holds a C0 control character or DEL, which no name or command-line value should. */
export function hasControlCharacters(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]/.test(text);
}

/** Rejects names every OpenStack API refuses: empty, too long, control characters. */
export function checkName(scope: IConstruct, field: string, name: string): void {
  if (isUnresolved(name)) {
    return;
  }
  if (name.trim() === '') {
    throw new ValidationError(scope, field, name, 'is empty', 'give a non-empty name');
  }
  const length = lengthInCodePoints(name);
  if (length > MAX_STRING_LENGTH) {
    throw new ValidationError(scope, field, name, `is ${length} characters long`, `shorten it to at most ${MAX_STRING_LENGTH} characters`);
  }
  if (hasControlCharacters(name)) {
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
  if (!/^[a-zA-Z][a-zA-Z0-9_.-]*$/.test(name) || lengthInCodePoints(name) > MAX_CLUSTER_NAME) {
    throw new ValidationError(
      scope,
      field,
      name,
      'is not a name Magnum accepts',
      `start with a letter and use only letters, digits, "_", "-" and "." (at most ${MAX_CLUSTER_NAME} characters)`,
    );
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
  const length = lengthInCodePoints(name);
  if (length < 1 || length > MAX_STRING_LENGTH) {
    throw new ValidationError(
      scope,
      field,
      name,
      `is ${length} characters long; Magnum takes 1 to ${MAX_STRING_LENGTH}`,
      length < 1 ? 'give the node group a name' : `shorten it to at most ${MAX_STRING_LENGTH} characters`,
    );
  }
  if (DEFAULT_NODE_GROUP_NAMES.includes(name)) {
    throw new ValidationError(
      scope,
      field,
      name,
      `is the name of a node group Magnum creates with every cluster; it refuses a second one with "A node group with name ${name} already exists"`,
      "choose another name (the masters and default workers are sized by the cluster's masterCount and nodeCount)",
    );
  }
}
