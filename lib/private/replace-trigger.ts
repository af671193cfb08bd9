import { Construct } from 'constructs';
import { anyToHclTerraform, anyToTerraform, hashMapper, hashMapperHcl, TerraformResource } from 'cdktf';

/**
 * Terraform's built-in `terraform_data`, carrying only `triggers_replace`.
 * cdktf's own DataResource adds a validation to every instance that runs
 * `terraform version` at synth: 0.1 s each, 0.2 s per platform. The toolchain
 * already guarantees Terraform >= 1.4 (or OpenTofu), which this resource needs.
 */
class TriggersResource extends TerraformResource {
  constructor(scope: Construct, id: string, private readonly triggers: { [key: string]: unknown }) {
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
}
