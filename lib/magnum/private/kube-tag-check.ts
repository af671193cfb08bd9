import { TerraformResource, Token } from 'cdktf';
import { Construct } from 'constructs';
import { addPreconditions } from '../../private/hcl-lifecycle';
import { terraformDataConfig } from '../../private/triggers-resource';
import { escapeTemplate } from '../../private/template-escape';

/** Props of {@link KubeTagCheck}. */
export interface KubeTagCheckProps {
  /** The Magnum cluster resource, whose `labels` in the state say which `kube_tag` runs. */
  readonly cluster: TerraformResource;
  /** The template's `kube_tag`. */
  readonly kubeTag: string;
}

/**
 * Refuses, when Terraform plans, a `kubeTag` older than the one the cluster runs. A new tag reaches
 * a running cluster through Magnum's upgrade API, which for tags it can parse (`v1.25.3`) raises
 * InvalidVersion and leaves the cluster UPDATE_FAILED (drivers/heat/driver.py upgrade_cluster,
 * then conductor/handlers/cluster_conductor.py cluster_upgrade, Zed), and for tags it cannot
 * (`v1.24.16-rancher1`) rolls the nodes back to the older Kubernetes. The running tag is the
 * cluster's `kube_tag` label, which Magnum sets at create and at every upgrade and the provider
 * keeps in the state: a `terraform_data` after the cluster compares it with the template's.
 * Compared are the first three numbers; a tag without them is not checked.
 */
export class KubeTagCheck extends Construct {
  /** The `terraform_data` carrying the precondition. */
  public readonly resource: TerraformResource;

  constructor(scope: Construct, id: string, props: KubeTagCheckProps) {
    super(scope, id);
    this.resource = new TerraformResource(this, 'Resource', terraformDataConfig());
    if (Token.isUnresolved(props.kubeTag)) return;
    const running = `lookup(${props.cluster.terraformResourceType}.${props.cluster.friendlyUniqueId}.labels, "kube_tag", "")`;
    const wanted = JSON.stringify(props.kubeTag);
    // major * 10^6 + minor * 10^3 + patch, or an error (caught) when the tag does not start with three numbers.
    const rank = (tag: string) => `sum([for i, n in regex("^v?([0-9]+)\\\\.([0-9]+)\\\\.([0-9]+)", ${tag}) : tonumber(n) * pow(1000, 2 - i)])`;
    addPreconditions(this.resource, [
      {
        condition: `\${try(${rank(wanted)} >= ${rank(running)}, true)}`,
        errorMessage:
          `${escapeTemplate(scope.node.path)}: template.kubeTag = ${escapeTemplate(props.kubeTag)} (running: \${${running}}): is older than the Kubernetes the cluster runs: ` +
          "Magnum's upgrade API would fail the cluster (InvalidVersion, UPDATE_FAILED) or, for a tag it cannot parse, roll its nodes back. " +
          'Fix: keep kubeTag at or above the running version.',
      },
    ]);
  }
}
