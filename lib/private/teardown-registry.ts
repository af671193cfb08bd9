import { Lazy, LocalExecProvisioner, Token } from 'cdktf';
import { CLOUD_ENV, DEFAULT_TEARDOWN_COMMAND, TeardownCommand } from '../../runtime/teardown/flags';
import { escapeTemplate } from './template-escape';

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

/**
 * A `local-exec` provisioner that runs the teardown CLI's `subcommand` for `cluster`'s node groups
 * the way its `ClusterTeardown` runs it, read at synth (whichever is made first); without one,
 * DEFAULT_TEARDOWN_COMMAND and the environment's `OS_CLOUD` / `OS_*`. The command line holds only
 * the command and fixed words (`flags`); values travel in `environment` (Terraform hands it to the
 * process without a shell), and so does the cloud name.
 */
export function teardownProvisioner(
  cluster: object,
  subcommand: TeardownCommand,
  flags: string,
  environment: Record<string, string>,
  when?: 'destroy',
): LocalExecProvisioner {
  const settings = () => teardownOf(cluster);
  return {
    type: 'local-exec',
    ...(when ? { when } : {}),
    command: Lazy.stringValue({ produce: () => `${settings()?.command ?? DEFAULT_TEARDOWN_COMMAND} ${subcommand} ${flags}` }),
    environment: Token.asStringMap(
      Lazy.anyValue({
        produce: () => {
          const cloudName = settings()?.cloudName;
          return { ...environment, ...(cloudName !== undefined ? { [CLOUD_ENV]: escapeTemplate(cloudName) } : {}) };
        },
      }),
    ),
  };
}
