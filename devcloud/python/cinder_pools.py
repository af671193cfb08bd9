"""Waits until Cinder's scheduler knows a backend pool: it places no volume before cinder-volume's first
capability report, some seconds after it starts ("No valid backend was found" for volumes made earlier)."""
import os
import sys
import time

from keystoneauth1 import session
from keystoneauth1.identity import v3


def main(timeout_s=120):
    auth = v3.Password(auth_url=os.environ['OS_AUTH_URL'], username='admin', password=os.environ['ADMIN_PASS'],
                       project_name='admin', user_domain_id='default', project_domain_id='default')
    sess = session.Session(auth=auth)
    cinder = sess.get_endpoint(service_type='block-storage', interface='public')
    until = time.monotonic() + timeout_s
    while time.monotonic() < until:
        pools = sess.get(cinder + '/scheduler-stats/get_pools', raise_exc=False)
        if pools.ok and pools.json().get('pools'):
            print('cinder pools: %s' % ', '.join(p['name'] for p in pools.json()['pools']))
            return 0
        time.sleep(1)
    print('no Cinder pool after %d s: cinder-volume has not reported to the scheduler' % timeout_s)
    return 1


if __name__ == '__main__':
    sys.exit(main())
