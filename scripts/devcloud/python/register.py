"""Registers projects, roles, service users, domains and the catalog in one
process (one `openstack` CLI call costs ~2 s; this whole script ~3 s).
Idempotent: existing objects are left as they are.
Usage: register.py   (admin and service passwords from the environment)"""
import os

from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client

KS = 'http://127.0.0.1:5000/v3'
SERVICE_PASS = os.environ['SERVICE_PASS']

# name, type, URL, user (None: no service user)
SERVICES = [
    ('glance', 'image', 'http://127.0.0.1:9292', 'glance'),
    ('neutron', 'network', 'http://127.0.0.1:9696', 'neutron'),
    ('cinderv3', 'volumev3', 'http://127.0.0.1:8776/v3/%(project_id)s', 'cinder'),
    ('cinder', 'block-storage', 'http://127.0.0.1:8776/v3/%(project_id)s', None),
    ('heat', 'orchestration', 'http://127.0.0.1:8004/v1/%(tenant_id)s', 'heat'),
    ('heat-cfn', 'cloudformation', 'http://127.0.0.1:8000/v1', None),
    ('magnum', 'container-infra', 'http://127.0.0.1:9511/v1', 'magnum'),
    ('placement', 'placement', 'http://127.0.0.1:8778', 'placement'),
    ('nova', 'compute', 'http://127.0.0.1:8774/v2.1', 'nova'),
    ('octavia', 'load-balancer', 'http://127.0.0.1:9876', 'octavia'),
]
ROLES = ['member', 'reader', 'service', 'heat_stack_owner', 'heat_stack_user', 'load-balancer_admin']


def find(manager, name, **kwargs):
    return next(iter(manager.list(name=name, **kwargs)), None)


def ensure_user(ks, name, domain, password):
    return find(ks.users, name, domain=domain) or ks.users.create(name=name, domain=domain, password=password)


def main():
    auth = v3.Password(auth_url=KS, username='admin', password=os.environ['ADMIN_PASS'], project_name='admin',
                       user_domain_id='default', project_domain_id='default')
    ks = client.Client(session=session.Session(auth=auth))
    default = ks.domains.get('default')
    service = find(ks.projects, 'service', domain=default) or ks.projects.create('service', default)
    roles = {r: find(ks.roles, r) or ks.roles.create(r) for r in ROLES + ['admin']}
    admin_user = find(ks.users, 'admin', domain=default)
    admin_project = find(ks.projects, 'admin', domain=default)
    ks.roles.grant(roles['heat_stack_owner'], user=admin_user, project=admin_project)

    for name, stype, url, user in SERVICES:
        if user:
            u = ensure_user(ks, user, default, SERVICE_PASS)
            for role in ('admin', 'service'):
                ks.roles.grant(roles[role], user=u, project=service)
        svc = next(iter(ks.services.list(type=stype)), None) or ks.services.create(name=name, type=stype)
        existing = {e.interface for e in ks.endpoints.list(service=svc)}
        for interface in ('public', 'internal', 'admin'):
            if interface not in existing:
                ks.endpoints.create(service=svc, url=url, interface=interface, region='RegionOne')

    # Heat's stack user domain and Magnum's trustee domain, each with its admin.
    for domain_name, admin_name in (('heat', 'heat_domain_admin'), ('magnum', 'magnum_domain_admin')):
        domain = find(ks.domains, domain_name) or ks.domains.create(domain_name, description='%s domain' % domain_name)
        u = ensure_user(ks, admin_name, domain, SERVICE_PASS)
        ks.roles.grant(roles['admin'], user=u, domain=domain)
    print('registered %d services' % len(SERVICES))


if __name__ == '__main__':
    main()
