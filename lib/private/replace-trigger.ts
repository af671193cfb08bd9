import { Construct } from 'constructs';
import { anyToHclTerraform, anyToTerraform, hashMapper, hashMapperHcl, TerraformResource } from 'cdktf';

/**
 * Terraform's built-in `terraform_data`, carrying only `triggers_replace`.
 * cdktf's own DataResource adds a validation to every instance that runs
 * `terraform version` at synth: 0.1 s each, 0.2 s per platform. The toolchain
 * already guarantees Terraform >= 1.4 (or OpenTofu), which this resource needs.
 */
class TriggersResource extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly triggers: { [key: string]: unknown },
  ) {
    super(scope, id, { terraformResourceType: 'terraform_data', terraformGeneratorMetadata: { providerName: 'terraform' } });
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return { triggers_replace: hashMapper(anyToTerraform)(this.triggers) };
  }

  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    return { triggers_replace: hashMapperHcl(anyToHclTerraform)(this.triggers) };
  }
}

/**
 * A `terraform_data` whose replacement replaces whatever lists it in
 * `replaceTriggeredBy`: for settings the provider would otherwise update in
 * place (or silently ignore).
 */
export class ReplaceTrigger extends Construct {
  private readonly data: TriggersResource;

  constructor(scope: Construct, id: string, values: { [key: string]: unknown }) {
    super(scope, id);
    this.data = new TriggersResource(this, 'Resource', values);
  }

  /**
   * The bare address for `lifecycle.replaceTriggeredBy`. cdktf 0.21 writes a
   * construct there as `"${…}"`, which Terraform's JSON syntax rejects.
   */
  public get address(): string {
    return `terraform_data.${this.data.friendlyUniqueId}`;
  }

  /**
   * Makes `resource` be replaced whenever this trigger is. Terraform's two syntaxes
   * want the reference differently and cdktf 0.21 writes it the same way to both:
   * JSON wants the bare address (which {@link address} gives), while `cdktf synth
   * --hcl` would quote it into a string that is no reference at all ("Missing
   * resource reference in replace_triggered_by expression"; `"${…}"` passes validate
   * but not plan). The HCL rendering of `resource` therefore gets the list as one
   * string starting with `[`, which cdktf's renderer writes unquoted.
   */
  public replaces(resource: TerraformResource): void {
    resource.lifecycle = { ...resource.lifecycle, replaceTriggeredBy: [...(resource.lifecycle?.replaceTriggeredBy ?? []), this.address] };
    const render = resource.toHclTerraform.bind(resource);
    resource.toHclTerraform = () => {
      const hcl = render();
      for (const byName of Object.values<Record<string, { lifecycle?: { replace_triggered_by?: unknown } }>>(hcl.resource ?? {})) {
        for (const body of Object.values(byName)) {
          const triggers = body.lifecycle?.replace_triggered_by as unknown[] | undefined;
          // The renderer writes a string that starts with "[" as it is: the list, unquoted.
          if (body.lifecycle && triggers) body.lifecycle.replace_triggered_by = `[${triggers.join(', ')}]`;
        }
      }
      return hcl;
    };
  }
}
