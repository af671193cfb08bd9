/** What the teardown CLI prints: progress lines, closing lines and the `--json` summaries. */
import { OpenStackAuthError } from '../openstack';
import { AuditReport } from './audit';
import { TeardownEvent } from './execute';
import { TEARDOWN_CLI_NAME as CLI_NAME } from './flags';
import { NodeGroupDeleteResult } from './node-groups';
import { PlannedResource } from './plan';
import { RunEvent, RunTeardownResult } from './run';

const label = (r: { kind: string; id: string; name: string }) => `${r.kind} ${r.id}${r.name ? ` (${r.name})` : ''}`;

/** One progress line per event. */
function progressLine(e: TeardownEvent): string {
  switch (e.action) {
    case 'would-delete':
      return `would delete ${label(e.resource)}: ${e.detail}`;
    case 'deleting':
      return `deleting ${label(e.resource)}…`;
    case 'deleted':
      return `deleted ${label(e.resource)}`;
    case 'failed':
      return `FAILED ${label(e.resource)}: ${e.detail}`;
    case 'retrying':
      return `  ${e.resource.kind} ${e.resource.id}: retrying, ${e.detail}`;
    default:
      return `  ${e.resource.kind} ${e.resource.id}: ${e.detail}`;
  }
}

/** The lines of one step of a teardown run: a Kubernetes step's line, the plan's summary, a resource's progress, or a Magnum delete's line. */
export function runEventLines(e: RunEvent): string[] {
  switch (e.type) {
    case 'kubernetes':
      return [e.line];
    case 'planned':
      return [
        `cluster ${e.plan.clusterId}: ${e.plan.resources.length} resource(s) made by the cloud provider${e.plan.includeVolumes ? ', volumes included' : ''}` +
          ` (matched by cluster name ${e.plan.clusterNames.join(' or ')})`,
        ...e.plan.warnings.map((w) => `warning: ${w}`),
        ...e.plan.skipped.map((s) => `skipping ${label(s)}: ${s.reason}`),
      ];
    case 'resource':
      return [progressLine(e.event)];
    default:
      return [e.line];
  }
}

/** The closing line of a teardown run. */
export function teardownClosingLine({ plan, execution, remaining, cluster }: RunTeardownResult): string {
  if (execution.dryRun) return `dry run: nothing deleted (${plan.resources.length} would be)`;
  const resweeps = cluster?.resweptResources ? `, ${cluster.resweptResources} more swept while it was deleted` : '';
  const itself = cluster?.deleted
    ? `; then the cluster itself${resweeps}`
    : cluster?.error !== undefined
      ? `; the cluster's delete FAILED${resweeps}`
      : cluster && cluster.status === undefined
        ? '; the cluster was already gone'
        : '';
  return (
    `cluster ${plan.clusterId}: deleted ${execution.deleted.length}, failed ${execution.failed.length}, interrupted ${execution.interrupted.length}, ` +
    `${remaining.length ? `${remaining.length} still there: ${remaining.map(label).join(', ')}` : 'nothing left'} (${(execution.elapsedMs / 1000).toFixed(1)} s)${itself}`
  );
}

const brief = (r: PlannedResource) => ({ kind: r.kind, id: r.id, name: r.name });

/** The `--json` summary of a teardown run. */
export function teardownSummary({ ok, kubernetes, plan, execution: result, remaining, nodeGroups, cluster }: RunTeardownResult): object {
  return {
    command: 'teardown',
    ok,
    clusterId: plan.clusterId,
    clusterNames: plan.clusterNames,
    dryRun: result.dryRun,
    mode: result.mode,
    includeVolumes: plan.includeVolumes,
    kubernetes,
    planned: plan.resources,
    skipped: plan.skipped,
    warnings: plan.warnings,
    deleted: result.deleted.map(brief),
    failed: result.failed.map((f) => ({ ...brief(f.resource), error: f.error })),
    interrupted: result.interrupted.map(brief),
    remaining: remaining.map(brief),
    elapsedMs: result.elapsedMs,
    nodeGroups,
    cluster,
  };
}

/** The `--json` summary of a delete-node-group run. */
export function nodeGroupDeleteSummary(clusterId: string, nodeGroupId: string, dryRun: boolean, result: NodeGroupDeleteResult): object {
  return { command: 'delete-node-group', ok: result.failed.length === 0, clusterId, nodeGroupId, dryRun, ...result };
}

/** The lines of an audit report. */
export function auditLines(report: AuditReport): string[] {
  const lines = report.orphans.map((o) => `orphan ${label(o)} of cluster ${o.clusterId}${o.projectId ? ` in project ${o.projectId}` : ''}: ${o.evidence}`);
  report.unverifiedClusters.forEach((c) =>
    lines.push(`cluster ${c}: Magnum would not show it (403, or 400 while it is being deleted); its resources are not counted`),
  );
  report.otherClusterNames.forEach((n) =>
    lines.push(`cluster name ${n}: not a UUID (a capi-helm cluster's stack_id, or a cloud provider started outside Magnum); its resources are not counted`),
  );
  const clusters = [...new Set(report.orphans.map((o) => o.clusterId))];
  lines.push(
    `${report.orphans.length} orphan(s) of ${clusters.length} deleted cluster(s) among ${report.candidates} cloud-provider resource(s)` +
      `${report.projectId ? ` of project ${report.projectId}` : ' of all projects'}`,
  );
  clusters.forEach((c) => lines.push(`  remove with: ${CLI_NAME} --cluster ${c} --dry-run   (then without --dry-run)`));
  return lines;
}

/** The line for credentials Keystone refused before anything was done: the cloud, what failed, that nothing was deleted, the fix. */
export function authFailureLine(error: OpenStackAuthError): string {
  return `${error.summary}, so nothing was deleted. Fix: ${error.fix}, then run it again.`;
}
