#!/usr/bin/env bash
# Brings up (or checks) a real OpenStack Zed control plane on 127.0.0.1 from
# Debian's packages: MariaDB, RabbitMQ, Keystone, Glance, Neutron, Cinder, Heat,
# Magnum, Placement, Nova (fake driver), Octavia (no-op drivers), plus the
# etcd-discovery stand-in and the boot simulator. Idempotent: on a running cloud
# it takes seconds; after a reboot it restarts without reinstalling or migrating.
# Writes $DEVCLOUD_HOME/clouds.yaml (cloud "devcloud").
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$DEVCLOUD_DIR/services.sh"
[ "$(id -u)" = 0 ] || die "run as root: services run as their Debian users, started by root"
T0=$(now)
SERVICES="glance neutron cinder heat magnum placement nova octavia"
PACKAGES="mariadb-server python3-pymysql rabbitmq-server keystone python3-openstackclient glance-api neutron-server
  cinder-api cinder-scheduler heat-api heat-engine magnum-api magnum-conductor python3-magnumclient python3-heatclient
  python3-octaviaclient nova-api nova-conductor nova-scheduler placement-api python3-osc-placement octavia-api
  octavia-worker uwsgi-plugin-python3 iptables openssl curl iproute2"
SERVICE_USERS="keystone glance neutron cinder heat magnum placement nova octavia rabbitmq mysql nobody"

stage() { log "$1: $(elapsed "$2") s"; echo "$1 $(elapsed "$2")" >> "$LOG/timings.txt"; }

install_packages() {
  local missing
  # shellcheck disable=SC2086
  missing=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' $PACKAGES 2>/dev/null | awk '$2 != "installed" { print $1 }' || true)
  # dpkg-query prints nothing for packages it has never heard of: count those too.
  # shellcheck disable=SC2086
  [ "$(dpkg-query -W -f='${Package}\n' $PACKAGES 2>/dev/null | wc -l)" -eq "$(echo $PACKAGES | wc -w)" ] || missing=yes
  [ -z "$missing" ] && return 0
  local t; t=$(now)
  log "installing Debian's OpenStack packages (one time, a few minutes)"
  # Package scripts must start nothing: this script starts what it needs.
  [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
  apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $PACKAGES > "$LOG/apt.log" 2>&1 ||
    { tail -20 "$LOG/apt.log" >&2; die "apt-get install failed (log: $LOG/apt.log)"; }
  stage packages "$t"
}

# No OpenStack process may send anything beyond loopback: every floating IP here is a DB row.
egress_guard() {
  local user
  for user in $SERVICE_USERS; do
    iptables -C OUTPUT -m owner --uid-owner "$user" ! -o lo -j REJECT 2>/dev/null ||
      iptables -I OUTPUT -m owner --uid-owner "$user" ! -o lo -j REJECT 2>/dev/null ||
      { log "warning: iptables cannot guard egress here; relying on loopback-only configuration"; return 0; }
  done
}

# One-time schema migrations, concurrently: most of their time is Python start-up and MariaDB.
migrate() {
  local svc pids=() names=() failed=0 i
  for svc in $SERVICES; do
    stamped "$svc" && continue
    ( "${svc}_db" > "$LOG/$svc-db.log" 2>&1 && mark "$svc" ) &
    pids+=($!) names+=("$svc")
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || { log "migration of ${names[$i]} failed: $LOG/${names[$i]}-db.log"; failed=1; }
  done
  [ "$failed" = 0 ] || die "database migrations failed"
}

write_clouds_yaml() {
  (umask 077; cat > "$DEVCLOUD_HOME/clouds.yaml") <<YAML
# Written by scripts/devcloud/up.sh: the loopback test cloud.
clouds:
  devcloud:
    auth:
      auth_url: $KS/v3
      username: admin
      password: $ADMIN_PASS
      project_name: admin
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne
    interface: public
    identity_api_version: 3
YAML
}

main() {
  secrets
  install_packages
  install_plugins
  egress_guard
  local t; t=$(now)
  infra_up; stage infra "$t"
  t=$(now)
  keystone_up
  wait_http $KS/v3 90
  stamped registered || { ADMIN_PASS=$ADMIN_PASS SERVICE_PASS=$SERVICE_PASS /usr/bin/python3 "$DEVCLOUD_DIR/python/register.py" > "$LOG/register.log" 2>&1 && mark registered; } ||
    { cat "$LOG/register.log" >&2; die "catalog registration failed"; }
  stage keystone "$t"
  t=$(now)
  local svc
  for svc in $SERVICES; do "${svc}_conf"; done
  migrate; stage migrations "$t"
  t=$(now)
  for svc in $SERVICES; do "${svc}_start"; done
  wait_http http://127.0.0.1:9292/ 120; wait_http http://127.0.0.1:9696/ 120; wait_http http://127.0.0.1:8776/ 120
  wait_http http://127.0.0.1:8004/ 120; wait_http http://127.0.0.1:9511/ 120; wait_http http://127.0.0.1:8778/ 120
  wait_http http://127.0.0.1:8774/ 120; wait_http http://127.0.0.1:9876/ 120
  stamped flavors || { ADMIN_PASS=$ADMIN_PASS /usr/bin/python3 "$DEVCLOUD_DIR/python/flavors.py" >> "$LOG/register.log" 2>&1 && mark flavors; } ||
    { tail -5 "$LOG/register.log" >&2; die "flavor creation failed"; }
  start boot-simulator nobody env ADMIN_PASS="$ADMIN_PASS" /usr/bin/python3 "$DEVCLOUD_DIR/python/boot_simulator.py"
  stage services "$t"
  write_clouds_yaml
  stage total "$T0"
  log "cloud is up. Use it with:"
  echo "export OS_CLIENT_CONFIG_FILE=$DEVCLOUD_HOME/clouds.yaml OS_CLOUD=devcloud"
}

main "$@"
