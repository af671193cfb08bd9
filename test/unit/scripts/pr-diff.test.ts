import { TerraformStack, Testing } from 'cdktf';
import { COMMENT_MARKER, diffStacks, renderStack } from '../../../scripts/pr-diff';
import { addExampleStacks, SiteOverrides } from '../../../stacks';

const synthStack = (overrides: SiteOverrides, stack = 'all-in-one') => {
  const app = Testing.app();
  addExampleStacks(app, overrides);
  return JSON.parse(Testing.synth(app.node.findChild(stack) as TerraformStack, true));
};

// `--plan` (terraform plan of each stack): test/integration/pr-diff-plan.test.ts.
describe('pr-diff without a cloud: synthesized JSON against the base branch', () => {
  test('shows the changed attribute of the changed resource, and nothing else', () => {
    const base = synthStack({});
    const head = synthStack({ 'all-in-one': { floatingIpRanges: [{ start: '10.0.2.160', end: '10.0.2.199' }] } });
    const changes = diffStacks(base, head);
    expect(changes).toEqual([
      {
        address: expect.stringMatching(/^openstack_networking_subnet_v2\.Platform_ExternalNetwork_Subnet_/),
        action: 'update',
        attributes: ['allocation_pool'],
      },
    ]);
  });

  test('a new stack is all creates, a removed one all deletes, an unchanged one nothing', () => {
    const head = synthStack({});
    expect(diffStacks(undefined, head).every((c) => c.action === 'create')).toBe(true);
    expect(diffStacks(head, undefined).every((c) => c.action === 'delete')).toBe(true);
    expect(diffStacks(head, synthStack({}))).toEqual([]);
  });

  test('renders one Markdown section per stack with the plan-style summary', () => {
    const text = renderStack(
      'all-in-one',
      [
        { address: 'a.x', action: 'create', attributes: [] },
        { address: 'b.y', action: 'update', attributes: ['labels.kube_tag'] },
      ],
      'synthesized JSON',
    );
    expect(text).toBe('### `all-in-one` — 1 to add, 1 to change, 0 to destroy, 0 to replace (synthesized JSON)\n```diff\n+ a.x\n~ b.y  (labels.kube_tag)\n```');
    expect(COMMENT_MARKER).toMatch(/^<!--.*-->$/);
  });
});
