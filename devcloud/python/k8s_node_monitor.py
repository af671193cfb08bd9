"""Plays the part of the cluster's kubelets and kube-controller-manager's node lifecycle for the
control plane of k8s.sh, which has neither: a Node stays Ready while its Nova server is ACTIVE, and
is marked NotReady (Ready=Unknown, "Kubelet stopped posting node status.", as kube-controller-manager
writes it) once its server is gone or not ACTIVE for GRACE seconds. occm's cloud-node-lifecycle
controller then deletes the Node, and its service controller moves the load balancers' members,
as on a real cluster while Heat deletes its servers.

Usage: k8s_node_monitor.py KUBECTL KUBECONFIG CLOUD_CONF [GRACE]
Reads the servers with the trustee's trust from CLOUD_CONF (csi.conf), as the cluster's own
credentials; never with the cloud's admin.
"""
import configparser
import datetime
import json
import subprocess
import sys
import time

from keystoneauth1 import session
from keystoneauth1.identity import v3
from novaclient import client as nova_client
from novaclient import exceptions

PERIOD = 5


def kubectl(argv, *args):
    return subprocess.run([argv[0], '--kubeconfig', argv[1], *args], check=True, capture_output=True, text=True).stdout


def main():
    argv = sys.argv[1:]
    grace = int(argv[3]) if len(argv) > 3 else 10
    conf = configparser.ConfigParser()
    conf.read(argv[2])
    g = conf['Global']
    auth = v3.Password(auth_url=g['auth-url'], user_id=g['user-id'], password=g['password'], trust_id=g['trust-id'])
    nova = nova_client.Client('2.1', session=session.Session(auth=auth))
    lost = {}  # node name -> when its server was first seen gone
    while True:
        now = time.time()
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
        for node in json.loads(kubectl(argv, 'get', 'nodes', '-o', 'json'))['items']:
            name, provider = node['metadata']['name'], node['spec'].get('providerID', '')
            if not provider.startswith('openstack:///'):
                continue  # occm has not initialised it yet
            try:
                alive = nova.servers.get(provider.rsplit('/', 1)[1]).status == 'ACTIVE'
            except exceptions.NotFound:
                alive = False
            except Exception as e:  # Nova busy or the trust gone: no news is no change
                print('node monitor: %s: %s' % (name, e), flush=True)
                continue
            ready = next((c for c in node['status'].get('conditions', []) if c['type'] == 'Ready'), {})
            if alive:
                lost.pop(name, None)
                continue
            lost.setdefault(name, now)
            if now - lost[name] >= grace and ready.get('status') == 'True':
                patch = {'status': {'conditions': [{'type': 'Ready', 'status': 'Unknown', 'reason': 'NodeStatusUnknown',
                                                    'message': 'Kubelet stopped posting node status.',
                                                    'lastHeartbeatTime': ready.get('lastHeartbeatTime', stamp),
                                                    'lastTransitionTime': stamp}]}}
                kubectl(argv, 'patch', 'node', name, '--subresource=status', '--type=merge', '-p', json.dumps(patch))
                print('node monitor: %s: server gone for %d s, marked NotReady' % (name, now - lost[name]), flush=True)
        time.sleep(PERIOD)


if __name__ == '__main__':
    main()
