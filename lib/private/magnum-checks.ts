/**
 * Magnum's own value rules, as pure functions: each mirrors one upstream check
 * (named in its comment) so that a construct can refuse at synth what Magnum
 * would refuse at apply.
 */
import { parseIp } from './ip';

/**
 * Names Magnum gives the two node groups it creates with every cluster
 * (conductor/utils.py `_get_nodegroup_object`: `"default-%s" % role`, Zed to master).
 */
export const DEFAULT_NODE_GROUP_NAMES: readonly string[] = ['default-master', 'default-worker'];

/**
 * Magnum's `dns_nameserver` rule (common/utils.py `validate_dns`, Zed and master): a comma-separated
 * list whose every entry, stripped, is an IPv4 address in inet_pton form (no IPv6, no leading zeros).
 */
export function isMagnumDnsList(value: string): boolean {
  return value.split(',').every((entry) => parseIp(entry.trim())?.version === 4);
}

/**
 * Whether Python's `int()` parses `value`: what Magnum does with numeric labels
 * (Zed: `int(...)` in the Heat driver; master: `strutils.validate_integer`).
 */
export function isPythonInt(value: string): boolean {
  return /^\s*[+-]?\p{Nd}+(_\p{Nd}+)*\s*$/u.test(value);
}

/**
 * A boolean label whose value decides a check: true or false for "true"/"false" in any case,
 * undefined (unknown: nothing is refused or warned on it) for anything else. This is how the
 * Heat fragments compare (`tr '[:upper:]' '[:lower:]'` then `= "true"`, e.g. enable-auto-scaling.sh)
 * and how the Heat driver reads cloud_provider_enabled (k8s_fedora_template_def.py: `.lower() == 'false'`).
 * Where a label first passes a Heat `type: boolean` parameter (auto_scaling_enabled) or a Cluster
 * API driver's `get_cluster_label_as_bool`, oslo's `bool_from_string(strict=True)` also takes
 * 1/t/on/y/yes and 0/f/off/n/no: those read as unknown here, never as the wrong answer.
 */
export function labelFlag(value: string | undefined): boolean | undefined {
  const lower = value?.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}

/** oslo_utils strutils.bool_from_string's TRUE_STRINGS. */
const TRUE_STRINGS = ['1', 't', 'true', 'on', 'y', 'yes'];

/**
 * oslo_utils strutils.bool_from_string(value) (strict=False, default=False): true for one of
 * its TRUE_STRINGS once stripped and lower-cased, false for anything else or no value. Only
 * for labels Magnum reads this way, e.g. master_lb_floating_ip_enabled (template_def.py add_fip_env_file).
 */
export function boolFromString(value: string | undefined): boolean {
  return TRUE_STRINGS.includes((value ?? '').trim().toLowerCase());
}

/**
 * A Kubernetes label value (apimachinery `IsValidLabelValue`): at most 63 characters,
 * alphanumerics, `-`, `_` and `.`, beginning and ending with an alphanumeric.
 */
export function isKubernetesLabelValue(value: string): boolean {
  return value.length <= 63 && /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value);
}

/**
 * magnum-cluster-api's node-group name rule (magnum_cluster_api/utils.py `validate_nodegroup_name`),
 * copied as written: its `.` is unescaped, so any one character may separate the parts.
 */
export function isClusterApiMachineName(name: string): boolean {
  return /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name);
}

/** Failures a Raft group of `members` survives: etcd keeps a quorum of more than half. */
export function etcdFaultTolerance(members: number): number {
  return Math.floor((members - 1) / 2);
}
