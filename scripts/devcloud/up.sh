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

# Stages follow each other; migrations run during the keystone stage, so their own
# stage is only what is left of them after Keystone is ready.
stage() { local s; s=$(elapsed "$2"); log "$1: $s s"; echo "$1: $s" >> "$LOG/timings.txt"; }

install_packages() {
  local missing
  # shellcheck disable=SC2086 # PACKAGES is a literal list, split into one word a package
  missing=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' $PACKAGES 2>/dev/null | awk '$2 != "installed" { print $1 }' || true)
  # dpkg-query prints nothing for packages it has never heard of: count those too.
  # shellcheck disable=SC2086 # PACKAGES is a literal list, split into one word a package
  [ "$(dpkg-query -W -f='${Package}\n' $PACKAGES 2>/dev/null | wc -l)" -eq "$(echo $PACKAGES | wc -w)" ] || missing=yes
  [ -z "$missing" ] && return 0
  local t saved=
  log "installing Debian's OpenStack packages (one time, a few minutes)"
  # Package scripts must start nothing: this script starts what it needs.
  if ! grep -qs '^exit 101' /usr/sbin/policy-rc.d; then
    [ -e /usr/sbin/policy-rc.d ] && { saved=$DEVCLOUD_HOME/policy-rc.d.saved; cp -a /usr/sbin/policy-rc.d "$saved"; }
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
    [ -n "$saved" ] || saved=none
  fi
  t=$(now)
  apt-get update -qq
  # shellcheck disable=SC2086 # PACKAGES is a literal list, split into one word a package
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends --download-only $PACKAGES > "$LOG/apt.log" 2>&1 ||
    { tail -20 "$LOG/apt.log" >&2; die "apt-get download failed (log: $LOG/apt.log)"; }
  stage packages-download "$t"
  t=$(now)
  # shellcheck disable=SC2086 # PACKAGES is a literal list, split into one word a package
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confold $PACKAGES >> "$LOG/apt.log" 2>&1 ||
    { tail -20 "$LOG/apt.log" >&2; die "apt-get install failed (log: $LOG/apt.log)"; }
  stage packages-install "$t"
  case $saved in
    none) rm -f /usr/sbin/policy-rc.d ;;
    '') ;;
    *) mv "$saved" /usr/sbin/policy-rc.d ;;
  esac
}

# No OpenStack process may send anything beyond loopback: every floating IP here is a DB row.
# Preferred: reject whatever the service users send through any interface but lo. Without the owner match, reject at least the ranges the
# stacks use for floating IPs.
egress_guard() {
  local tables user
  if iptables -S OUTPUT | grep -q -- '--uid-owner' ||
     { iptables -I OUTPUT -m owner --uid-owner nobody ! -o lo -j REJECT 2>/dev/null &&
       iptables -D OUTPUT -m owner --uid-owner nobody ! -o lo -j REJECT; }; then
    for tables in iptables ip6tables; do
      command -v $tables >/dev/null || continue
      for user in $SERVICE_USERS; do
        $tables -C OUTPUT -m owner --uid-owner "$user" ! -o lo -j REJECT 2>/dev/null ||
          $tables -I OUTPUT -m owner --uid-owner "$user" ! -o lo -j REJECT ||
          { [ $tables = ip6tables ] || die "iptables refused the egress guard for $user"; }
      done
    done
    return 0
  fi
  local cidr
  for cidr in $GUARD_CIDRS; do
    iptables -C OUTPUT -d "$cidr" -j REJECT 2>/dev/null || iptables -I OUTPUT -d "$cidr" -j REJECT ||
      die "iptables can guard neither by owner nor by range: refusing to start services"
    echo "$cidr" >> "$RUN/guard-cidrs"   # what down.sh removes
  done
  log "warning: no iptables owner match here; guarding only $GUARD_CIDRS (DEVCLOUD_GUARD_CIDRS adds ranges)"
}

# One-time schema migrations, all at once and while Keystone comes up: they need only
# MariaDB, and most of their time is Python start-up and DDL round trips.
declare -A MIGRATION=()
migrate_start() {
  local svc
  for svc in $SERVICES; do
    stamped "$svc" && continue
    ( "${svc}_db" > "$LOG/$svc-db.log" 2>&1 && mark "$svc" ) &
    MIGRATION[$svc]=$!
  done
}

# Each service starts as soon as its own migration is done (Keystone is registered by then).
start_services() {
  local svc failed=
  wait_port 5672 180 rabbitmq
  for svc in $SERVICES; do
    if [ -n "${MIGRATION[$svc]:-}" ] && ! wait "${MIGRATION[$svc]}"; then
      log "migration of $svc failed: $LOG/$svc-db.log"; failed+=" $svc"; continue
    fi
    "${svc}_start"
  done
  [ -z "$failed" ] || die "database migrations failed:$failed"
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
  take_lock
  echo "# up $(date -u +%FT%TZ)" >> "$LOG/timings.txt"
  forget_stale_pids
  adopt_running
  secrets
  install_packages
  install_plugins
  egress_guard
  local t; t=$(now)
  infra_up; stage infra "$t"
  t=$(now)
  local svc
  for svc in $SERVICES; do "${svc}_conf"; done
  migrate_start
  keystone_up
  wait_http "$KS/v3" 90
  local script=$DEVCLOUD_DIR/python/register.py
  stamped registered "$script" || { ADMIN_PASS=$ADMIN_PASS SERVICE_PASS=$SERVICE_PASS /usr/bin/python3 "$script" > "$LOG/register.log" 2>&1 && mark registered "$script"; } ||
    { cat "$LOG/register.log" >&2; die "catalog registration failed"; }
  stage keystone "$t"
  t=$(now)
  start_services
  stage "migrations (rest)" "$t"
  t=$(now)
  for port in 9292 9696 8776 8004 9511 8778 8774 9876; do wait_http "http://127.0.0.1:$port/" 180; done
  script=$DEVCLOUD_DIR/python/flavors.py
  stamped flavors "$script" || { ADMIN_PASS=$ADMIN_PASS /usr/bin/python3 "$script" >> "$LOG/register.log" 2>&1 && mark flavors "$script"; } ||
    { tail -5 "$LOG/register.log" >&2; die "flavor creation failed"; }
  # The password goes in the environment, which only its owner can read (a command line anyone can).
  ADMIN_PASS=$ADMIN_PASS start boot-simulator nobody /usr/bin/python3 "$DEVCLOUD_DIR/python/boot_simulator.py"
  stage services "$t"
  write_clouds_yaml
  stage total "$T0"
  log "cloud is up. Use it with:"
  echo "export OS_CLIENT_CONFIG_FILE=$DEVCLOUD_HOME/clouds.yaml"
  echo "export OS_CLOUD=devcloud"
}

main "$@"
