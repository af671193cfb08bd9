import { TerraformLocal, TerraformResource, Token } from 'cdktf';
import { Construct } from 'constructs';
import { member } from '../../private/enums';
import { addPreconditions } from '../../private/hcl-lifecycle';
import { escapeTemplate } from '../../private/template-escape';
import { terraformDataConfig } from '../../private/triggers-resource';
import { ClusterReplacement } from '../cluster-replacement';
import { UPGRADE_LABELS } from '../cluster-template';

/** The key of the guard's `input` holding when it was made. */
const CLAIMED_AT = 'claimed_at';

/** Props of {@link RebuildGuard}. */
export interface RebuildGuardProps {
  /** The Magnum cluster resource the preconditions go on. */
  readonly cluster: TerraformResource;

  /** What only a new cluster takes, by prop path (`template.flavor`, `masterCount`): a change is refused. */
  readonly rebuild: { readonly [prop: string]: string };
  /** What makes a new template the cluster takes through Magnum's upgrade API, by prop path. */
  readonly retemplate: { readonly [prop: string]: string };
  /** Every prop path that belongs to `retemplate`, set or not (a prop unset since is a change too). */
  readonly retemplateProps: readonly string[];
  /** Whether the template has an upgrade label, so that the upgrade API accepts it; when not, a retemplate change is refused too. */
  readonly upgradable: boolean;
  /** Whether the cluster refuses a change (ClusterReplacement.REFUSE); else the guard only keeps the settings. */
  readonly refuse: boolean;
}

/**
 * The plan-time refusal of {@link ClusterReplacement.REFUSE}: a `terraform_data` that keeps the
 * settings the cluster was created with (its `input` is never updated: `ignore_changes`), and
 * preconditions on the cluster that compare them with the configuration's. Synth cannot refuse
 * a change, as it never sees what is deployed; Terraform's plan can, before anything is applied,
 * and `cdktf diff` and the PR diff show the refusal. A setting that references another resource
 * (a network id) is compared too, but when that resource is itself being replaced its new value
 * is known only at apply: the refusal then comes at apply, before the cluster is touched, but after
 * that resource and the template were replaced, and the guard then refuses every plan until the
 * cluster is replaced by hand (`terraform apply -replace=<the cluster's address>`): the cluster's
 * replace trigger has taken the new value with them, so a `replacement` set afterwards does not fire.
 * (An image, the usual case, is compared by its `identity`, known at synth, and refused at plan.)
 *
 * The guard exists whatever the cluster's `replacement` (a replacement replaces it too, so that it holds
 * what the new cluster is made with); a destroy plans no preconditions. It is created holding the
 * settings of its first plan: a cluster made before it (an older version of this library) is checked
 * from the apply that creates it on. A cluster that failed to create is tainted, but the guard still
 * holds what it was made with: a fix of its settings is then a change, and the way out is the one the
 * message names, a replacement.
 */
export class RebuildGuard extends Construct {
  /** The `terraform_data` holding the settings the running cluster was made with. */
  public readonly resource: TerraformResource;
  /**
   * When this guard was made, just before the cluster (RFC 3339): the claim on its creation. Empty
   * for a guard made by a version of this library that kept none.
   */
  public readonly claimedAt: string;

  constructor(scope: Construct, id: string, props: RebuildGuardProps) {
    super(scope, id);
    const settings = new TerraformLocal(this, 'Settings', { ...props.rebuild, ...props.retemplate });
    this.resource = new TerraformResource(
      this,
      'Resource',
      terraformDataConfig({
        // Replaced create-before-destroy, as a cluster may be: destroyed before it, the guard would close a cycle
        // with a deposed cluster that referenced it (Terraform orders a destroy after its dependents' destroys).
        lifecycle: { ignoreChanges: ['input'], createBeforeDestroy: true },
      }),
    );
    // With when it was made: the claim on the cluster's creation, no orphan of which is older (see ClusterTeardown's sweep).
    // The settings have no key of that name, so the preconditions below never compare it.
    this.resource.addOverride('input', `\${merge(local.${settings.friendlyUniqueId}, { ${CLAIMED_AT} = timestamp() })}`);
    this.claimedAt = `\${lookup(terraform_data.${this.resource.friendlyUniqueId}.output, "${CLAIMED_AT}", "")}`;
    if (!props.refuse) return;

    const running = `terraform_data.${this.resource.friendlyUniqueId}.output`;
    const wanted = `local.${settings.friendlyUniqueId}`;
    const list = (keys: readonly string[]) => `[${keys.map((k) => JSON.stringify(k)).join(', ')}]`;
    const retemplateKeys = list(props.retemplateProps);
    // Keys of both sides: every prop has one (unset ones hold ""), so a key on one side only is a
    // prop one version of this library knows and the other does not, and is not compared.
    const either = `setintersection(keys(${running}), keys(${wanted}))`;
    const same = `${running}[k] == ${wanted}[k]`;
    // The messages name only settings known at synth: a reference may be unknown until apply,
    // and an unknown value in an error message makes Terraform drop the message.
    const references = Object.entries({ ...props.rebuild, ...props.retemplate })
      .filter(([, v]) => Token.isUnresolved(v))
      .map(([k]) => k);
    const changes = (id: string, keys: string) =>
      new TerraformLocal(
        this,
        id,
        `\${[for k in setsubtract(${keys}, ${list(references)}) : "\${k} = \${${wanted}[k] == "" ? "(unset)" : ${wanted}[k]} (running: \${${running}[k] == "" ? "(unset)" : ${running}[k]})" if !(${same})]}`,
      );
    const named = (local: TerraformLocal, otherwise: string) => {
      const changed = `local.${local.friendlyUniqueId}`;
      return `\${length(${changed}) > 0 ? join(", ", ${changed}) : "${otherwise}"}`;
    };

    const rebuildKeys = `setsubtract(${either}, ${retemplateKeys})`;
    const preconditions = [
      {
        condition: `\${alltrue([for k in ${rebuildKeys} : ${same}])}`,
        errorMessage:
          `${escapeTemplate(scope.node.path)}: ${named(changes('Rebuilds', rebuildKeys), `one of ${references.join(', ')} = a new object`)}: ` +
          'a running cluster cannot take this change: Magnum applies of a new template only its kube_tag and ostree labels ' +
          '(drivers/heat/driver.py upgrade_cluster), and the provider would replace the cluster, and its workloads with it, for the rest. ' +
          'Fix: for other worker flavors, images or volume sizes add a node group with them (MagnumCluster.addNodeGroup) and scale the default workers down (nodeCount); ' +
          `to replace the cluster, set replacement: ${replaceWith(ClusterReplacement.CREATE_BEFORE_DESTROY)} ` +
          `(or ${replaceWith(ClusterReplacement.DESTROY_BEFORE_CREATE)}); or revert the change.`,
      },
    ];
    if (!props.upgradable) {
      const keys = `setintersection(${either}, ${retemplateKeys})`;
      preconditions.push({
        condition: `\${alltrue([for k in ${keys} : ${same}])}`,
        errorMessage:
          `${escapeTemplate(scope.node.path)}: ${named(changes('Retemplates', keys), 'the template')}: makes a new template, which a running cluster takes only through Magnum's upgrade API, ` +
          `and the template has none of the labels that API needs (${UPGRADE_LABELS.join(', ')}): Magnum would refuse it (InvalidClusterTemplateForUpgrade) and leave the cluster UPDATE_FAILED. ` +
          'Fix: give the template the kubeTag the cluster runs (kubectl version; the Heat fedora-coreos driver of Magnum 15 (Zed) runs v1.23.3-rancher1 when the template has none), or revert the change.',
      });
    }
    addPreconditions(props.cluster, preconditions);
  }
}

const replaceWith = (value: ClusterReplacement) => member('ClusterReplacement', ClusterReplacement, value);
