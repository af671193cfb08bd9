/** How the teardown CLI is run for a cluster: what a `ClusterTeardown` was given, after its checks. */
export interface TeardownCommandSettings {
  /** The command that runs the CLI, before its subcommand and flags. */
  readonly command: string;
  /** The clouds.yaml entry, handed over as `OS_CLOUD`. @default - none: the environment's `OS_CLOUD` / `OS_*` */
  readonly cloudName?: string;
}

/**
 * The settings of each cluster's `ClusterTeardown`, keyed by the cluster object: the other
 * constructs that run the CLI for the cluster (the node groups' deleter) run it the same way,
 * whichever of them is made first.
 */
const settingsByCluster = new WeakMap<object, TeardownCommandSettings>();

/** Records how the teardown CLI is run for `cluster` (the last `ClusterTeardown` of a cluster wins). */
export function registerTeardown(cluster: object, settings: TeardownCommandSettings): void {
  settingsByCluster.set(cluster, settings);
}

/** How the teardown CLI is run for `cluster`; undefined when it has no `ClusterTeardown`. */
export function teardownOf(cluster: object): TeardownCommandSettings | undefined {
  return settingsByCluster.get(cluster);
}
