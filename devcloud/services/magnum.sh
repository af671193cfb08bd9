# Magnum: API, and the conductor through python/magnum_conductor.py. Sourced by up.sh.
# shellcheck shell=bash

# DEVCLOUD_CLUSTER_USER_TRUST=False brings Magnum up with [trust] cluster_user_trust off, as Kolla-Ansible's
# default leaves it, for the test that shows what Magnum then does to a cluster with the cloud provider on
# (test/e2e/magnum-refusals.e2e.test.ts). Any up.sh without it turns the setting back on.
magnum_conf() {
  local client trust=${DEVCLOUD_CLUSTER_USER_TRUST:-True}
  [[ $trust = True || $trust = False ]] || die "DEVCLOUD_CLUSTER_USER_TRUST='$trust': it takes True or False"
  cat > /etc/magnum/magnum.conf <<CNF
[DEFAULT]
transport_url = $RABBIT
state_path = /var/lib/magnum
# Notice finished Heat stacks within 10 s instead of 60.
periodic_interval_max = 10
[api]
host = 127.0.0.1
port = $(port magnum-api)
workers = 1
[conductor]
workers = 1
$(database_and_authtoken magnum)
auth_version = v3
[keystone_auth]
$(service_auth magnum)
[trust]
cluster_user_trust = $trust
trustee_domain_name = magnum
trustee_domain_admin_name = magnum_domain_admin
trustee_domain_admin_password = $SERVICE_PASS
trustee_keystone_interface = public
trustee_keystone_region_name = RegionOne
[certificates]
cert_manager_type = x509keypair
[kubernetes]
# Never poll a cluster's API address: it is a floating IP, not loopback. Only honoured
# through python/magnum_conductor.py; the egress guard stops the polls if it is not.
health_polling_interval = -1
[drivers]
send_cluster_metrics = false
[cluster]
etcd_discovery_service_endpoint_format = $(url etcd-discovery)/new?size=%(size)d
[cinder]
$(printf 'default_%s_volume_type = __DEFAULT__\n' docker etcd boot)
[oslo_messaging_notifications]
driver = noop
[oslo_concurrency]
lock_path = /var/lib/magnum/lock
[quotas]
max_clusters_per_project = 1000
CNF
  for client in cinder glance heat neutron nova octavia magnum; do
    printf '[%s_client]\nregion_name = RegionOne\n' "$client" >> /etc/magnum/magnum.conf
  done
  mkdir -p /var/lib/magnum/lock && chown -R magnum:magnum /var/lib/magnum /var/log/magnum
}

magnum_db() { mkdb magnum magnum && as magnum magnum-db-manage upgrade; }
