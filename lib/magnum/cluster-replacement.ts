/**
 * What a {@link MagnumCluster} does with a change that only a new cluster can take.
 *
 * Magnum changes little of a running cluster. Node counts resize in place, and a new
 * template reaches a running cluster only through Magnum's upgrade API, which on the
 * Heat drivers applies nothing of it but the `kube_tag` and `ostree_remote`/`ostree_commit`
 * labels (drivers/heat/driver.py `FedoraKubernetesDriver.get_heat_params` and
 * `upgrade_cluster`, Zed to 2024.1) and fails the cluster (`UPDATE_FAILED`) when the new
 * template has none of them. Everything else (flavors, image, networks, volumes, the other
 * labels, master count, name, keypair) terraform-provider-openstack 3.4.0 either replaces
 * the cluster for (its ForceNew arguments) or sends through that upgrade API (a new
 * `cluster_template_id`), where it is lost or breaks the cluster.
 */
export enum ClusterReplacement {
  /**
   * Refuse, when Terraform plans, any change the running cluster cannot take, naming the
   * changed props and the way Magnum can do the same (say, a node group with the new flavor).
   * Upgrades (a new `kubeTag`) and resizes go through.
   */
  REFUSE = 'refuse',
  /**
   * Replace the cluster: the old one is torn down (ClusterTeardown) and deleted first, then
   * the new one is created. The workloads go with the old cluster; the two never coexist,
   * so no second set of quota or floating IPs is needed.
   */
  DESTROY_BEFORE_CREATE = 'destroy-before-create',
  /**
   * Replace the cluster: the new one is created beside the old one (Magnum names need not be
   * unique), then the old one is torn down and deleted. Needs quota and floating IPs for both
   * at once; the workloads still go with the old cluster.
   */
  CREATE_BEFORE_DESTROY = 'create-before-destroy',
}

/** Default of `MagnumClusterOptions.replacement`: this library's choice, never to replace a running cluster unasked. */
export const DEFAULT_CLUSTER_REPLACEMENT: ClusterReplacement = ClusterReplacement.REFUSE;
