"""Plays the servers of Magnum clusters on a cloud where nothing boots.

Magnum's Heat driver waits for each server's heat-container-agent to signal its
OS::Heat::SoftwareDeployment resources. With Nova's fake driver no server runs,
so this daemon polls Heat every few seconds and signals every deployment in
progress with success, as the agent would, for clusters of the admin project. There is no Kubernetes behind the
resulting cluster. Runs until killed; never crashes on API errors.
"""
import logging
import os
import sys
import time

from keystoneauth1 import session
from keystoneauth1.identity import v3

INTERVAL_SECONDS = float(os.environ.get('BOOT_SIMULATOR_INTERVAL', '3'))
RESIGNAL_SECONDS = 60  # a deployment still in progress this long after its signal is signalled again
DONE = {'deploy_status_code': 0, 'deploy_stdout': 'signalled by the devcloud boot simulator', 'deploy_stderr': ''}
log = logging.getLogger('boot-simulator')


def in_progress_deployments(sess, heat):
    """(stack href, resource name, resource id) of every deployment waiting for its server."""
    # The admin project's stacks: Zed's Heat policy refuses global listing even to admin,
    # and Magnum builds a cluster's stack in the project of the user who asked for it.
    stacks = sess.get(heat + '/stacks').json()['stacks']
    for stack in stacks:
        if not stack['stack_status'].endswith('_IN_PROGRESS') or stack['stack_status'].startswith('DELETE'):
            continue
        url = '%s/stacks/%s/%s/resources' % (heat, stack['stack_name'], stack['id'])
        for res in sess.get(url, params={'nested_depth': 5}).json()['resources']:
            status = res['resource_status']
            if res['resource_type'] == 'OS::Heat::SoftwareDeployment' and status in ('CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS'):
                href = next(link['href'] for link in res['links'] if link['rel'] == 'stack')
                yield href, res['resource_name'], res['physical_resource_id']


def tick(sess, heat, signalled):
    now = time.monotonic()
    for href, name, physical_id in in_progress_deployments(sess, heat):
        key = (href, name, physical_id)
        if now - signalled.get(key, -RESIGNAL_SECONDS) < RESIGNAL_SECONDS:
            continue
        sess.post('%s/resources/%s/signal' % (href, name), json=DONE)
        signalled[key] = now
        log.info('signalled %s in %s', name, href.rsplit('/stacks/', 1)[-1])


def main():
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format='%(asctime)s %(levelname)s %(message)s')
    auth = v3.Password(auth_url='http://127.0.0.1:5000/v3', username='admin', password=os.environ['ADMIN_PASS'],
                       project_name='admin', user_domain_id='default', project_domain_id='default')
    sess = session.Session(auth=auth, timeout=30)
    signalled = {}
    log.info('watching Heat every %.0f s', INTERVAL_SECONDS)
    while True:
        try:
            heat = sess.get_endpoint(service_type='orchestration', interface='public')
            tick(sess, heat, signalled)
        except Exception as error:  # the cloud may be starting or busy: try again next tick
            log.warning('%s: %s', type(error).__name__, error)
        time.sleep(INTERVAL_SECONDS)


if __name__ == '__main__':
    main()
