import { DefaultTokenResolver, StringConcat, TerraformStack, Token, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * The one message format of errors and warnings:
 * `<construct path>: <field> = <value>: <problem>. Fix: <fix>.`
 */
export function formatFinding(scope: IConstruct, field: string, value: unknown, problem: string, fix: string): string {
  return `${pathOf(scope)}: ${field} = ${show(scope, value)}: ${problem}. Fix: ${fix}.`;
}

export function pathOf(scope: IConstruct): string {
  return scope.node.path || '<root>';
}

/** The value as the operator reads it; a value unknown until apply as the Terraform reference it stands for. */
function show(scope: IConstruct, value: unknown): string {
  if (value === undefined) {
    return '(not set)';
  }
  const unknown = Token.isUnresolved(value) || containsToken(value);
  const shown = unknown ? readable(scope, value) : value;
  // A reference alone reads better without JSON's quotes around it.
  const text = unknown && typeof shown === 'string' && /^<known at apply[^>]*>$/.test(shown) ? shown : JSON.stringify(shown);
  const chars = [...text]; // code points: an emoji is never cut in half
  return chars.length > 120 ? `${chars.slice(0, 117).join('')}...` : text;
}

function containsToken(value: unknown): boolean {
  return Array.isArray(value)
    ? value.some(containsToken)
    : value !== null && typeof value === 'object'
      ? Object.values(value).some(containsToken)
      : Token.isUnresolved(value);
}

/** `${TfToken[TOKEN.12]}` → `<known at apply: openstack_networking_network_v2.x.id>`. */
function readable(scope: IConstruct, value: unknown): unknown {
  let resolved: unknown;
  try {
    resolved = Tokenization.resolve(value, { scope: TerraformStack.of(scope), preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) });
  } catch {
    return '<known at apply>';
  }
  const rewrite = (v: unknown): unknown =>
    typeof v === 'string'
      ? v.replace(/\$\{(.+?)\}/g, (_m, ref: string) => `<known at apply: ${ref}>`).replace(/\$\{TfToken\[[^\]]*\]\}/g, '<known at apply>')
      : Array.isArray(v)
        ? v.map(rewrite)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rewrite(x)]))
          : typeof v === 'number' && Token.isUnresolved(v)
            ? '<known at apply>'
            : v;
  return rewrite(resolved);
}
