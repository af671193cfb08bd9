# Configuration, one-time initialisation and start of each service. Source, don't run.
# shellcheck shell=bash
# Settings follow the measured probe in shared/reference/devcloud-probe (REPORT.md).

infra_up() {
  cat > /etc/mysql/mariadb.conf.d/99-devcloud.cnf <<'CNF'
[mysqld]
bind-address = 127.0.0.1
max_connections = 1000
innodb_buffer_pool_size = 128M
skip-name-resolve
CNF
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
  start mariadb mysql /usr/sbin/mariadbd
  cat > /etc/rabbitmq/rabbitmq-env.conf <<'CNF'
NODENAME=rabbit@localhost
NODE_IP_ADDRESS=127.0.0.1
NODE_PORT=5672
SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
export ERL_EPMD_ADDRESS=127.0.0.1
CNF
  echo 'listeners.tcp.default = 127.0.0.1:5672' > /etc/rabbitmq/rabbitmq.conf
  mkdir -p /run/rabbitmq /var/log/rabbitmq && chown rabbitmq:rabbitmq /run/rabbitmq /var/log/rabbitmq
  ERL_EPMD_ADDRESS=127.0.0.1 HOME=/var/lib/rabbitmq start rabbitmq rabbitmq /usr/sbin/rabbitmq-server
  start etcd-discovery nobody /usr/bin/python3 "$DEVCLOUD_DIR/python/etcd_discovery.py"
  # Only MariaDB is needed now; RabbitMQ (slow to boot) is awaited before the services start.
  wait_port 3306 120 mariadb
}

# The agent-less ML2 driver and the real-VIP Octavia driver, registered as entry points.
install_plugins() {
  local info=$PLUGINS/magnum_cdktf_devcloud-1.0.dist-info
  # Explicit modes: every service user imports these, whatever umask the caller has.
  install -d -m 755 "$info"
  install -m 644 "$DEVCLOUD_DIR/python/devcloud_ml2.py" "$DEVCLOUD_DIR/python/devcloud_octavia.py" "$PLUGINS/"
  printf 'Metadata-Version: 2.1\nName: magnum-cdktf-devcloud\nVersion: 1.0\n' > "$info/METADATA"
  printf 'devcloud_ml2\ndevcloud_octavia\n' > "$info/top_level.txt"
  cat > "$info/entry_points.txt" <<'EP'
[neutron.ml2.mechanism_drivers]
bind_everything = devcloud_ml2:BindEverythingDriver

[octavia.network.drivers]
real_vip_noop_driver = devcloud_octavia:RealVipNoopDriver
EP
  chmod 644 "$info"/*
}

keystone_up() {
  # bcrypt's minimum cost: every password login (each CLI call, each service) hashes once,
  # and at the default cost of 12 that is a quarter second of keystone's one process.
  cat > /etc/keystone/keystone.conf <<CNF
[identity]
password_hash_rounds = 4
[database]
connection = $(db_url keystone keystone)
[token]
provider = fernet
CNF
  mkdb keystone keystone
  if ! stamped keystone; then
    {
      as keystone keystone-manage db_sync &&
      keystone-manage fernet_setup --keystone-user keystone --keystone-group keystone &&
      keystone-manage credential_setup --keystone-user keystone --keystone-group keystone &&
      keystone-manage bootstrap --bootstrap-password "$ADMIN_PASS" --bootstrap-username admin --bootstrap-project-name admin \
        --bootstrap-role-name admin --bootstrap-service-name keystone --bootstrap-region-id RegionOne \
        --bootstrap-admin-url "$KS/v3/" --bootstrap-internal-url "$KS/v3/" --bootstrap-public-url "$KS/v3/"
    } > "$LOG/keystone-db.log" 2>&1 || die "keystone initialisation failed (log: $LOG/keystone-db.log)"
    mark keystone
  fi
  chown -R keystone:keystone /var/log/keystone
  uwsgi_app keystone keystone 5000 /usr/bin/keystone-wsgi-public
}

# Nothing here is real, so nothing needs rationing: several people's clusters share the
# admin project, and the stock quotas (10 instances, 10 volumes, 10 security groups per
# project) stop the third one. Octavia's and Heat's defaults are already unlimited or ample.
unlimited_quotas() {
  case $1 in
    neutron) printf '[quotas]\ndefault_quota = -1\n'
      printf 'quota_%s = -1\n' network subnet port router floatingip security_group security_group_rule ;;
    cinder) echo 'use_default_quota_class = false'   # else the DB's default class (10 volumes) wins
      printf 'quota_%s = -1\n' volumes snapshots gigabytes backups backup_gigabytes ;;
    nova) echo '[quota]'; printf '%s = -1\n' instances cores ram server_groups server_group_members ;;
    magnum) printf '[quotas]\nmax_clusters_per_project = 1000\n' ;;
  esac
}

# uwsgi_app NAME USER PORT WSGI_FILE: one process, four threads, loopback only. uwsgi's
# http-socket does no keep-alive, so clients are told to close (else they see resets).
uwsgi_app() {
  cat > "$CONF/$1-uwsgi.ini" <<CNF
[uwsgi]
plugins = python3
http-socket = 127.0.0.1:$3
wsgi-file = $4
master = true
processes = 1
threads = 4
enable-threads = true
lazy-apps = true
die-on-term = true
buffer-size = 65535
need-app = true
add-header = Connection: close
CNF
  start "$1" "$2" uwsgi --ini "$CONF/$1-uwsgi.ini"
}

glance_conf() {
  cat > /etc/glance/glance-api.conf <<CNF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = 9292
workers = 1
[database]
connection = $(db_url glance glance)
$(authtoken glance)
[paste_deploy]
flavor = keystone
[glance_store]
stores = file
default_store = file
filesystem_store_datadir = /var/lib/glance/images
[oslo_concurrency]
lock_path = /var/lock/glance
CNF
  mkdir -p /var/lib/glance/images /var/lock/glance && chown -R glance:glance /var/lib/glance /var/lock/glance /var/log/glance
}
glance_db() { mkdb glance glance && as glance glance-manage db_sync; }
glance_start() { start glance-api glance glance-api --config-file /etc/glance/glance-api.conf; }

neutron_conf() {
  cat > /etc/neutron/neutron.conf <<CNF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = 9696
core_plugin = ml2
service_plugins = router
auth_strategy = keystone
transport_url = $RABBIT
api_workers = 0
rpc_workers = 1
rpc_state_report_workers = 0
allow_overlapping_ips = true
dhcp_agent_notification = false
notify_nova_on_port_status_changes = true
notify_nova_on_port_data_changes = true
[database]
connection = $(db_url neutron neutron)
$(authtoken neutron)
[nova]
$(service_auth nova)
[oslo_concurrency]
lock_path = /var/lib/neutron/lock
$(unlimited_quotas neutron)
CNF
  # flat_networks = *: any physical network name (physnet1, physnet2, ...) is accepted.
  cat > /etc/neutron/plugins/ml2/ml2_conf.ini <<CNF
[ml2]
type_drivers = flat,vlan,vxlan
tenant_network_types = vxlan
mechanism_drivers = bind_everything
extension_drivers = port_security
[ml2_type_flat]
flat_networks = *
[ml2_type_vlan]
network_vlan_ranges = physnet1,physnet2
[ml2_type_vxlan]
vni_ranges = 1:1000
[securitygroup]
enable_security_group = true
CNF
  mkdir -p /var/lib/neutron/lock && chown -R neutron:neutron /var/lib/neutron /var/log/neutron
}
neutron_db() { mkdb neutron neutron && as neutron neutron-db-manage --config-file /etc/neutron/neutron.conf --config-file /etc/neutron/plugins/ml2/ml2_conf.ini upgrade head; }
neutron_start() { start neutron-server neutron neutron-server --config-file /etc/neutron/neutron.conf --config-file /etc/neutron/plugins/ml2/ml2_conf.ini; }

cinder_conf() {
  # LVM is impossible here (no device-mapper): Cinder's in-tree fake driver keeps volumes as DB rows.
  cat > /etc/cinder/cinder.conf <<CNF
[DEFAULT]
osapi_volume_listen = 127.0.0.1
osapi_volume_listen_port = 8776
osapi_volume_workers = 1
transport_url = $RABBIT
auth_strategy = keystone
my_ip = 127.0.0.1
glance_api_servers = http://127.0.0.1:9292
state_path = /var/lib/cinder
enabled_backends = fake
$(unlimited_quotas cinder)
[database]
connection = $(db_url cinder cinder)
$(authtoken cinder)
[nova]
$(service_auth nova)
[oslo_concurrency]
lock_path = /var/lib/cinder/tmp
[fake]
volume_driver = cinder.tests.fake_driver.FakeLoggingVolumeDriver
volume_backend_name = fake
CNF
  mkdir -p /var/lib/cinder/tmp && chown -R cinder:cinder /var/lib/cinder /var/log/cinder
}
cinder_db() { mkdb cinder cinder && as cinder cinder-manage db sync; }
cinder_start() {
  start cinder-api cinder cinder-api --config-file /etc/cinder/cinder.conf
  start cinder-scheduler cinder cinder-scheduler --config-file /etc/cinder/cinder.conf
  # From the python module: the cinder-volume package would pull in tgt and LVM.
  start cinder-volume cinder /usr/bin/python3 -c 'import sys; sys.argv=["cinder-volume","--config-file","/etc/cinder/cinder.conf"]; from cinder.cmd.volume import main; sys.exit(main())'
}

heat_conf() {
  cat > /etc/heat/heat.conf <<CNF
[DEFAULT]
transport_url = $RABBIT
num_engine_workers = 1
region_name_for_services = RegionOne
heat_metadata_server_url = http://127.0.0.1:8000
heat_waitcondition_server_url = http://127.0.0.1:8000/v1/waitcondition
stack_domain_admin = heat_domain_admin
stack_domain_admin_password = $SERVICE_PASS
stack_user_domain_name = heat
[database]
connection = $(db_url heat heat)
$(authtoken heat)
[trustee]
auth_type = password
auth_url = $KS
username = heat
password = $SERVICE_PASS
user_domain_name = Default
[clients_keystone]
auth_uri = $KS
[ec2authtoken]
auth_uri = $KS/v3
[heat_api]
bind_host = 127.0.0.1
bind_port = 8004
workers = 1
CNF
  chown -R heat:heat /var/lib/heat /var/log/heat
}
heat_db() { mkdb heat heat && as heat heat-manage db_sync; }
heat_start() {
  start heat-api heat heat-api --config-file /etc/heat/heat.conf
  start heat-engine heat heat-engine --config-file /etc/heat/heat.conf
}

magnum_conf() {
  local client
  cat > /etc/magnum/magnum.conf <<CNF
[DEFAULT]
transport_url = $RABBIT
state_path = /var/lib/magnum
# Notice finished Heat stacks within 10 s instead of 60.
periodic_interval_max = 10
[api]
host = 127.0.0.1
port = 9511
workers = 1
[conductor]
workers = 1
[database]
connection = $(db_url magnum magnum)
$(authtoken magnum)
auth_version = v3
[keystone_auth]
$(service_auth magnum)
[trust]
cluster_user_trust = True
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
etcd_discovery_service_endpoint_format = http://127.0.0.1:2381/new?size=%(size)d
[cinder]
default_docker_volume_type = __DEFAULT__
default_etcd_volume_type = __DEFAULT__
default_boot_volume_type = __DEFAULT__
[oslo_messaging_notifications]
driver = noop
[oslo_concurrency]
lock_path = /var/lib/magnum/lock
$(unlimited_quotas magnum)
CNF
  for client in cinder glance heat neutron nova octavia magnum; do
    printf '[%s_client]\nregion_name = RegionOne\n' "$client" >> /etc/magnum/magnum.conf
  done
  mkdir -p /var/lib/magnum/lock && chown -R magnum:magnum /var/lib/magnum /var/log/magnum
}
magnum_db() { mkdb magnum magnum && as magnum magnum-db-manage upgrade; }
magnum_start() {
  start magnum-api magnum magnum-api --config-file /etc/magnum/magnum.conf
  # Through a wrapper: stock magnum-conductor ignores health_polling_interval (see the script).
  start magnum-conductor magnum /usr/bin/python3 "$DEVCLOUD_DIR/python/magnum_conductor.py" --config-file /etc/magnum/magnum.conf
}

placement_conf() {
  cat > /etc/placement/placement.conf <<CNF
[api]
auth_strategy = keystone
[placement_database]
connection = $(db_url placement placement)
$(authtoken placement)
CNF
  chown -R placement:placement /var/log/placement 2>/dev/null || true
}
placement_db() { mkdb placement placement && as placement placement-manage db sync; }
placement_start() { uwsgi_app placement placement 8778 /usr/bin/placement-api; }

nova_conf() {
  cat > /etc/nova/nova.conf <<CNF
[DEFAULT]
transport_url = $RABBIT
my_ip = 127.0.0.1
host = devcloud
state_path = /var/lib/nova
enabled_apis = osapi_compute
osapi_compute_listen = 127.0.0.1
osapi_compute_listen_port = 8774
osapi_compute_workers = 1
compute_driver = fake.FakeDriver
vif_plugging_is_fatal = false
vif_plugging_timeout = 0
[api]
auth_strategy = keystone
[api_database]
connection = $(db_url nova nova_api)
[database]
connection = $(db_url nova nova)
$(authtoken nova)
[conductor]
workers = 1
[scheduler]
workers = 1
discover_hosts_in_cells_interval = 10
[placement]
$(service_auth placement)
[neutron]
$(service_auth neutron)
[cinder]
os_region_name = RegionOne
[service_user]
# Debian's Cinder carries the OSSA-2023-003 fix: detach needs Nova's service token.
send_service_user_token = true
$(service_auth nova)
[glance]
region_name = RegionOne
[vnc]
enabled = false
[spice]
enabled = false
[oslo_concurrency]
lock_path = /var/lib/nova/tmp
$(unlimited_quotas nova)
CNF
  mkdir -p /var/lib/nova/tmp /var/lib/nova/instances && chown -R nova:nova /var/lib/nova /var/log/nova
}
nova_db() {
  local db
  for db in nova_api nova nova_cell0; do mkdb "$db" nova; done
  as nova nova-manage api_db sync && as nova nova-manage cell_v2 map_cell0 &&
    { as nova nova-manage cell_v2 list_cells | grep -q ' cell1 ' || as nova nova-manage cell_v2 create_cell --name cell1; } &&
    as nova nova-manage db sync
}
nova_start() {
  start nova-api nova nova-api --config-file /etc/nova/nova.conf
  start nova-conductor nova nova-conductor --config-file /etc/nova/nova.conf
  start nova-scheduler nova nova-scheduler --config-file /etc/nova/nova.conf
  # From the python module: the nova-compute package would pull in libvirt and QEMU.
  start nova-compute nova /usr/bin/python3 -c 'import sys; sys.argv=["nova-compute","--config-file","/etc/nova/nova.conf"]; from nova.cmd.compute import main; sys.exit(main())'
}

octavia_conf() {
  local certs=/etc/octavia/certs
  # The amphora flow signs a server certificate even with no-op drivers: it needs a CA.
  if [ ! -f $certs/ca.pem ]; then
    mkdir -p $certs
    openssl req -x509 -newkey rsa:2048 -nodes -keyout $certs/ca.key -out $certs/ca.pem -days 3650 -subj /CN=devcloud-octavia-ca 2>/dev/null
    chown -R octavia:octavia $certs && chmod 600 $certs/ca.key
  fi
  cat > /etc/octavia/octavia.conf <<CNF
[DEFAULT]
transport_url = $RABBIT
[api_settings]
bind_host = 127.0.0.1
bind_port = 9876
auth_strategy = keystone
enabled_provider_drivers = amphora:Amphora provider with no-op drivers
default_provider_driver = amphora
[database]
connection = $(db_url octavia octavia)
$(authtoken octavia)
[service_auth]
$(service_auth octavia)
[controller_worker]
amphora_driver = amphora_noop_driver
compute_driver = compute_noop_driver
network_driver = real_vip_noop_driver
volume_driver = volume_noop_driver
image_driver = image_noop_driver
distributor_driver = distributor_noop_driver
loadbalancer_topology = SINGLE
client_ca = $certs/ca.pem
workers = 1
[certificates]
cert_generator = local_cert_generator
ca_certificate = $certs/ca.pem
ca_private_key = $certs/ca.key
[health_manager]
bind_ip = 127.0.0.1
bind_port = 5555
[oslo_messaging]
topic = octavia_prov
[oslo_concurrency]
lock_path = /var/lib/octavia/lock
CNF
  mkdir -p /var/lib/octavia/lock && chown -R octavia:octavia /var/lib/octavia /var/log/octavia
}
octavia_db() { mkdb octavia octavia && as octavia octavia-db-manage upgrade head; }
octavia_start() {
  start octavia-api octavia octavia-api --config-file /etc/octavia/octavia.conf
  start octavia-worker octavia octavia-worker --config-file /etc/octavia/octavia.conf
}
