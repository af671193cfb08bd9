/**
 * What a pull request changes, per stack, as Markdown for one PR comment.
 *
 *   node dist/scripts/pr-diff.js --head cdktf.out [--base base/cdktf.out] [--plan]
 *
 * With --plan (cloud credentials present), each head stack is planned against its
 * state, as `cdktf diff` does. Without, the synthesized JSON of head and base are
 * compared resource by resource, so reviewers always see what changes.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { terraformBinary } from './lib/terraform';

/** The marker the workflow finds its own comment by. */
export const COMMENT_MARKER = '<!-- magnum-cdktf-diff -->';

/** One resource's body in synthesized Terraform JSON. */
type Json = Record<string, unknown>;
/** A synthesized stack: resources by type, then name. */
interface StackJson {
  readonly resource?: Record<string, Record<string, Json>>;
}
/** What this reads of one resource change in `terraform show -json` of a plan. */
interface PlannedChange {
  readonly address: string;
  readonly change: { readonly actions: string[]; readonly before: unknown; readonly after: unknown };
}

/** One resource's change between two synthesized stacks. */
export interface ResourceChange {
  readonly address: string;
  readonly action: 'create' | 'delete' | 'update' | 'replace';
  readonly attributes: string[];
}

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

/** The resource changes from `base` to `head` synthesized JSON. */
export function diffStacks(base: StackJson | undefined, head: StackJson | undefined): ResourceChange[] {
  const before = resourcesOf(base);
  const after = resourcesOf(head);
  const addresses = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return addresses.flatMap((address): ResourceChange[] => {
    if (!(address in before)) return [{ address, action: 'create', attributes: [] }];
    if (!(address in after)) return [{ address, action: 'delete', attributes: [] }];
    const attributes = changedPaths(before[address], after[address]);
    return attributes.length ? [{ address, action: 'update', attributes }] : [];
  });
}

/** The resource changes Terraform plans for a synthesized stack directory. */
export function planStack(dir: string): ResourceChange[] {
  const tf = (args: string[]) => execFileSync(terraformBinary, args, { cwd: dir, encoding: 'utf8', stdio: 'pipe', maxBuffer: 64 << 20 });
  tf(['init', '-input=false', '-no-color']);
  tf(['plan', '-input=false', '-lock=false', '-no-color', '-out=pr.tfplan']);
  const plan: { resource_changes?: PlannedChange[] } = JSON.parse(tf(['show', '-json', 'pr.tfplan']));
  fs.rmSync(path.join(dir, 'pr.tfplan'));
  return (plan.resource_changes ?? []).flatMap((rc): ResourceChange[] => {
    const actions = rc.change.actions;
    if (actions.includes('no-op') || actions.includes('read')) return [];
    const action = actions.length === 2 ? 'replace' : actions[0] === 'create' ? 'create' : actions[0] === 'delete' ? 'delete' : 'update';
    return [{ address: rc.address, action, attributes: action === 'update' || action === 'replace' ? changedPaths(rc.change.before, rc.change.after) : [] }];
  });
}

const SYMBOL: Record<ResourceChange['action'], string> = { create: '+', delete: '-', update: '~', replace: '-/+' };

/** Markdown for one stack's changes. */
export function renderStack(name: string, changes: ResourceChange[], mode: string): string {
  const count = (a: ResourceChange['action']) => changes.filter((c) => c.action === a).length;
  const summary = `${count('create')} to add, ${count('update')} to change, ${count('delete')} to destroy, ${count('replace')} to replace`;
  const lines = changes.map((c) => `${SYMBOL[c.action]} ${c.address}${c.attributes.length ? `  (${c.attributes.join(', ')})` : ''}`);
  return [`### \`${name}\` — ${changes.length ? summary : 'no changes'} (${mode})`, ...(lines.length ? ['```diff', ...lines, '```'] : [])].join('\n');
}

function main(argv: string[]): void {
  const arg = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const headDir = arg('--head') ?? 'cdktf.out';
  const plan = argv.includes('--plan');
  const head = readStacks(headDir);
  const base = readStacks(arg('--base'));
  const names = [...new Set([...Object.keys(base), ...Object.keys(head)])].sort();
  const sections = names.map((name) =>
    plan && head[name]
      ? renderStack(name, planOrExit(name, path.join(headDir, 'stacks', name)), 'terraform plan')
      : renderStack(name, diffStacks(base[name], head[name]), 'synthesized JSON against the base branch'),
  );
  console.log([COMMENT_MARKER, '## magnum-cdktf: what this change does', ...sections].join('\n\n'));
}

/** A stack's plan; on failure, Terraform's own error and exit 1 (no stack trace of ours). */
function planOrExit(name: string, dir: string): ResourceChange[] {
  try {
    return planStack(dir);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    console.error(`pr-diff: terraform could not plan stack ${name} (${dir}):\n${stderr || (error as Error).message}`);
    process.exit(1);
  }
}

if (require.main === module) {
  main(process.argv.slice(2));
}
