import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { Resource } from '@cdktf/provider-null/lib/resource';
import { ValidationError } from '../core/validation-error';
import { IMagnumCluster } from '../magnum/magnum-cluster';
import { isUnresolved } from '../private/tokens';

/** The teardown CLI as an installed consumer of this package runs it. */
export const DEFAULT_TEARDOWN_COMMAND = 'npx --no-install magnum-cdktf-teardown';

/** Settings of a {@link ClusterTeardown} that do not reference other constructs. */
export interface ClusterTeardownOptions {
  /**
   * The `clouds.yaml` entry the teardown authenticates with. Only the name is
   * stored; credentials are read at destroy time, as the openstack CLI reads them.
   * @default - `OS_CLOUD` / `OS_*` of the environment that runs `cdktf destroy`
   */
  readonly cloudName?: string;
  /**
   * Also delete Cinder volumes proven to belong to the cluster. This destroys
   * the data of the cluster's persistent volumes.
   * @default false
   */
  readonly includeVolumes?: boolean;
  /**
   * The command that runs the teardown CLI, before its arguments.
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
 * Node groups added with `MagnumCluster.addNodeGroup()` are deleted by the CLI
 * too (`--node-group`), before Terraform's own delete of them, which cannot wait
 * on Magnum 15 (see `deleteNodeGroups`). A cluster that Magnum shows failed
 * (say `UPDATE_FAILED` after a resize) is deleted by the CLI as well, node
 * groups with it: provider 3.4.0 errors on the stale status it reads right
 * after its own delete (see `deleteFailedCluster`). A cluster that failed to
 * create is tainted and this resource was never created, so that case still
 * takes the provider a second run.
 *
 * Only the cluster id is a trigger: replacing the resource runs its destroy
 * provisioner, which on a live cluster would delete the load balancers of
 * running Services. The command, cloud and flags are written into the
 * provisioner instead, which Terraform reads from the current configuration
 * when it destroys, so changing them replaces nothing.
 */
export class ClusterTeardown extends Construct {
  /** The null resource carrying the destroy-time provisioner. */
  public readonly resource: Resource;

  constructor(scope: Construct, id: string, props: ClusterTeardownProps) {
    super(scope, id);
    const command = props.command ?? DEFAULT_TEARDOWN_COMMAND;
    if (!isUnresolved(command) && command.trim() === '') {
      throw new ValidationError(this, 'command', command, 'is empty', 'leave it unset to run this package\'s magnum-cdktf-teardown, or give the command that runs it');
    }
    if (props.cloudName !== undefined && !isUnresolved(props.cloudName) && !/^[A-Za-z0-9_.-]+$/.test(props.cloudName)) {
      throw new ValidationError(this, 'cloudName', props.cloudName, 'is not a clouds.yaml entry name', 'use letters, digits, "_", "-" and "." only');
    }
    // Destroy-time provisioners may only read `self` for values known at apply: the cluster id.
    // A failed cluster (e.g. UPDATE_FAILED) is deleted by the CLI: the provider cannot (see deleteFailedCluster).
    const args = ['--cluster ${self.triggers.cluster_id}', '--delete-failed-cluster'];
    // Node groups may be added after this construct: their names and the ordering are read at synth.
    const groups = () => props.cluster.nodeGroups ?? [];
    const groupArgs = Lazy.stringValue({ produce: () => groups().map((g) => ` --node-group ${g.name}`).join('') });
    if (props.cloudName !== undefined) {
      args.push(`--cloud ${props.cloudName}`);
    }
    if (props.includeVolumes) {
      args.push('--include-volumes');
    }
    this.resource = new Resource(this, 'Resource', {
      triggers: { cluster_id: props.cluster.clusterId },
      provisioners: [{ type: 'local-exec', when: 'destroy', command: `${command} ${args.join(' ')}${groupArgs}` }],
    });
    // Destroyed before the node groups, so that the CLI deletes them first (see deleteNodeGroups).
    // (An override bypasses cdktf's dependsOn handling: the addresses are written plainly.)
    this.resource.addOverride('depends_on', Lazy.listValue({
      produce: () => groups().map((g) => `${g.resource.terraformResourceType}.${g.resource.friendlyUniqueId}`),
    }, { omitEmpty: true }));
  }
}
