#!/usr/bin/env node
/**
 * magnum-cdktf-teardown: removes what Kubernetes' OpenStack cloud provider created
 * for one Magnum cluster (load balancers, floating IPs, security groups and, with
 * --include-volumes, volumes), and only that cluster's. Exit codes: 0 nothing of
 * the cluster is left (or dry run), 1 something could not be deleted, 2 bad usage.
 */
import { parseArgs } from 'util';
import { resolveCloud } from '../lib/teardown/cloud-config';
import { checkClusterId } from '../lib/teardown/matchers';
import { OpenStackClient } from '../lib/teardown/openstack-client';
import { executeTeardown, planTeardown, TeardownEvent } from '../lib/teardown/teardown';

const USAGE = `usage: magnum-cdktf-teardown --cluster UUID [--cloud NAME] [--dry-run] [--json]
                             [--include-volumes] [--concurrency N] [--timeout-seconds N] [--ordered]

Deletes the Service/Ingress load balancers, their floating IPs and security groups
that Kubernetes' OpenStack cloud provider created for the cluster with this exact
UUID. --include-volumes also deletes Cinder volumes proven to be the cluster's
(attached to its servers, or CSI metadata naming its UUID): their data is lost.
Credentials: --cloud / OS_CLOUD with clouds.yaml, else OS_* variables.
Exit codes: 0 done (nothing of the cluster left, or dry run), 1 failures, 2 usage.`;

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        'cluster': { type: 'string' }, 'cloud': { type: 'string' }, 'dry-run': { type: 'boolean' }, 'json': { type: 'boolean' },
        'include-volumes': { type: 'boolean' }, 'concurrency': { type: 'string' }, 'timeout-seconds': { type: 'string' },
        'ordered': { type: 'boolean' }, 'help': { type: 'boolean' },
      },
    }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (!args.cluster) {
    console.error(`--cluster is required\n\n${USAGE}`);
    return 2;
  }
  const concurrency = Number(args.concurrency ?? 8);
  const timeoutSeconds = Number(args['timeout-seconds'] ?? 300);
  if (!Number.isInteger(concurrency) || concurrency < 1 || !Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    console.error(`--concurrency must be a whole number >= 1 and --timeout-seconds > 0\n\n${USAGE}`);
    return 2;
  }
  try {
    checkClusterId(args.cluster);
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const json = args.json ?? false;
  const say = (line: string) => { if (!json) console.log(line); };
  const client = await OpenStackClient.connect(resolveCloud(args.cloud));
  const plan = await planTeardown(client, args.cluster, args['include-volumes'] ?? false);
  say(`cluster ${plan.clusterId}: ${plan.resources.length} resource(s) of the cloud provider found`);
  const onEvent = (e: TeardownEvent) => say(`${e.action.padEnd(12)} ${e.resource.kind} ${e.resource.id} (${e.resource.name})${e.detail && e.action !== 'retrying' ? `: ${e.detail}` : ''}`);
  const result = await executeTeardown(client, plan, { dryRun: args['dry-run'], concurrency, timeoutSeconds, mode: args.ordered ? 'ordered' : 'cascade', onEvent });
  if (json) {
    console.log(JSON.stringify({ clusterId: plan.clusterId, dryRun: result.dryRun, planned: plan.resources, deleted: result.deleted.map((r) => r.id), failed: result.failed }, null, 2));
  } else {
    say(result.dryRun ? 'dry run: nothing deleted' : `deleted ${result.deleted.length}, failed ${result.failed.length}`);
  }
  return result.failed.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
  // Messages from the client name the cloud and the call; they never carry the password.
  console.error(`magnum-cdktf-teardown: ${(e as Error).message}`);
  process.exitCode = 1;
});
