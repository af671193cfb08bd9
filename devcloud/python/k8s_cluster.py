"""Writes what the cloud-provider controllers of one Magnum cluster read, as Magnum's own Heat
templates write it on the cluster's masters (magnum/drivers/common/templates/kubernetes/fragments:
write-kube-os-config.sh, enable-ingress-octavia.sh, enable-cinder-csi.sh), from that cluster's own
Heat stack and Magnum's record of its trust.

Usage: k8s_cluster.py CLUSTER_UUID DIR KUBECONFIG CLUSTER_NAME
(CLUSTER_NAME: what the controllers are told the cluster is called; Magnum's Heat driver says its UUID)
(OS_AUTH_URL and ADMIN_PASS from the environment, as register.py reads them)

Writes into DIR (mode 600, the trustee's password is in them):
  cloud.conf      occm's /etc/kubernetes/cloud-config-occm
  csi.conf        the cinder-csi-cloud-config Secret's cloud-config
  ingress.yaml    the octavia-ingress-controller-config ConfigMap's config (plus the kubeconfig,
                  which the controller reads in-cluster on a real master)
  nodes.json      a v1 List of the cluster's Nova servers as kubelet --cloud-provider=external
                  registers them: named after the server, tainted uninitialized until occm's
                  cloud-node controller initialises them
  facts.env       CLUSTER_UUID, STACK_ID, TRUSTEE_USER_ID, NODES

Heat shows hidden parameters (trustee_password, trust_id) as '******'; a master reads them from its
heat-params. Here they come from Magnum's database, which holds them in its cluster table: the
closest thing to reading them on the master.
"""
import configparser
import json
import os
import re
import sys

import pymysql
from heatclient import client as heat_client
from keystoneauth1 import session
from keystoneauth1.identity import v3
from novaclient import client as nova_client

UUID = re.compile(r'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')


def admin_session():
    auth = v3.Password(auth_url=os.environ['OS_AUTH_URL'], username='admin', password=os.environ['ADMIN_PASS'],
                       project_name='admin', user_domain_id='default', project_domain_id='default')
    return session.Session(auth=auth)


def magnum_record(cluster_uuid):
    """(Heat stack id, trustee user id, trustee password, trust id) from Magnum's cluster table."""
    db = pymysql.connect(unix_socket='/run/mysqld/mysqld.sock', user='root', database='magnum')
    try:
        with db.cursor() as cur:
            cur.execute('SELECT stack_id, trustee_user_id, trustee_password, trust_id FROM cluster WHERE uuid = %s',
                        (cluster_uuid,))
            row = cur.fetchone()
    finally:
        db.close()
    if row is None:
        sys.exit('k8s_cluster: Magnum has no cluster %s' % cluster_uuid)
    return row


def servers_of(heat, stack_id):
    """(server id, role) of every OS::Nova::Server in the stack, nested stacks included."""
    found = []
    for r in heat.resources.list(stack_id, nested_depth=5):
        if r.resource_type == 'OS::Nova::Server' and r.physical_resource_id:
            role = 'master' if 'master' in r.resource_name or any('master' in link.get('href', '') for link in r.links) else 'node'
            found.append((r.physical_resource_id, role))
    return found


def write(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w') as f:
        f.write(text)


def main():
    cluster_uuid, out, kubeconfig, cluster_name = sys.argv[1:5]
    if not UUID.match(cluster_uuid):
        sys.exit('k8s_cluster: "%s" is not a cluster UUID' % cluster_uuid)
    sess = admin_session()
    heat = heat_client.Client('1', session=sess)
    nova = nova_client.Client('2.1', session=sess)
    stack_id, trustee_user_id, trustee_password, trust_id = magnum_record(cluster_uuid)
    stack = heat.stacks.get(stack_id)
    p = stack.parameters
    # The subnet and network the cluster's servers are on: the network template's outputs,
    # whether Heat made the network or the template named one (fixed_network/fixed_subnet).
    network = heat.stacks.get(heat.resources.get(stack_id, 'network').physical_resource_id)
    outputs = {o['output_key']: o['output_value'] for o in network.outputs}
    # Heat passes the trust to the servers only with [trust] cluster_user_trust = True
    # (magnum/drivers/heat/template_def.py), and without one write-kube-os-config.sh writes no cloud
    # config at all: the controllers have nothing to authenticate with.
    magnum = configparser.ConfigParser(interpolation=None, strict=False)
    magnum.read('/etc/magnum/magnum.conf')
    if magnum.get('trust', 'cluster_user_trust', fallback='False').strip().lower() not in ('true', '1', 'yes', 'on'):
        sys.exit('k8s_cluster: Magnum passes no trust to cluster %s\'s servers ([trust] cluster_user_trust is off in '
                 '/etc/magnum/magnum.conf), so its templates write no cloud config and the cloud provider cannot '
                 'authenticate. Fix: set it to True (MagnumServiceRequirements prints the fragment) and make the '
                 'cluster again.' % cluster_uuid)
    region = p.get('region_name', '')
    auth_url = p['auth_url']
    creds = ('auth-url=%s\nuser-id=%s\npassword=%s\ntrust-id=%s\nregion=%s\n'
             % (auth_url, trustee_user_id, trustee_password, trust_id, region))
    write(os.path.join(out, 'cloud.conf'),
          '[Global]\n' + creds +
          '[LoadBalancer]\nuse-octavia=%s\nsubnet-id=%s\nfloating-network-id=%s\nlb-provider=%s\nlb-method=%s\n'
          'create-monitor=%s\nmonitor-delay=1m\nmonitor-timeout=30s\nmonitor-max-retries=3\n'
          '[BlockStorage]\nbs-version=v2\n'
          '[Networking]\ninternal-network-name=%s\n'
          % (p.get('octavia_enabled', 'True'), outputs['fixed_subnet'], p['external_network'],
             p.get('octavia_provider', 'amphora'), p.get('octavia_lb_algorithm', 'ROUND_ROBIN'),
             p.get('octavia_lb_healthcheck', 'True'), p.get('fixed_network_name', '')))
    write(os.path.join(out, 'csi.conf'), '[Global]\n' + creds)
    # JSON is YAML: every value quoted as JSON quotes it.
    write(os.path.join(out, 'ingress.yaml'), json.dumps({
        'cluster-name': cluster_name,
        'openstack': {'auth-url': auth_url, 'user-id': trustee_user_id, 'password': trustee_password,
                      'trust-id': trust_id, 'region': region},
        'octavia': {'subnet-id': outputs['fixed_subnet'], 'floating-network-id': p['external_network']},
        'kubernetes': {'kubeconfig': kubeconfig},
    }, indent=1))
    nodes = []
    for server_id, role in servers_of(heat, stack_id):
        server = nova.servers.get(server_id)
        nodes.append({
            'apiVersion': 'v1', 'kind': 'Node',
            'metadata': {'name': server.name, 'labels': {'node-role.kubernetes.io/%s' % role: ''}},
            'spec': {'taints': [{'key': 'node.cloudprovider.kubernetes.io/uninitialized', 'value': 'true', 'effect': 'NoSchedule'}]},
        })
    write(os.path.join(out, 'nodes.json'), json.dumps({'apiVersion': 'v1', 'kind': 'List', 'items': nodes}, indent=1))
    write(os.path.join(out, 'facts.env'),
          'CLUSTER_UUID=%s\nSTACK_ID=%s\nTRUSTEE_USER_ID=%s\nNODES=%d\n'
          % (cluster_uuid, stack_id, trustee_user_id, len(nodes)))


if __name__ == '__main__':
    main()
