import { IConstruct } from 'constructs';
import { formatFinding, pathOf } from './finding';

/**
 * Bad input found at synth time.
 *
 * The message names the construct path, the prop, the value and the fix, so the
 * operator never has to read a stack trace from deep inside Terraform.
 */
export class ValidationError extends Error {
  /** Path of the construct that received the bad value. */
  public readonly constructPath: string;
  /** The prop (dotted for nested values) that holds the bad value. */
  public readonly field: string;

  /**
   * @param scope the construct that received the value
   * @param field the prop name, dotted for nested values (`floatingIpRanges[1].end`)
   * @param value the offending value, shown in the message
   * @param problem what is wrong, without a trailing full stop
   * @param fix what to change, without a trailing full stop
   */
  constructor(scope: IConstruct, field: string, value: unknown, problem: string, fix: string) {
    super(formatFinding(scope, field, value, problem, fix));
    this.name = 'ValidationError';
    this.constructPath = pathOf(scope);
    this.field = field;
  }
}
