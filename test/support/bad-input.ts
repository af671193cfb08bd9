import { TerraformStack } from 'cdktf';
import { ValidationError } from '../../lib';
import { givenStack } from './fixtures';

/**
 * One row of a bad-input table: [case, what builds the bad input, what the message must say].
 * Each row's comment names the upstream check it mirrors (service, file, function).
 */
export type Refusal = [string, (stack: TerraformStack) => unknown, RegExp];

/** Runs a table of refusals: each must throw a ValidationError whose message matches and ends with a fix. */
export function describeRefusals(title: string, rows: Refusal[]): void {
  describe(title, () => {
    test.each(rows)('%s', (_name, build, message) => {
      const stack = givenStack();
      let error: unknown;
      try {
        build(stack);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toMatch(/\. Fix: .+\.$/);
    });
  });
}

/** The warnings (cdktf annotations) that constructs in `stack` added, as `cdktf synth` shows them. */
export function warningsOf(stack: TerraformStack): string[] {
  return stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data)));
}
