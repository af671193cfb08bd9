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

/** Longest string Magnum's wsme types and columns take (`StringType(max_length=255)`, `String(255)`). */
export const MAGNUM_MAX_STRING = 255;

/** Length as Python's `len()` counts it (code points), which is what wsme's `StringType` limits. */
export function pythonLength(text: string): number {
  return [...text].length;
}

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
 * A boolean label as the Heat fragments read it (`tr '[:upper:]' '[:lower:]'` then `= "true"`):
 * true or false for "true"/"false" in any case, undefined for anything else.
 */
export function labelFlag(value: string | undefined): boolean | undefined {
  const lower = value?.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
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
