import { Lazy, TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Resource } from '@cdktf/provider-null/lib/resource';
import { ValidationError } from '../core/validation-error';
import { IMagnumCluster, MagnumCluster } from '../magnum/magnum-cluster';
import { NodeGroup } from '../magnum/node-group';
import { hasControlCharacters } from '../private/names';
import { claimOf } from '../private/cluster-claims';
import { NodeGroupDeleter } from '../private/node-group-deleter';
import { registerTeardown } from '../private/teardown-registry';
import { escapeTemplate } from '../private/template-escape';
import { isUnresolved } from '../private/tokens';
import { TriggersResource } from '../private/triggers-resource';
import { CLAIMED_AT_ENV, CLOUD_ENV, CLUSTER_ENV, DEFAULT_TEARDOWN_COMMAND, flag, TeardownCommand } from '../../runtime/teardown/flags';

/** The CLI's subcommand that deletes the orphans of an interrupted create of the cluster. */
const SWEEP_ORPHANS: TeardownCommand = 'sweep-orphans';

/** Settings of a {@link ClusterTeardown} that do not reference other constructs. */
export interface ClusterTeardownOptions {
  /**
   * The `clouds.yaml` entry the teardown authenticates with, handed to it as
   * `OS_CLOUD` in the provisioner's environment (no shell parses it). Only the
   * name is stored; credentials are read at destroy time, as the openstack CLI reads them.
   * The cluster's node-group deleter uses it too.
   * @default - `OS_CLOUD` / `OS_*` of the environment that runs `cdktf destroy`
   */
  readonly cloudName?: string;
  /**
   * Also delete Cinder volumes proven to belong to the cluster. This destroys
   * the data of the cluster's persistent volumes. When `KUBECONFIG` reaches
   * the teardown (see {@link ClusterTeardown}), the cluster's Cinder CSI
   * PersistentVolumeClaims are deleted through its Kubernetes API first.
   * @default false
   */
  readonly includeVolumes?: boolean;
  /**
   * The command that runs the teardown CLI, before its flags. It is your own
   * shell command: Terraform runs it with `/bin/sh -c` (`cmd /C` on Windows), so
   * quote what needs quoting, as you would in a terminal; it is also a Terraform
   * string, where `${` starts an interpolation (write `$${` for a literal one).
   * Nothing else reaches that shell: the cluster id and the cloud name travel in
   * the environment (`MAGNUM_CDKTF_TEARDOWN_CLUSTER`, `OS_CLOUD`, and the
   * operator's `KUBECONFIG`), so a wrapper that resets it (`sudo` without `-E`,
   * `ssh`, `env -i`) must pass them on.
   * The cluster's node-group deleter runs it too (with `MAGNUM_CDKTF_TEARDOWN_NODE_GROUP`).
   * @default DEFAULT_TEARDOWN_COMMAND - the `bin` of this package
   */
  readonly command?: string;
}

/** Props of {@link ClusterTeardown}. */
export interface ClusterTeardownProps extends ClusterTeardownOptions {
  /** The cluster whose cloud-provider leftovers are removed. */
  readonly cluster: IMagnumCluster;
}

/**
 * Removes what Kubernetes' OpenStack cloud provider created for one cluster
 * (load balancers, floating IPs, security groups, optionally volumes) at
 * destroy time, before Terraform deletes the cluster and, after it, the router
 * interface and network. A `null_resource` whose destroy-time `local-exec`
 * runs the teardown CLI; it depends on the cluster, so it is destroyed first.
 *
 * The command line holds only the `command` and fixed flags: every value
 * travels in the provisioner's `environment`, which Terraform hands to the
 * process without a shell (the flags and their variables are defined once,
 * in `flags.ts`, for this construct and the CLI alike).
 *
 * It always passes `--kubeconfig-from-env`: `local-exec` inherits the
 * environment of `cdktf destroy`, so `KUBECONFIG=~/.kube/prod cdktf destroy`
 * lets the cluster's own controllers clean up first. Through the first context
 * of those files proven to be this cluster's API (it lists Nodes, and every
 * Node's `spec.providerID` is a server of the cluster's Heat stacks), the CLI
 * deletes the Services of type LoadBalancer, the Ingresses of class `openstack`
 * and, with `includeVolumes`, the Cinder CSI PersistentVolumeClaims, and waits
 * for them to go; then the OpenStack sweep runs as without it. With `KUBECONFIG`
 * unset, or naming only other clusters, that step does nothing. The path is
 * read at destroy time, never written into the configuration.
 *
 * When the cluster has node groups added with `MagnumCluster.addNodeGroup()`,
 * the CLI sees to every non-default node group of the cluster, as Magnum lists
 * them (`--delete-node-groups`), before Terraform's own delete of them, which
 * cannot wait on Magnum 15 (see `deleteNodeGroups`): they go with the cluster
 * (below), or, when the CLI does not delete the cluster, one by one. Their names
 * therefore never appear in the configuration's command, whatever they contain,
 * and names known only at apply work as well. A group removed or replaced while the cluster lives
 * is deleted by the node groups' deleter, which runs the CLI with this construct's
 * command and cloud, and which this construct keeps in the configuration (so that
 * removing the last group still runs it).
 *
 * For a cluster this stack made (a {@link MagnumCluster}; never an imported one, which
 * is not Terraform's to delete), once the sweep left nothing, the CLI deletes the cluster
 * itself (`--delete-cluster`), node groups with it, and waits until Magnum no longer knows
 * it; Terraform's delete then finds it gone. Provider 3.4.0's own wait cannot be trusted with it: it errors on
 * the stale status of a cluster Magnum shows failed (say `UPDATE_FAILED` after a
 * resize), and on the HTTP 400 Magnum 15 answers in the last moment of every delete
 * (see `deleteCluster`). If Heat fails to delete the cluster because a cloud provider
 * still running re-created something, the CLI sweeps again and deletes it again.
 * A cluster that failed to create is
 * tainted and this resource was never created: `npm run cdktf` deletes such a
 * cluster before Terraform runs (scripts/before-apply.ts says why nothing in
 * the configuration can). Once per new cluster its orphan sweep deletes the
 * clusters a killed run created that no state holds (see {@link ClusterTeardown.orphanSweep}).
 *
 * Only the cluster id is a trigger: replacing the resource runs its destroy
 * provisioner, which on a live cluster would delete the load balancers of
 * running Services, and the cluster. The command, cloud and flags are written into the
 * provisioner instead, which Terraform reads from the current configuration
 * when it destroys, so changing them replaces nothing.
 */
export class ClusterTeardown extends Construct {
  /** The null resource carrying the destroy-time provisioner. */
  public readonly resource: Resource;
  /**
   * The `terraform_data` whose create-time provisioner deletes the orphans of the cluster's creation,
   * once per new cluster; undefined for a cluster this library did not make (imported).
   */
  public readonly orphanSweep?: TerraformResource;

  constructor(scope: Construct, id: string, props: ClusterTeardownProps) {
    super(scope, id);
    const command = props.command ?? DEFAULT_TEARDOWN_COMMAND;
    if (!isUnresolved(command) && command.trim() === '') {
      throw new ValidationError(
        this,
        'command',
        command,
        'is empty',
        "leave it unset to run this package's magnum-cdktf-teardown, or give the command that runs it",
      );
    }
    checkCloudName(this, props.cloudName);
    registerTeardown(props.cluster, { command, cloudName: props.cloudName });
    const deleter = NodeGroupDeleter.of(props.cluster, TerraformStack.of(this));
    // Node groups may be added after this construct: whether there are any, and the ordering, are read at synth.
    const groups = () => props.cluster.nodeGroups ?? [];
    // The cluster is deleted by the CLI once swept: the provider's own delete wait cannot finish on Magnum 15 (see deleteCluster).
    const flags = Lazy.stringValue({
      produce: () =>
        [
          flag('clusterFromEnv'),
          // KUBECONFIG comes from the environment of `cdktf destroy` (local-exec inherits it), not from this configuration.
          flag('kubeconfigFromEnv'),
          // Only a cluster this stack made: an imported one is not Terraform's to delete.
          ...(props.cluster instanceof MagnumCluster ? [flag('deleteCluster')] : []),
          ...(groups().length > 0 ? [flag('deleteNodeGroups')] : []),
          ...(props.includeVolumes ? [flag('includeVolumes')] : []),
        ].join(' '),
    });
    const environment: Record<string, string> = {
      // Destroy-time provisioners may only read `self`: the cluster id is taken from the trigger.
      [CLUSTER_ENV]: '${self.triggers.cluster_id}',
    };
    if (props.cloudName !== undefined) {
      environment[CLOUD_ENV] = escapeTemplate(props.cloudName);
    }
    this.resource = new Resource(this, 'Resource', {
      triggers: { cluster_id: props.cluster.clusterId },
      provisioners: [{ type: 'local-exec', when: 'destroy', command: `${command} ${flags}`, environment }],
    });
    this.orphanSweep = sweepOrphans(this, props.cluster, command, environment);
    // Destroyed before the node groups, so that the CLI deletes them first (with the cluster, or see deleteNodeGroups), and before
    // their deleter, which then finds them gone: at stack destroy the load balancers still go before the groups.
    // (An override bypasses cdktf's dependsOn handling: the addresses are written plainly.)
    this.resource.addOverride(
      'depends_on',
      Lazy.listValue({
        produce: () => [
          ...groups()
            .filter((g) => g instanceof NodeGroup)
            .map((g) => `${g.resource.terraformResourceType}.${g.resource.friendlyUniqueId}`),
          deleter.address,
        ],
      }),
    );
  }
}

/**
 * The orphan sweep of a cluster this library made: a run killed while Magnum created the cluster
 * never wrote its UUID to the state, so the next run creates it again, and Magnum, whose names are
 * not unique, then holds two (the first outside Terraform, with its network and router on the
 * external network, and its template no longer deletable). Once per new cluster (its UUID is the
 * trigger), after Terraform created it, the CLI's `sweep-orphans` deletes the clusters it proves
 * orphans of that creation (same project, exact name, the template's UUID, made since the cluster's
 * guard claimed the creation), each torn down like a cluster at destroy. Its own resource, so that
 * a sweep that fails (and is retried by the next apply) never taints the teardown, whose
 * destroy-time provisioner Terraform would then skip. Values travel in the environment. None for a
 * cluster this library did not make, or one replaced create-before-destroy (see MagnumCluster).
 */
function sweepOrphans(scope: Construct, cluster: IMagnumCluster, command: string, teardownEnvironment: Record<string, string>): TerraformResource | undefined {
  const claimedAt = claimOf(cluster);
  if (claimedAt === undefined) return undefined;
  return new TriggersResource(
    scope,
    'OrphanSweep',
    { cluster_id: cluster.clusterId },
    {
      provisioners: [
        {
          type: 'local-exec',
          command: `${command} ${SWEEP_ORPHANS} ${flag('clusterFromEnv')} ${flag('claimedAtFromEnv')}`,
          environment: {
            ...teardownEnvironment,
            [CLUSTER_ENV]: '${self.triggers_replace.cluster_id}',
            [CLAIMED_AT_ENV]: claimedAt,
          },
        },
      ],
    },
  );
}

/**
 * A clouds.yaml entry name is any YAML key; it travels in the environment, so only what
 * cannot be a name (empty, control characters) or cannot reach a destroy-time provisioner
 * (a value known at apply: Terraform lets such a provisioner read only its own resource) is refused.
 */
function checkCloudName(scope: Construct, cloudName: string | undefined): void {
  if (cloudName === undefined) return;
  if (isUnresolved(cloudName)) {
    throw new ValidationError(
      scope,
      'cloudName',
      cloudName,
      'is known only at apply, and Terraform lets a destroy-time provisioner read nothing but its own resource',
      'give the clouds.yaml entry name as a literal, or leave it unset and set OS_CLOUD where cdktf destroy runs',
    );
  }
  if (cloudName.trim() === '' || hasControlCharacters(cloudName)) {
    throw new ValidationError(
      scope,
      'cloudName',
      cloudName,
      'is not a clouds.yaml entry name',
      'give the name of an entry under `clouds:` (no control characters), or leave it unset to use OS_CLOUD / OS_*',
    );
  }
}
