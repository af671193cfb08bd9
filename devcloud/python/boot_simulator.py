"""Plays the servers of Magnum clusters on a cloud where nothing boots.

Magnum's Heat driver waits for each server's heat-container-agent to signal its
OS::Heat::SoftwareDeployment resources. With Nova's fake driver no server runs,
so this daemon asks Magnum every few seconds for the clusters being created or
updated (all projects: the admin sees them all), and signals every deployment
in progress in their Heat stacks (nested stacks included) with success, as the
agent would. There is no Kubernetes behind the resulting cluster.
A cluster labelled devcloud_boot=fail gets failed deployments instead, as from a
boot script that exited 1, so Heat fails the stack and Magnum shows CREATE_FAILED;
with devcloud_boot=fail-updates it is created, and any update of it (a resize)
ends UPDATE_FAILED. Tests of the destroy path of a failed cluster need them.

Runs until killed; never crashes on API errors.
"""
import logging
import os
import sys
import time

from keystoneauth1 import session
from keystoneauth1.identity import v3

INTERVAL_SECONDS = float(os.environ.get('BOOT_SIMULATOR_INTERVAL', '3'))
# A deployment still in progress this long after its signal is signalled again.
RESIGNAL_SECONDS = 60
# What a booted server's agent reports for a script that ran fine (the probe's fake-signal.sh).
DONE = {'deploy_status_code': 0, 'deploy_stdout': '', 'deploy_stderr': ''}
# ... and for one that exited 1, for clusters labelled FAIL_LABEL=fail (or fail-updates, while updating).
FAIL_LABEL = 'devcloud_boot'
FAILED = {'deploy_status_code': 1, 'deploy_stdout': '', 'deploy_stderr': 'devcloud boot simulator: failure requested by label devcloud_boot'}
DEPLOYMENT_TYPES = ('OS::Heat::SoftwareDeployment', 'OS::Heat::StructuredDeployment')
WAITING = ('CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS')
log = logging.getLogger('boot-simulator')


# Node groups (each but the default ones with a Heat stack of its own) arrived in API 1.9.
NODEGROUPS_API = {'OpenStack-API-Version': 'container-infra 1.9'}


def busy_clusters(sess):
    """(name, stack id, signal) of every stack of a cluster being created or updated: the
    cluster's own and those of its node groups being created or updated (added groups, resizes).

    Lists, never a request per object: the clusters, and the node groups of each cluster being
    updated. Each Magnum API call costs Keystone (devcloud/README.md), and this runs every few
    seconds for as long as any cluster is busy, beside the work it plays its part in."""
    magnum = sess.get_endpoint(service_type='container-infra', interface='public')
    # Without a microversion header Magnum answers with its oldest API, whose list still gives
    # stack_id and labels.
    clusters = sess.get(magnum + '/clusters', params={'limit': 1000}).json()['clusters']
    for cluster in clusters:
        status = cluster.get('status') or ''
        if status not in WAITING or not cluster.get('stack_id'):
            continue
        labels = cluster.get('labels') or {}
        fail = labels.get(FAIL_LABEL) == 'fail' or (labels.get(FAIL_LABEL) == 'fail-updates' and status == 'UPDATE_IN_PROGRESS')
        signal = FAILED if fail else DONE
        yield cluster['name'], cluster['stack_id'], signal
        # A group of its own is added, resized or changed only on a cluster that was created (the API wants its
        # api_address), and the conductor marks the cluster UPDATE_IN_PROGRESS for it (nodegroup_conductor.py,
        # cluster_conductor.py's resize). While a cluster is created, its only groups are the default ones, in its stack.
        if status != 'UPDATE_IN_PROGRESS':
            continue
        groups = sess.get('%s/clusters/%s/nodegroups' % (magnum, cluster['uuid']), headers=NODEGROUPS_API).json()['nodegroups']
        for group in groups:
            if group.get('status') in WAITING and group.get('stack_id') and group['stack_id'] != cluster['stack_id']:
                yield '%s/%s' % (cluster['name'], group['name']), group['stack_id'], signal


def waiting_deployments(sess, heat, stack_id):
    """(stack href, resource name, physical id) of every deployment of the stack waiting for its server."""
    # Heat redirects a lookup by id to the stack's own URL, in whatever project it lives.
    stack = sess.get('%s/stacks/%s' % (heat, stack_id)).json()['stack']
    href = next(link['href'] for link in stack['links'] if link['rel'] == 'self')
    for res in sess.get(href + '/resources', params={'nested_depth': 5}).json()['resources']:
        # No physical id yet: Heat is still creating the deployment, which a server could not have fetched.
        if res['resource_type'] in DEPLOYMENT_TYPES and res['resource_status'] in WAITING and res['physical_resource_id']:
            owner = next(link['href'] for link in res['links'] if link['rel'] == 'stack')
            yield owner, res['resource_name'], res['physical_resource_id']


def tick(sess, signalled):
    heat = sess.get_endpoint(service_type='orchestration', interface='public')
    now = time.monotonic()
    for cluster, stack_id, signal in busy_clusters(sess):
        try:  # one broken stack must not hold up the others
            for owner, name, physical_id in waiting_deployments(sess, heat, stack_id):
                key = (owner, name, physical_id)
                if now - signalled.get(key, -RESIGNAL_SECONDS) < RESIGNAL_SECONDS:
                    continue
                sess.post('%s/resources/%s/signal' % (owner, name), json=signal)
                signalled[key] = now
                log.info('cluster %s: signalled %s in %s%s', cluster, name, owner.rsplit('/stacks/', 1)[-1],
                         ' (failed, as labelled)' if signal is FAILED else '')
        except Exception as error:
            log.warning('cluster %s: %s: %s', cluster, type(error).__name__, error)
    # Forget signals old enough not to matter, so the map stays small on a long-lived cloud.
    for key in [k for k, t in signalled.items() if now - t > 10 * RESIGNAL_SECONDS]:
        del signalled[key]


def main():
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format='%(asctime)s %(levelname)s %(message)s')
    auth = v3.Password(auth_url=os.environ['OS_AUTH_URL'], username='admin', password=os.environ['ADMIN_PASS'],
                       project_name='admin', user_domain_id='default', project_domain_id='default')
    sess = session.Session(auth=auth, timeout=30)
    signalled = {}
    log.info('watching Magnum clusters of all projects every %.0f s', INTERVAL_SECONDS)
    while True:
        try:
            tick(sess, signalled)
        except Exception as error:  # the cloud may be starting or busy: try again next tick
            log.warning('%s: %s', type(error).__name__, error)
        time.sleep(INTERVAL_SECONDS)


if __name__ == '__main__':
    main()
