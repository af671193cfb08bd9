import { Construct } from 'constructs';
import { anyToHclTerraform, anyToTerraform, hashMapper, hashMapperHcl, TerraformMetaArguments, TerraformResource, TerraformResourceConfig } from 'cdktf';

/**
 * The config of Terraform's built-in `terraform_data` as a plain TerraformResource, with the
 * meta-arguments given: written directly rather than through cdktf's DataResource (see below).
 */
export function terraformDataConfig(meta: TerraformMetaArguments = {}): TerraformResourceConfig {
  return { ...meta, terraformResourceType: 'terraform_data', terraformGeneratorMetadata: { providerName: 'terraform' } };
}

/**
 * Terraform's built-in `terraform_data`, carrying only `triggers_replace` (and the
 * meta-arguments given: `for_each`, provisioners). cdktf's own DataResource adds a
 * validation to every instance that runs `terraform version` at synth: 0.1 s each,
 * 0.2 s per platform. The toolchain already guarantees Terraform >= 1.4 (or OpenTofu),
 * which this resource needs.
 */
export class TriggersResource extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly triggers: { [key: string]: unknown },
    meta: TerraformMetaArguments = {},
  ) {
    super(scope, id, terraformDataConfig(meta));
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return { triggers_replace: hashMapper(anyToTerraform)(this.triggers) };
  }

  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    return { triggers_replace: hashMapperHcl(anyToHclTerraform)(this.triggers) };
  }
}
