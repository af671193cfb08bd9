# Neutron: ML2 without agents, every port bound by python/devcloud_ml2.py. Sourced by up.sh.
# shellcheck shell=bash

neutron_conf() {
  # Unlimited quotas: see README.md, "Quotas".
  cat > /etc/neutron/neutron.conf <<CNF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $(port neutron-server)
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
$(database_and_authtoken neutron)
[nova]
$(service_auth nova)
[oslo_concurrency]
lock_path = /var/lib/neutron/lock
[quotas]
default_quota = -1
$(printf 'quota_%s = -1\n' network subnet port router floatingip security_group security_group_rule)
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

neutron_db() {
  mkdb neutron neutron &&
    as neutron neutron-db-manage --config-file /etc/neutron/neutron.conf --config-file /etc/neutron/plugins/ml2/ml2_conf.ini upgrade head
}
