# Octavia: amphora provider with no-op drivers; VIPs are real Neutron ports (python/devcloud_octavia.py).
# Sourced by up.sh.
# shellcheck shell=bash

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
bind_port = $(port octavia-api)
auth_strategy = keystone
enabled_provider_drivers = amphora:Amphora provider with no-op drivers
default_provider_driver = amphora
$(database_and_authtoken octavia)
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
