/**
 * What a pull request changes, per stack, as Markdown for one PR comment.
 *
 *   node dist/scripts/pr-diff.js --head cdktf.out [--base base/cdktf.out] [--plan]
 *
 * With --plan (cloud credentials present), each head stack is planned against its
 * state, as `cdktf diff` does. Without, the synthesized JSON of head and base are
 * compared resource by resource, so reviewers always see what changes. Above each
 * stack's diff, a line calls out every Magnum cluster replaced (its workloads go with
 * it), upgraded or resized, and every node group replaced. A stack Terraform refuses
 * to plan (a failed precondition) or cannot plan is rendered as such: the Markdown is
 * printed all the same, and the exit status is 1, so that the workflow still posts the
 * comment and the pull request's check fails.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { stripVTControlCharacters } from 'util';
import { RESIZER_TRIGGERS } from '../runtime/teardown/flags';
import { terraformBinary } from './lib/terraform';

/** The marker the workflow finds its own comment by. */
export const COMMENT_MARKER = '<!-- magnum-cdktf-diff -->';

const CLUSTER = 'openstack_containerinfra_cluster_v1';
const NODE_GROUP = 'openstack_containerinfra_nodegroup_v1';

/**
 * The arguments whose change replaces the resource: `ForceNew: true` in the schemas of
 * terraform-provider-openstack v3.4.0 (openstack/resource_openstack_containerinfra_cluster_v1.go,
 * _nodegroup_v1.go, _clustertemplate_v1.go), `triggers_replace` of Terraform's own `terraform_data`,
 * and `triggers` of hashicorp/null 3.2.4's `null_resource` (RequiresReplace; the teardown's, which
 * refers to its cluster). Every other argument is updated in place: a cluster's `cluster_template_id`
 * through Magnum's upgrade API and its `node_count` by a resize, a node group's node counts, a
 * template's settings (which this library's templates still replace on any change, through the
 * replace trigger of their settings).
 */
export const FORCE_NEW: Readonly<Record<string, readonly string[]>> = {
  [CLUSTER]: [
    'region',
    'name',
    'project_id',
    'user_id',
    'create_timeout',
    'discovery_url',
    'docker_volume_size',
    'flavor',
    'master_flavor',
    'keypair',
    'labels',
    'merge_labels',
    'master_count',
    'master_lb_enabled',
    'fixed_network',
    'fixed_subnet',
    'floating_ip_enabled',
  ],
  [NODE_GROUP]: ['region', 'cluster_id', 'name', 'project_id', 'docker_volume_size', 'labels', 'merge_labels', 'role', 'image_id', 'flavor_id'],
  openstack_containerinfra_clustertemplate_v1: ['region', 'project_id', 'user_id'],
  terraform_data: ['triggers_replace'],
  null_resource: ['triggers'],
};
/** The cluster argument the provider sends through Magnum's upgrade API (a rolling update of the nodes). */
const UPGRADE_ARGUMENT = 'cluster_template_id';
/** A cluster's and a node group's node count (a node group's is its resizer's after the create: ignore_changes). */
const COUNT_ARGUMENT = 'node_count';
/** The arguments the provider updates by resizing the cluster or node group in place. */
const RESIZE_ARGUMENTS: readonly string[] = [COUNT_ARGUMENT, 'min_node_count', 'max_node_count'];
/**
 * Terraform's meta-arguments, and the provider's `timeouts`: a change of them alone changes nothing
 * in the cloud, and their references (`depends_on`, a precondition's) carry no value into it.
 */
const META_ARGUMENTS: readonly string[] = ['count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'provisioner', 'connection', 'timeouts'];

/** One resource's body in synthesized Terraform JSON. */
type Json = Record<string, unknown>;
/** A synthesized stack: resources by type, then name. */
interface StackJson {
  readonly resource?: Record<string, Record<string, Json>>;
}
/** What this reads of one resource change in `terraform show -json` of a plan. */
export interface PlannedChange {
  readonly address: string;
  readonly action_reason?: string;
  readonly change: {
    readonly actions: string[];
    readonly before: unknown;
    readonly after: unknown;
    /** The paths (lists of steps) of the arguments that force a replacement. */
    readonly replace_paths?: (string | number)[][];
  };
}
/** What this reads of `terraform show -json` of a plan. */
export interface PlanJson {
  readonly resource_changes?: PlannedChange[];
}

/** Which half of a replacement comes first. */
export type ReplaceOrder = 'create-before-destroy' | 'destroy-before-create';

/** One resource's change between two synthesized stacks, or in a plan. */
export interface ResourceChange {
  readonly address: string;
  readonly action: 'create' | 'delete' | 'update' | 'replace';
  readonly attributes: string[];
  /** For a replacement: which half comes first. @default - destroy-before-create, Terraform's default */
  readonly order?: ReplaceOrder;
  /** For a replacement: what forces it, the arguments or `replace_triggered_by <address>`. @default - not known */
  readonly cause?: string[];
  /** Read from synthesized JSON: the resource's own preconditions may refuse the change when Terraform plans. @default false */
  readonly refusable?: boolean;
}

/** One error Terraform printed. */
export interface TerraformError {
  readonly summary: string;
  /** The message, its wrapped lines joined, without the source snippet. */
  readonly detail: string;
}

/** Where a stack's changes come from, as its heading names it. */
export type DiffSource = 'plan' | 'synth';
const SOURCE_NAMES: Record<DiffSource, string> = { plan: 'terraform plan', synth: 'synthesized JSON against the base branch' };

function readStacks(outdir: string | undefined): Record<string, StackJson> {
  if (!outdir || !fs.existsSync(path.join(outdir, 'stacks'))) {
    return {};
  }
  return Object.fromEntries(
    fs
      .readdirSync(path.join(outdir, 'stacks'))
      .sort()
      .map((name) => [name, JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'))]),
  );
}

/** Resources of a synthesized stack by address, without cdktf's metadata. */
function resourcesOf(stack: StackJson | undefined): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [type, byName] of Object.entries(stack?.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      const { '//': _metadata, ...rest } = body;
      out[`${type}.${name}`] = rest;
    }
  }
  return out;
}

/** Dotted paths of the leaves that differ between two values. */
function changedPaths(a: unknown, b: unknown, prefix = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) {
    return [];
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a as Json), ...Object.keys(b as Json)])].sort();
    return keys.flatMap((k) => changedPaths((a as Json)[k], (b as Json)[k], prefix ? `${prefix}.${k}` : k));
  }
  return [prefix || '(value)'];
}

/** The resource type of an address (`type.name`, or in a module `module.m.type.name`). */
const typeOf = (address: string) => address.replace(/^(module\.[^.]+\.)+/, '').split('.')[0];
/** The argument a dotted path starts in. */
const argumentOf = (dotted: string) => dotted.split('.')[0];

/**
 * What may be resource addresses in the strings of a value that hold a `${…}` expression: every
 * `word.word` in them (expressions nest, so their ends are not looked for), to be matched against
 * the addresses of real resources.
 */
function referencesIn(value: unknown): string[] {
  if (typeof value === 'string') return value.includes('${') ? (value.match(/[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*/g) ?? []) : [];
  if (value && typeof value === 'object') return Object.values(value).flatMap(referencesIn);
  return [];
}

/** The dotted paths in `value` of the strings that refer to one of `addresses` (`triggers_replace.node_group`). */
function pathsReferring(value: unknown, addresses: ReadonlyMap<string, unknown>, prefix: string): string[] {
  if (typeof value === 'string') return referencesIn(value).some((r) => addresses.has(r)) ? [prefix] : [];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => pathsReferring(v, addresses, `${prefix}.${k}`));
  return [];
}

/** A resource's lifecycle as synthesized. */
const lifecycleOf = (body: Json) =>
  (body.lifecycle ?? {}) as { ignore_changes?: string[] | string; replace_triggered_by?: string[]; create_before_destroy?: boolean; precondition?: unknown[] };

/**
 * The resource changes from `base` to `head` synthesized JSON. A resource is replaced, as Terraform
 * would, when an argument of {@link FORCE_NEW} changes, directly or because it refers to a replaced
 * resource (a node group of a replaced cluster), or when its `replace_triggered_by` names a resource
 * that changes (a `terraform_data` whose `triggers_replace` changed). Arguments in `ignore_changes`
 * are no change (a guard's `input`); meta-arguments replace nothing. Preconditions are not evaluated:
 * a changed resource that has some is marked `refusable`.
 */
export function diffStacks(base: StackJson | undefined, head: StackJson | undefined): ResourceChange[] {
  const before = resourcesOf(base);
  const after = resourcesOf(head);
  const addresses = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const kept = addresses.filter((a) => a in before && a in after);
  const paths = Object.fromEntries(kept.map((a) => [a, changedPaths(before[a], after[a])]));
  const replaced = new Map<string, string[]>();

  /** The arguments Terraform would change: those that differ, and those referring to a replaced resource. */
  const changedArguments = (address: string): string[] => {
    const ignoreChanges = lifecycleOf(after[address]).ignore_changes ?? [];
    if (ignoreChanges === 'all') return [];
    const ignored = Array.isArray(ignoreChanges) ? ignoreChanges : [];
    const viaReference = Object.entries(after[address])
      .filter(([, value]) => referencesIn(value).some((r) => replaced.has(r)))
      .map(([argument]) => argument);
    return [...new Set([...paths[address].map(argumentOf), ...viaReference])].filter((a) => !META_ARGUMENTS.includes(a) && !ignored.includes(a));
  };
  const causeOf = (address: string): string[] => {
    const forced = changedArguments(address).filter((a) => FORCE_NEW[typeOf(address)]?.includes(a));
    const triggers = (lifecycleOf(after[address]).replace_triggered_by ?? []).filter((ref) => {
      const target = ref.split('.').slice(0, 2).join('.').replace(/\[.*$/, '');
      return target in before && target in after && (replaced.has(target) || changedArguments(target).length > 0);
    });
    return [...forced, ...triggers.map((ref) => `replace_triggered_by ${ref}`)];
  };
  // A replacement can cause another (trigger → template → cluster → node group): until none adds any.
  for (let grew = true; grew;) {
    grew = false;
    for (const address of kept.filter((a) => !replaced.has(a))) {
      const cause = causeOf(address);
      if (cause.length) {
        replaced.set(address, cause);
        grew = true;
      }
    }
  }

  return addresses.flatMap((address): ResourceChange[] => {
    if (!(address in before)) return [{ address, action: 'create', attributes: [] }];
    if (!(address in after)) return [{ address, action: 'delete', attributes: [] }];
    // What refers to a replaced resource, as deep as it is written (which key of a map), and not changed already.
    const viaReference = changedArguments(address)
      .filter((a) => !META_ARGUMENTS.includes(a))
      .flatMap((a) => pathsReferring(after[address][a], replaced, a))
      .filter((p) => !paths[address].includes(p));
    const attributes = [...paths[address], ...viaReference];
    const cause = replaced.get(address);
    const lifecycle = lifecycleOf(after[address]);
    const refusable = lifecycle.precondition?.length ? { refusable: true } : {};
    if (cause) {
      const order = lifecycle.create_before_destroy ? 'create-before-destroy' : 'destroy-before-create';
      return [{ address, action: 'replace', attributes, order, cause, ...refusable }];
    }
    return attributes.length ? [{ address, action: 'update', attributes, ...refusable }] : [];
  });
}

/** What `action_reason` says forced a replacement, when no argument did. */
const REPLACE_REASONS: Record<string, string> = {
  replace_by_triggers: 'replace_triggered_by',
  replace_because_tainted: 'tainted',
  replace_by_request: '-replace',
};

/** The resource changes of `terraform show -json` of a plan. */
export function changesOfPlan(plan: PlanJson): ResourceChange[] {
  return (plan.resource_changes ?? []).flatMap((rc): ResourceChange[] => {
    const actions = rc.change.actions;
    if (actions.includes('no-op') || actions.includes('read')) return [];
    if (actions.length === 2) {
      const cause = [...(rc.change.replace_paths ?? []).map((p) => p.join('.')), ...[REPLACE_REASONS[rc.action_reason ?? '']].filter(Boolean)];
      const order = actions[0] === 'create' ? 'create-before-destroy' : 'destroy-before-create';
      return [{ address: rc.address, action: 'replace', attributes: changedPaths(rc.change.before, rc.change.after), order, cause }];
    }
    if (actions[0] === 'update') return [{ address: rc.address, action: 'update', attributes: changedPaths(rc.change.before, rc.change.after) }];
    return [{ address: rc.address, action: actions[0] === 'create' ? 'create' : 'delete', attributes: [] }];
  });
}

/** The resource changes Terraform plans for a synthesized stack directory; throws what execFileSync throws when it cannot. */
export function planStack(dir: string): ResourceChange[] {
  const tf = (args: string[]) => execFileSync(terraformBinary, args, { cwd: dir, encoding: 'utf8', stdio: 'pipe', maxBuffer: 64 << 20 });
  tf(['init', '-input=false', '-no-color']);
  tf(['plan', '-input=false', '-lock=false', '-no-color', '-out=pr.tfplan']);
  const plan: PlanJson = JSON.parse(tf(['show', '-json', 'pr.tfplan']));
  fs.rmSync(path.join(dir, 'pr.tfplan'));
  return changesOfPlan(plan);
}

/**
 * The errors in Terraform's human-readable output (stderr of init or plan): colours and the
 * `╷ │ ╵` frame taken out, the source snippet (`on <file> line <n>` and the values under it)
 * left out, and the lines Terraform wrapped at 78 columns joined again. Warnings are skipped.
 */
export function terraformErrors(stderr: string): TerraformError[] {
  const lines = stripVTControlCharacters(stderr)
    .split('\n')
    .map((l) => l.replace(/^[╷│╵] ?/, '').trimEnd());
  const found: { summary: string[]; paragraphs: string[][] }[] = [];
  let current: { summary: string[]; paragraphs: string[][] } | undefined;
  for (const line of lines) {
    const heading = /^(Error|Warning): (.*)$/.exec(line);
    if (heading) {
      current = heading[1] === 'Error' ? { summary: [heading[2]], paragraphs: [] } : undefined;
      if (current) found.push(current);
    } else if (current && line.trim() === '') {
      current.paragraphs.push([]);
    } else if (current && current.paragraphs.length === 0) {
      current.summary.push(line.trim()); // the summary, wrapped
    } else if (current) {
      current.paragraphs[current.paragraphs.length - 1].push(line.trim());
    }
  }
  const joined = (words: string[]) => words.join(' ').trim();
  const errors = found.map((e) => ({
    summary: joined(e.summary),
    detail: e.paragraphs
      .filter((p) => p.length > 0 && !/^on .* line \d+/.test(p[0]))
      .map(joined)
      .join('\n'),
  }));
  const rest = stripVTControlCharacters(stderr).trim();
  return errors.length || !rest ? errors : [{ summary: 'Terraform failed', detail: rest }];
}

/** How a diff line marks each action, as Terraform's plan does. */
export const ACTION_SYMBOLS: Record<ResourceChange['action'], string> = { create: '+', delete: '-', update: '~', replace: '-/+' };

/** How each half of a replacement goes, by resource type and order. */
const REPLACEMENT: Record<string, { title: string; what: string; order: Record<ReplaceOrder, string> }> = {
  [CLUSTER]: {
    title: '⚠ Cluster REPLACED',
    what: 'the running cluster and every workload on it are deleted',
    order: {
      'destroy-before-create': 'the old cluster is deleted first, then the new one created',
      'create-before-destroy': 'the new cluster is created first, beside the old one (quota and floating IPs for both at once)',
    },
  },
  [NODE_GROUP]: {
    title: '⚠ Node group REPLACED',
    what: "the group's nodes and what runs on them are deleted",
    order: {
      'destroy-before-create':
        'they are deleted before the new ones are created (Magnum node group names are unique per cluster, so the new group cannot exist beside the old)',
      'create-before-destroy': 'the new group is created first, which Magnum refuses while both carry one name in one cluster',
    },
  },
};

/** The line that calls a change out above the diff, for the changes a reviewer must not miss. */
function callOut(change: ResourceChange): string | undefined {
  const type = typeOf(change.address);
  const unless = (what: string) => (change.refusable ? `, unless its precondition refuses ${what} at plan` : '');
  const changed = (names: readonly string[]) => [...new Set(change.attributes.map(argumentOf))].filter((a) => names.includes(a));
  const replacement = REPLACEMENT[type];
  if (change.action === 'replace' && replacement) {
    const why = (change.cause?.length ? change.cause : change.attributes).join(', ');
    const order = replacement.order[change.order ?? 'destroy-before-create'];
    return `> **${replacement.title}** \`${change.address}\`: ${replacement.what}${why ? ` (${why})` : ''}; ${order}${unless('this')}.`;
  }
  // A node group's count is its resizer's (NodeGroup.resizer): a new count replaces that terraform_data, and
  // only that is a resize (a new group id is the group's replacement, called out for the group).
  const { nodeGroup, nodeCount } = RESIZER_TRIGGERS;
  const triggers = change.attributes.map((a) => a.split('.'));
  if (
    change.action === 'replace' &&
    type === 'terraform_data' &&
    triggers.some(([a, key]) => a === 'triggers_replace' && key === nodeCount) &&
    !triggers.some(([a, key]) => a === 'triggers_replace' && (key === undefined || key === nodeGroup))
  ) {
    return `Node group resized in place: \`${change.address}\` (${nodeCount}, by its resizer).`;
  }
  if (change.action !== 'update' || !(type === CLUSTER || type === NODE_GROUP)) return undefined;
  if (type === CLUSTER && changed([UPGRADE_ARGUMENT]).length) {
    return `> **Cluster UPGRADED** \`${change.address}\`: a new cluster template, through Magnum's upgrade API (rolling update of the nodes)${unless('it')}.`;
  }
  // A node group's count is its resizer's (called out above); the synthesized JSON still shows the group's, ignored.
  const resized = changed(type === NODE_GROUP ? RESIZE_ARGUMENTS.filter((a) => a !== COUNT_ARGUMENT) : RESIZE_ARGUMENTS);
  return resized.length ? `${type === CLUSTER ? 'Cluster' : 'Node group'} resized in place: \`${change.address}\` (${resized.join(', ')}).` : undefined;
}

/** Markdown for one stack's changes: the counts, the call-outs, the diff. */
export function renderStack(name: string, changes: ResourceChange[], source: DiffSource): string {
  const count = (a: ResourceChange['action']) => changes.filter((c) => c.action === a).length;
  const clusters = changes.filter((c) => c.action === 'replace' && typeOf(c.address) === CLUSTER).length;
  const summary =
    `${count('create')} to add, ${count('update')} to change, ${count('delete')} to destroy, ${count('replace')} to replace` +
    (clusters ? `, **⚠ ${clusters} cluster${clusters > 1 ? 's' : ''} replaced**` : '');
  const callOuts = changes.flatMap((c) => callOut(c) ?? []);
  const lines = changes.map((c) => `${ACTION_SYMBOLS[c.action]} ${c.address}${c.attributes.length ? `  (${c.attributes.join(', ')})` : ''}`);
  return [
    `### \`${name}\` — ${changes.length ? summary : 'no changes'} (${SOURCE_NAMES[source]})`,
    ...callOuts,
    ...(lines.length ? [fenced('diff', lines)] : []),
  ].join('\n\n');
}

/** Markdown for a stack Terraform did not plan: refused by a precondition, or failed. */
export function renderFailure(name: string, errors: TerraformError[]): string {
  const refused = errors.some((e) => /precondition failed$/.test(e.summary));
  const [verdict, explanation] = refused
    ? ['⛔ REFUSED at plan', 'a precondition refuses what this pull request changes, and nothing of the stack is planned; the fix is in the message']
    : ['⛔ plan FAILED', 'Terraform could not plan this stack'];
  const text = errors.flatMap((e) => [`Error: ${e.summary}`, ...(e.detail ? [e.detail] : []), '']).slice(0, -1);
  return [`### \`${name}\` — ${verdict} (${SOURCE_NAMES.plan})`, `> **${verdict}**: ${explanation}.`, fenced('text', text)].join('\n\n');
}

/** A fenced code block, its fence longer than any run of backticks inside. */
function fenced(language: string, lines: string[]): string {
  const longest = Math.max(2, ...lines.flatMap((l) => (l.match(/`+/g) ?? []).map((run) => run.length)));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${language}`, ...lines, fence].join('\n');
}

/** The Markdown comment for the command line, and whether every stack was planned (always, without --plan). */
export function prDiff(argv: string[]): { markdown: string; planned: boolean } {
  const arg = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const headDir = arg('--head') ?? 'cdktf.out';
  const plan = argv.includes('--plan');
  const head = readStacks(headDir);
  const base = readStacks(arg('--base'));
  const names = [...new Set([...Object.keys(base), ...Object.keys(head)])].sort();
  let planned = true;
  const sections = names.map((name) => {
    if (!plan || !head[name]) return renderStack(name, diffStacks(base[name], head[name]), 'synth');
    const dir = path.join(headDir, 'stacks', name);
    try {
      return renderStack(name, planStack(dir), 'plan');
    } catch (error) {
      // Terraform's own output for the job's log; the comment gets its errors.
      const stderr = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
      console.error(`pr-diff: terraform could not plan stack ${name} (${dir}):\n${stderr}`);
      planned = false;
      return renderFailure(name, terraformErrors(stderr));
    }
  });
  return { markdown: [COMMENT_MARKER, '## magnum-cdktf: what this change does', ...sections].join('\n\n'), planned };
}

if (require.main === module) {
  const { markdown, planned } = prDiff(process.argv.slice(2));
  console.log(markdown);
  // Not process.exit(): stdout, a pipe in the workflow, is written before node exits.
  process.exitCode = planned ? 0 : 1;
}
