# Heat: API and engine. Sourced by up.sh.
# shellcheck shell=bash

heat_conf() {
  # The CloudFormation endpoint (registered, nothing listens): servers would fetch metadata there.
  local cfn; cfn=$(endpoint cloudformation)
  cat > /etc/heat/heat.conf <<CNF
[DEFAULT]
transport_url = $RABBIT
num_engine_workers = 1
region_name_for_services = RegionOne
heat_metadata_server_url = ${cfn%/v1}
heat_waitcondition_server_url = $cfn/waitcondition
stack_domain_admin = heat_domain_admin
stack_domain_admin_password = $SERVICE_PASS
stack_user_domain_name = heat
$(database_and_authtoken heat)
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
bind_port = $(port heat-api)
workers = 1
CNF
  chown -R heat:heat /var/lib/heat /var/log/heat
}

heat_db() { mkdb heat heat && as heat heat-manage db_sync; }
