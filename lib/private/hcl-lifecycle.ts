import { Precondition, TerraformResource } from 'cdktf';

/** The lifecycle of one resource body, as `toHclTerraform()` gives it to cdktf's renderer. */
interface HclLifecycle {
  replace_triggered_by?: unknown;
  precondition?: unknown;
  [key: string]: unknown;
}

const patched = new WeakSet<TerraformResource>();

/**
 * Makes `cdktf synth --hcl` (0.21) write `resource`'s lifecycle as Terraform reads it. The
 * renderer writes every lifecycle entry as an argument (`name = <JSON-ish value>`), which
 * is wrong twice: `replace_triggered_by` must hold bare references (a quoted one is "Missing
 * resource reference in replace_triggered_by expression" at plan), and `precondition` is a
 * block ("An argument named precondition is not expected here"). The lifecycle is handed to
 * the renderer as a typed block instead, whose entries it renders one by one: the triggers as
 * one string starting with `[` (written as it is, the list unquoted) and the preconditions as
 * a list of blocks. JSON synthesis is left as it is. Idempotent.
 */
export function renderLifecycleForHcl(resource: TerraformResource): void {
  if (patched.has(resource)) return;
  patched.add(resource);
  const render = resource.toHclTerraform.bind(resource);
  resource.toHclTerraform = () => {
    const hcl = render();
    for (const byName of Object.values<Record<string, { lifecycle?: unknown }>>(hcl.resource ?? {})) {
      for (const body of Object.values(byName)) {
        const lifecycle = body.lifecycle as HclLifecycle | undefined;
        if (!lifecycle) continue;
        const { replace_triggered_by: triggers, precondition, ...rest } = lifecycle;
        body.lifecycle = {
          isBlock: true,
          value: {
            ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, hclArgument(v)])),
            ...(Array.isArray(triggers) ? { replace_triggered_by: `[${triggers.join(', ')}]` } : {}),
            ...(Array.isArray(precondition) ? { precondition: { isBlock: true, type: 'list', value: precondition } } : {}),
          },
        };
      }
    }
    return hcl;
  };
}

/** A lifecycle argument the typed renderer writes as the untyped one did: lists of attribute names unquoted. */
function hclArgument(value: unknown): unknown {
  // ignore_changes holds attribute names, which Terraform wants bare: `[create_timeout]`.
  return Array.isArray(value) ? `[${value.join(', ')}]` : value;
}

/** Adds preconditions to `resource`'s lifecycle, after any it has, written so that both syntaxes read them. */
export function addPreconditions(resource: TerraformResource, preconditions: Precondition[]): void {
  resource.lifecycle = { ...resource.lifecycle, precondition: [...(resource.lifecycle?.precondition ?? []), ...preconditions] };
  renderLifecycleForHcl(resource);
}
