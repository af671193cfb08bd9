"""Creates the flavors the example stacks and Kolla's init-runonce use (idempotent)."""
import os

from keystoneauth1 import session
from keystoneauth1.identity import v3

FLAVORS = [('m1.small', 1, 2048, 20), ('m1.medium', 2, 4096, 40)]


def main():
    auth = v3.Password(auth_url=os.environ['OS_AUTH_URL'], username='admin', password=os.environ['ADMIN_PASS'],
                       project_name='admin', user_domain_id='default', project_domain_id='default')
    sess = session.Session(auth=auth)
    nova = sess.get_endpoint(service_type='compute', interface='public')
    existing = {f['name'] for f in sess.get(nova + '/flavors').json()['flavors']}
    for name, vcpus, ram, disk in FLAVORS:
        if name not in existing:
            sess.post(nova + '/flavors', json={'flavor': {'name': name, 'vcpus': vcpus, 'ram': ram, 'disk': disk}})
    print('flavors: %s' % ', '.join(f[0] for f in FLAVORS))


if __name__ == '__main__':
    main()
