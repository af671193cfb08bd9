import { Construct } from 'constructs';
import { TerraformResource } from 'cdktf';
import { renderLifecycleForHcl } from './hcl-lifecycle';
import { TriggersResource } from './triggers-resource';

/**
 * A `terraform_data` whose replacement replaces whatever lists it in
 * `replaceTriggeredBy`: for settings the provider would otherwise update in
 * place (or silently ignore).
 */
export class ReplaceTrigger extends Construct {
  /** The `terraform_data` whose replacement is the trigger. */
  public readonly resource: TriggersResource;

  /** @param values what replaces the trigger when any of it changes */
  constructor(
    scope: Construct,
    id: string,
    public readonly values: { [key: string]: unknown },
  ) {
    super(scope, id);
    this.resource = new TriggersResource(this, 'Resource', values);
  }

  /**
   * The bare address for `lifecycle.replaceTriggeredBy`. cdktf 0.21 writes a
   * construct there as `"${…}"`, which Terraform's JSON syntax rejects.
   */
  public get address(): string {
    return `terraform_data.${this.resource.friendlyUniqueId}`;
  }

  /**
   * Makes `resource` be replaced whenever this trigger is. JSON wants the bare address
   * ({@link address}); `cdktf synth --hcl` gets it unquoted through {@link renderLifecycleForHcl}.
   */
  public replaces(resource: TerraformResource): void {
    resource.lifecycle = { ...resource.lifecycle, replaceTriggeredBy: [...(resource.lifecycle?.replaceTriggeredBy ?? []), this.address] };
    renderLifecycleForHcl(resource);
  }
}
