import { Construct } from 'constructs';
import { DataResource } from 'cdktf';

/**
 * A `terraform_data` whose replacement replaces whatever lists it in
 * `replaceTriggeredBy`: for settings the provider would otherwise update in
 * place (or silently ignore).
 */
export class ReplaceTrigger extends Construct {
  private readonly data: DataResource;

  constructor(scope: Construct, id: string, values: { [key: string]: unknown }) {
    super(scope, id);
    this.data = new DataResource(this, 'Resource', { triggersReplace: values });
  }

  /**
   * The bare address for `lifecycle.replaceTriggeredBy`. cdktf 0.21 writes a
   * construct there as `"${…}"`, which Terraform's JSON syntax rejects.
   */
  public get address(): string {
    return `${DataResource.tfResourceType}.${this.data.friendlyUniqueId}`;
  }
}
