"""Registers projects, roles, service users, domains and the catalog in one
process (one `openstack` CLI call costs ~2 s). Reads what exists with a handful
of list calls and creates only what is missing, so a second run changes nothing.
Usage: register.py < catalog   (lib/table.sh's `catalog`: "NAME TYPE URL USER" a line,
USER `-` for no service user; OS_AUTH_URL, ADMIN_PASS and SERVICE_PASS from the environment)"""
import os
import sys

from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client

SERVICE_PASS = os.environ['SERVICE_PASS']

# Octavia's stock policy lets only holders of load-balancer_member create load balancers
# (Magnum's master LB included): grant it to non-admin users, as on a real cloud.
ROLES = ['admin', 'member', 'reader', 'service', 'heat_stack_owner', 'heat_stack_user',
         'load-balancer_admin', 'load-balancer_member', 'load-balancer_observer']
# Heat's stack user domain and Magnum's trustee domain, each with its admin.
DOMAINS = [('heat', 'heat_domain_admin'), ('magnum', 'magnum_domain_admin')]


def main():
    catalog = [line.split() for line in sys.stdin if line.strip()]
    auth = v3.Password(auth_url=os.environ['OS_AUTH_URL'], username='admin', password=os.environ['ADMIN_PASS'],
                       project_name='admin', user_domain_id='default', project_domain_id='default')
    ks = client.Client(session=session.Session(auth=auth))

    roles = {r.name: r for r in ks.roles.list()}
    for name in ROLES:
        if name not in roles:
            roles[name] = ks.roles.create(name)
    domains = {d.name: d for d in ks.domains.list()}
    for name, _ in DOMAINS:
        if name not in domains:
            domains[name] = ks.domains.create(name, description='%s domain' % name)
    projects = {p.name: p for p in ks.projects.list(domain='default')}
    if 'service' not in projects:
        projects['service'] = ks.projects.create('service', 'default')
    users = {(u.domain_id, u.name): u for u in ks.users.list()}
    # (role id, user id, project id or domain id) of every assignment already made.
    granted = {(a.role['id'], a.user['id'], a.scope.get('project', a.scope.get('domain', {})).get('id'))
               for a in ks.role_assignments.list() if hasattr(a, 'user') and 'system' not in a.scope}

    def user(name, domain):
        key = (domain.id, name)
        if key not in users:
            users[key] = ks.users.create(name=name, domain=domain, password=SERVICE_PASS)
        return users[key]

    def grant(role, who, project=None, domain=None):
        if (roles[role].id, who.id, (project or domain).id) not in granted:
            ks.roles.grant(roles[role], user=who, project=project, domain=domain)

    grant('heat_stack_owner', users[('default', 'admin')], project=projects['admin'])
    default = domains['Default']
    services = {s.type: s for s in ks.services.list()}
    endpoints = {(e.service_id, e.interface) for e in ks.endpoints.list()}
    for name, stype, url, username in catalog:
        if username != '-':
            u = user(username, default)
            grant('admin', u, project=projects['service'])
            grant('service', u, project=projects['service'])
        if stype not in services:
            services[stype] = ks.services.create(name=name, type=stype)
        for interface in ('public', 'internal', 'admin'):
            if (services[stype].id, interface) not in endpoints:
                ks.endpoints.create(service=services[stype], url=url, interface=interface, region='RegionOne')
    for domain_name, admin_name in DOMAINS:
        grant('admin', user(admin_name, domains[domain_name]), domain=domains[domain_name])
    print('registered %d services' % len(catalog))


if __name__ == '__main__':
    main()
