import { Annotations } from 'cdktf';
import { IConstruct } from 'constructs';
import { formatFinding } from '../core/finding';

/**
 * A choice that deploys but hurts, shown by `cdktf synth` as a warning in the
 * same form as a {@link ValidationError}: path, field, value, why, and the fix.
 */
export function warn(scope: IConstruct, field: string, value: unknown, problem: string, fix: string): void {
  Annotations.of(scope).addWarning(formatFinding(scope, field, value, problem, fix));
}
