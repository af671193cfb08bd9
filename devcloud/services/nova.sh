# Nova: API, conductor, scheduler, and compute with the fake driver (python/daemon_main.py runs it:
# the nova-compute package would pull in libvirt and QEMU). Sourced by up.sh.
# shellcheck shell=bash

nova_conf() {
  # Unlimited quotas: see README.md, "Quotas".
  cat > /etc/nova/nova.conf <<CNF
[DEFAULT]
transport_url = $RABBIT
my_ip = 127.0.0.1
host = devcloud
state_path = /var/lib/nova
enabled_apis = osapi_compute
osapi_compute_listen = 127.0.0.1
osapi_compute_listen_port = $(port nova-api)
osapi_compute_workers = 1
compute_driver = fake.FakeDriver
vif_plugging_is_fatal = false
vif_plugging_timeout = 0
[api]
auth_strategy = keystone
[api_database]
connection = $(db_url nova nova_api)
$(database_and_authtoken nova)
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
[quota]
$(printf '%s = -1\n' instances cores ram server_groups server_group_members)
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

# The flavors the example stacks and Kolla's init-runonce use.
nova_ready() { run_once flavors "$DEVCLOUD_DIR/python/flavors.py"; }
