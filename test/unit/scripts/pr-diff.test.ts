import { TerraformStack, Testing } from 'cdktf';
import { changesOfPlan, COMMENT_MARKER, diffStacks, PlanJson, renderFailure, renderStack, ResourceChange, terraformErrors } from '../../../scripts/pr-diff';
import { addExampleStacks, SiteOverrides } from '../../../stacks';

type Resources = Record<string, Record<string, Record<string, unknown>>>;
interface Synthesized {
  resource: Resources;
}

const CLUSTER = 'openstack_containerinfra_cluster_v1';
const NODE_GROUP = 'openstack_containerinfra_nodegroup_v1';
const TEMPLATE = 'openstack_containerinfra_clustertemplate_v1';

const synthStack = (overrides: SiteOverrides, stack = 'all-in-one'): Synthesized => {
  const app = Testing.app();
  addExampleStacks(app, overrides);
  return JSON.parse(Testing.synth(app.node.findChild(stack) as TerraformStack, true));
};

/** The address and body of the one resource of `type` in a synthesized stack. */
/** The one resource of `type` (whose name matches `name`, when given). */
function only(stack: Synthesized, type: string, name?: RegExp): { address: string; body: Record<string, unknown> } {
  const entries = Object.entries(stack.resource[type] ?? {}).filter(([n]) => !name || name.test(n));
  expect(entries).toHaveLength(1);
  return { address: `${type}.${entries[0][0]}`, body: entries[0][1] };
}

/** An example stack, and a copy of it changed by `edit` as a pull request would: the changes from one to the other. */
function pullRequest(stack: string, edit: (head: Synthesized) => void, prepare: (both: Synthesized) => void = () => {}) {
  const base = synthStack({}, stack);
  prepare(base);
  const head: Synthesized = structuredClone(base);
  edit(head);
  return { base, head, changes: diffStacks(base, head) };
}

const changeOf = (changes: ResourceChange[], address: string) => changes.find((c) => c.address === address);

/**
 * Gives the stack's cluster a precondition, as ClusterReplacement.REFUSE does, or none, as the replace modes do:
 * pr-diff evaluates none, but says that the change may be refused at plan.
 */
function setPrecondition(stack: Synthesized, present: boolean): void {
  const cluster = only(stack, CLUSTER).body;
  const { precondition: _none, ...lifecycle } = (cluster.lifecycle ?? {}) as Record<string, unknown>;
  const precondition = [{ condition: '${terraform_data.Guard.output == "m1.small"}', error_message: 'cannot take it. Fix: do not.' }];
  cluster.lifecycle = present ? { ...lifecycle, precondition } : lifecycle;
}

// `--plan` through the real Terraform CLI: test/integration/pr-diff-plan.test.ts.
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
      'synth',
    );
    expect(text).toBe(
      '### `all-in-one` — 1 to add, 1 to change, 0 to destroy, 0 to replace (synthesized JSON against the base branch)\n\n```diff\n+ a.x\n~ b.y  (labels.kube_tag)\n```',
    );
    expect(COMMENT_MARKER).toMatch(/^<!--.*-->$/);
  });

  test('a cluster argument the provider cannot update replaces the cluster, and with it its node groups', () => {
    // GIVEN fedora-coreos with one master more
    const { head, changes } = pullRequest(
      'fedora-coreos',
      (h) => {
        only(h, CLUSTER).body.master_count = 5;
      },
      (b) => setPrecondition(b, false),
    );
    const cluster = only(head, CLUSTER).address;
    const group = only(head, NODE_GROUP).address;
    // THEN the cluster is replaced for it, and the node group because its cluster_id is the new cluster's
    expect(changeOf(changes, cluster)).toEqual({
      address: cluster,
      action: 'replace',
      attributes: ['master_count'],
      order: 'destroy-before-create',
      cause: ['master_count'],
    });
    expect(changeOf(changes, group)).toMatchObject({ action: 'replace', cause: ['cluster_id'] });
    // AND the teardown, whose triggers name the cluster
    expect(changeOf(changes, only(head, 'null_resource').address)).toMatchObject({ action: 'replace', cause: ['triggers'] });
    // AND the comment says so above the diff, and counts the cluster
    const text = renderStack('fedora-coreos', changes, 'synth');
    expect(text).toMatch(/^### `fedora-coreos` — 0 to add, 0 to change, 0 to destroy, 5 to replace, \*\*⚠ 1 cluster replaced\*\* \(/);
    expect(text).toContain(
      `\n\n> **⚠ Cluster REPLACED** \`${cluster}\`: the running cluster and every workload on it are deleted (master_count); the old cluster is deleted first, then the new one created.\n\n`,
    );
    expect(text).toContain(
      `> **⚠ Node group REPLACED** \`${group}\`: the group's nodes and what runs on them are deleted (cluster_id); they are deleted before`,
    );
    expect(text).toContain(`-/+ ${cluster}  (master_count)`);
  });

  test('a node group argument the provider cannot update replaces the group alone', () => {
    const { head, changes } = pullRequest('fedora-coreos', (h) => {
      only(h, NODE_GROUP).body.flavor_id = 'm1.large';
    });
    const group = only(head, NODE_GROUP).address;
    const resizer = only(head, 'terraform_data', /_Resizer_/).address;
    expect(changes).toEqual([
      { address: group, action: 'replace', attributes: ['flavor_id'], order: 'destroy-before-create', cause: ['flavor_id'] },
      // its resizer, whose trigger is the group's id: the new group is given its count (it has it already)
      { address: resizer, action: 'replace', attributes: ['triggers_replace.node_group'], order: 'destroy-before-create', cause: ['triggers_replace'] },
    ]);
    const text = renderStack('fedora-coreos', changes, 'synth');
    expect(text).toContain(
      `> **⚠ Node group REPLACED** \`${group}\`: the group's nodes and what runs on them are deleted (flavor_id); they are deleted before the new ones are created (Magnum node group names are unique per cluster, so the new group cannot exist beside the old).`,
    );
    expect(text).not.toContain('resized');
  });

  test("a node group's new count replaces its resizer alone, called out as a resize", () => {
    const { head, changes } = pullRequest('fedora-coreos', (h) => {
      only(h, NODE_GROUP).body.node_count = 3;
      (only(h, 'terraform_data', /_Resizer_/).body.triggers_replace as Record<string, unknown>).node_count = 3;
    });
    const group = only(head, NODE_GROUP).address;
    const resizer = only(head, 'terraform_data', /_Resizer_/).address;
    // The group's own node_count is in its ignore_changes (Terraform updates nothing of it); the JSON shows it all the same.
    expect(changes).toEqual([
      { address: group, action: 'update', attributes: ['node_count'] },
      { address: resizer, action: 'replace', attributes: ['triggers_replace.node_count'], order: 'destroy-before-create', cause: ['triggers_replace'] },
    ]);
    const text = renderStack('fedora-coreos', changes, 'synth');
    // One call-out, for the resizer, which a real plan has alone.
    expect(text.match(/resized/g)).toHaveLength(1);
    expect(text).toContain(`\n\nNode group resized in place: \`${resizer}\` (node_count, by its resizer).\n\n`);
    expect(text).not.toMatch(/REPLACED|UPGRADED/);
  });

  test('a node group replaced with a new count is called out as replaced, not also as resized', () => {
    const { head, changes } = pullRequest('fedora-coreos', (h) => {
      only(h, NODE_GROUP).body.flavor_id = 'm1.large';
      only(h, NODE_GROUP).body.node_count = 3;
      (only(h, 'terraform_data', /_Resizer_/).body.triggers_replace as Record<string, unknown>).node_count = 3;
    });
    const resizer = only(head, 'terraform_data', /_Resizer_/).address;
    expect(changeOf(changes, resizer)).toMatchObject({ action: 'replace', attributes: ['triggers_replace.node_count', 'triggers_replace.node_group'] });
    const text = renderStack('fedora-coreos', changes, 'synth');
    expect(text).toContain('⚠ Node group REPLACED');
    expect(text).not.toContain('resized');
  });

  test('a changed replace trigger replaces the cluster that lists it in replace_triggered_by', () => {
    // GIVEN a cluster replaced by a terraform_data trigger, as ClusterReplacement's replace modes make it
    const trigger = 'terraform_data.Rebuild';
    const { head, changes } = pullRequest(
      'all-in-one',
      (h) => {
        h.resource.terraform_data.Rebuild.triggers_replace = { flavor: 'm1.large' };
      },
      (b) => {
        b.resource.terraform_data.Rebuild = { triggers_replace: { flavor: 'm1.small' } };
        only(b, CLUSTER).body.lifecycle = { create_before_destroy: true, replace_triggered_by: [trigger] };
      },
    );
    const cluster = only(head, CLUSTER).address;
    // THEN the trigger and the cluster are replaced, the new cluster first
    expect(changeOf(changes, trigger)).toMatchObject({ action: 'replace', cause: ['triggers_replace'] });
    expect(changeOf(changes, cluster)).toEqual({
      address: cluster,
      action: 'replace',
      attributes: [],
      order: 'create-before-destroy',
      cause: [`replace_triggered_by ${trigger}`],
    });
    expect(renderStack('all-in-one', changes, 'synth')).toContain(
      `> **⚠ Cluster REPLACED** \`${cluster}\`: the running cluster and every workload on it are deleted (replace_triggered_by ${trigger}); the new cluster is created first, beside the old one`,
    );
  });

  test("a guard's input, which its lifecycle ignores, shows as an update and replaces nothing", () => {
    const guard = 'terraform_data.Guard';
    const { head, changes } = pullRequest(
      'all-in-one',
      (h) => {
        h.resource.terraform_data.Guard.input = { flavor: 'm1.large' };
      },
      (b) => {
        b.resource.terraform_data.Guard = { input: { flavor: 'm1.small' }, lifecycle: { ignore_changes: ['input'] } };
        only(b, CLUSTER).body.lifecycle = { replace_triggered_by: [guard] };
      },
    );
    expect(changes).toEqual([{ address: guard, action: 'update', attributes: ['input.flavor'] }]);
    const text = renderStack('all-in-one', changes, 'synth');
    expect(text).not.toContain('> ');
    expect(text).not.toContain(only(head, CLUSTER).address);
  });

  test('a changed template is replaced under a new name, and its cluster is UPGRADED to it (or refused at plan)', () => {
    // GIVEN all-in-one with another master flavor: a template setting, which renames the template
    const base = synthStack({});
    const head = synthStack({ 'all-in-one': { masterFlavor: 'm1.medium' } });
    [base, head].forEach((stack) => setPrecondition(stack, true));
    const changes = diffStacks(base, head);
    const template = only(head, TEMPLATE).address;
    const cluster = only(head, CLUSTER).address;
    // THEN the template is replaced by its settings' trigger, and the cluster gets the new template's id
    expect(changeOf(changes, template)).toMatchObject({
      action: 'replace',
      order: 'create-before-destroy',
      cause: [expect.stringMatching(/^replace_triggered_by terraform_data\.Platform_Template_Settings_/)],
    });
    expect(changeOf(changes, template)!.attributes).toEqual(expect.arrayContaining(['master_flavor', 'name']));
    expect(changeOf(changes, cluster)).toEqual({ address: cluster, action: 'update', attributes: ['cluster_template_id'], refusable: true });
    const text = renderStack('all-in-one', changes, 'synth');
    expect(text).toContain(
      `> **Cluster UPGRADED** \`${cluster}\`: a new cluster template, through Magnum's upgrade API (rolling update of the nodes), unless its precondition refuses it at plan.`,
    );
    expect(text).not.toContain('cluster replaced');
  });

  test('a new node count resizes the cluster in place', () => {
    const { head, changes } = pullRequest(
      'all-in-one',
      (h) => {
        only(h, CLUSTER).body.node_count = 3;
      },
      (b) => setPrecondition(b, false),
    );
    const cluster = only(head, CLUSTER).address;
    expect(changes).toEqual([{ address: cluster, action: 'update', attributes: ['node_count'] }]);
    const text = renderStack('all-in-one', changes, 'synth');
    expect(text).toContain(`\n\nCluster resized in place: \`${cluster}\` (node_count).\n\n`);
    expect(text).not.toMatch(/REPLACED|UPGRADED/);
  });

  test('a cluster with a precondition is REPLACED unless the precondition refuses it at plan', () => {
    const { head, changes } = pullRequest(
      'all-in-one',
      (h) => {
        only(h, CLUSTER).body.name = 'k8s-renamed';
      },
      (b) => setPrecondition(b, true),
    );
    const cluster = only(head, CLUSTER).address;
    expect(changeOf(changes, cluster)).toMatchObject({ action: 'replace', cause: ['name'], refusable: true });
    expect(renderStack('all-in-one', changes, 'synth')).toContain(
      `deleted (name); the old cluster is deleted first, then the new one created, unless its precondition refuses this at plan.\n`,
    );
  });
});

describe('pr-diff with --plan: the rendering of what Terraform planned', () => {
  // What `terraform show -json` writes, cut to what pr-diff reads.
  const cluster = (name: string, actions: string[], before: object, after: object, extra: object = {}) => ({
    address: `${CLUSTER}.${name}`,
    change: { actions, before: { name, ...before }, after: { name, ...after } },
    ...extra,
  });
  // One change of each kind.
  const planJson: PlanJson = {
    resource_changes: [
      {
        address: `${CLUSTER}.flavored`,
        action_reason: 'replace_because_cannot_update',
        // api_address: computed, unknown until the new cluster exists (absent from `after`)
        change: {
          actions: ['delete', 'create'],
          before: { flavor: 'm1.small', api_address: 'https://10.0.2.160:6443' },
          after: { flavor: 'm1.large' },
          replace_paths: [['flavor']],
        },
      },
      { ...cluster('triggered', ['create', 'delete'], { stack_id: 'a' }, {}), action_reason: 'replace_by_triggers' },
      cluster('upgraded', ['update'], { cluster_template_id: 'uuid-1', node_count: 2 }, { node_count: 2 }),
      cluster('resized', ['update'], { node_count: 2 }, { node_count: 3 }),
      cluster('same', ['no-op'], {}, {}),
      {
        address: `${NODE_GROUP}.infra`,
        action_reason: 'replace_because_cannot_update',
        change: { actions: ['delete', 'create'], before: { role: 'infra' }, after: { role: 'ingress' }, replace_paths: [['role']] },
      },
      {
        address: 'terraform_data.infra_Resizer',
        action_reason: 'replace_because_cannot_update',
        change: {
          actions: ['delete', 'create'],
          before: { triggers_replace: { node_group: 'c/g', node_count: 1 } },
          after: { triggers_replace: { node_group: 'c/g', node_count: 2 } },
          replace_paths: [['triggers_replace']],
        },
      },
      { address: 'terraform_data.new', change: { actions: ['create'], before: null, after: {} } },
      { address: 'data.openstack_networking_network_v2.ext', change: { actions: ['read'], before: null, after: {} } },
    ],
  };

  test('reads the actions, the order of a replacement and what forced it', () => {
    expect(changesOfPlan(planJson)).toEqual([
      { address: `${CLUSTER}.flavored`, action: 'replace', attributes: ['api_address', 'flavor'], order: 'destroy-before-create', cause: ['flavor'] },
      { address: `${CLUSTER}.triggered`, action: 'replace', attributes: ['stack_id'], order: 'create-before-destroy', cause: ['replace_triggered_by'] },
      { address: `${CLUSTER}.upgraded`, action: 'update', attributes: ['cluster_template_id'] },
      { address: `${CLUSTER}.resized`, action: 'update', attributes: ['node_count'] },
      { address: `${NODE_GROUP}.infra`, action: 'replace', attributes: ['role'], order: 'destroy-before-create', cause: ['role'] },
      {
        address: 'terraform_data.infra_Resizer',
        action: 'replace',
        attributes: ['triggers_replace.node_count'],
        order: 'destroy-before-create',
        cause: ['triggers_replace'],
      },
      { address: 'terraform_data.new', action: 'create', attributes: [] },
    ]);
  });

  test('calls out each replaced or upgraded cluster, the resizes and the replaced node group above the diff', () => {
    expect(renderStack('all-in-one', changesOfPlan(planJson), 'plan')).toBe(
      [
        '### `all-in-one` — 1 to add, 2 to change, 0 to destroy, 4 to replace, **⚠ 2 clusters replaced** (terraform plan)',
        `> **⚠ Cluster REPLACED** \`${CLUSTER}.flavored\`: the running cluster and every workload on it are deleted (flavor); the old cluster is deleted first, then the new one created.`,
        `> **⚠ Cluster REPLACED** \`${CLUSTER}.triggered\`: the running cluster and every workload on it are deleted (replace_triggered_by); the new cluster is created first, beside the old one (quota and floating IPs for both at once).`,
        `> **Cluster UPGRADED** \`${CLUSTER}.upgraded\`: a new cluster template, through Magnum's upgrade API (rolling update of the nodes).`,
        `Cluster resized in place: \`${CLUSTER}.resized\` (node_count).`,
        `> **⚠ Node group REPLACED** \`${NODE_GROUP}.infra\`: the group's nodes and what runs on them are deleted (role); they are deleted before the new ones are created (Magnum node group names are unique per cluster, so the new group cannot exist beside the old).`,
        'Node group resized in place: `terraform_data.infra_Resizer` (node_count, by its resizer).',
        [
          '```diff',
          `-/+ ${CLUSTER}.flavored  (api_address, flavor)`,
          `-/+ ${CLUSTER}.triggered  (stack_id)`,
          `~ ${CLUSTER}.upgraded  (cluster_template_id)`,
          `~ ${CLUSTER}.resized  (node_count)`,
          `-/+ ${NODE_GROUP}.infra  (role)`,
          '-/+ terraform_data.infra_Resizer  (triggers_replace.node_count)',
          '+ terraform_data.new',
          '```',
        ].join('\n'),
      ].join('\n\n'),
    );
  });
});

describe('pr-diff with --plan: a plan Terraform refuses', () => {
  // Terraform 1.11's stderr of a plan whose precondition failed, as a terminal gets it (colours, the frame),
  // the message wrapped at 78 columns; and the same with -no-color, as pr-diff runs it.
  const MESSAGE =
    'all-in-one/Platform/Cluster: template.masterFlavor = "m1.medium": is a change a running cluster cannot take. Fix: set replacement to ClusterReplacement.DESTROY_BEFORE_CREATE, or keep "m1.small".';
  const COLOURED = [
    '\u001b[31m╷\u001b[0m\u001b[0m',
    '\u001b[31m│\u001b[0m \u001b[0m\u001b[1m\u001b[31mError: \u001b[0m\u001b[0m\u001b[1mResource precondition failed\u001b[0m',
    '\u001b[31m│\u001b[0m \u001b[0m',
    '\u001b[31m│\u001b[0m \u001b[0m\u001b[0m  on cdk.tf.json line 412, in resource.terraform_data.Platform_Cluster_RebuildGuard_1A2B3C4D.lifecycle.precondition[0]:',
    '\u001b[31m│\u001b[0m \u001b[0m 412:             "condition": \u001b[4m"${terraform_data.Platform_Cluster_RebuildGuard_1A2B3C4D.output == …}"\u001b[0m,',
    '\u001b[31m│\u001b[0m \u001b[0m    \u001b[90m├────────────────\u001b[0m',
    '\u001b[31m│\u001b[0m \u001b[0m\u001b[0m    \u001b[90m│\u001b[0m \u001b[1mterraform_data.Platform_Cluster_RebuildGuard_1A2B3C4D.output\u001b[0m is "m1.small"',
    '\u001b[31m│\u001b[0m \u001b[0m\u001b[0m',
    '\u001b[31m│\u001b[0m \u001b[0mall-in-one/Platform/Cluster: template.masterFlavor = "m1.medium": is a change a',
    '\u001b[31m│\u001b[0m \u001b[0mrunning cluster cannot take. Fix: set replacement to',
    '\u001b[31m│\u001b[0m \u001b[0mClusterReplacement.DESTROY_BEFORE_CREATE, or keep "m1.small".',
    '\u001b[31m╵\u001b[0m\u001b[0m',
  ].join('\n');
  const PLAIN = [
    '',
    'Error: Resource precondition failed',
    '',
    '  on cdk.tf.json line 412, in resource.terraform_data.Platform_Cluster_RebuildGuard_1A2B3C4D.lifecycle.precondition[0]:',
    ' 412:             "condition": "${terraform_data.Platform_Cluster_RebuildGuard_1A2B3C4D.output == …}",',
    '    ├────────────────',
    '    │ terraform_data.Platform_Cluster_RebuildGuard_1A2B3C4D.output is "m1.small"',
    '',
    'all-in-one/Platform/Cluster: template.masterFlavor = "m1.medium": is a change a',
    'running cluster cannot take. Fix: set replacement to',
    'ClusterReplacement.DESTROY_BEFORE_CREATE, or keep "m1.small".',
    '',
    'Warning: Deprecated attribute',
    '',
    'Something else.',
    '',
  ].join('\n');

  test.each([
    ['in colour, framed', COLOURED],
    ['with -no-color', PLAIN],
  ])("reads the precondition's message out of Terraform's output %s", (_name, stderr) => {
    expect(terraformErrors(stderr)).toEqual([{ summary: 'Resource precondition failed', detail: MESSAGE }]);
  });

  test('renders a refusal section that quotes the message', () => {
    expect(renderFailure('all-in-one', terraformErrors(PLAIN))).toBe(
      [
        '### `all-in-one` — ⛔ REFUSED at plan (terraform plan)',
        '> **⛔ REFUSED at plan**: a precondition refuses what this pull request changes, and nothing of the stack is planned; the fix is in the message.',
        ['```text', 'Error: Resource precondition failed', MESSAGE, '```'].join('\n'),
      ].join('\n\n'),
    );
  });

  test('any other failure is a failed plan, quoted; text that is no diagnostic is quoted whole', () => {
    const auth =
      '\nError: Error creating OpenStack container infra client: Authentication failed\n\nThe request you have made requires authentication. (HTTP 401)\n';
    const errors = terraformErrors(auth);
    expect(errors).toEqual([
      {
        summary: 'Error creating OpenStack container infra client: Authentication failed',
        detail: 'The request you have made requires authentication. (HTTP 401)',
      },
    ]);
    const text = renderFailure('fedora-coreos', errors);
    expect(text).toMatch(/^### `fedora-coreos` — ⛔ plan FAILED \(terraform plan\)\n\n> \*\*⛔ plan FAILED\*\*: Terraform could not plan this stack\./);
    expect(text).toContain('(HTTP 401)\n```');
    expect(terraformErrors('spawnSync terraform ENOENT')).toEqual([{ summary: 'Terraform failed', detail: 'spawnSync terraform ENOENT' }]);
  });

  test('a message holding backticks gets a longer fence', () => {
    expect(renderFailure('x', [{ summary: 'Resource precondition failed', detail: 'use ```x```' }])).toContain('\n````text\n');
  });
});
