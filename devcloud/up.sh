#!/usr/bin/env bash
# Brings up (or checks) a real OpenStack Zed control plane on 127.0.0.1 from Debian's packages:
# the daemons of services.table (MariaDB, RabbitMQ, Keystone, Glance, Neutron, Cinder, Heat,
# Magnum, Placement, Nova with the fake driver, Octavia with no-op drivers, the etcd-discovery
# stand-in and the boot simulator), stage by stage. Idempotent: on a running cloud it takes
# seconds; after a reboot it restarts without reinstalling or migrating.
# Writes $DEVCLOUD_HOME/clouds.yaml (cloud "devcloud").
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/base.sh"
source "$DEVCLOUD_DIR/lib/config.sh"
source "$DEVCLOUD_DIR/lib/install.sh"
source_services
[ "$(id -u)" = 0 ] || die "run as root: services run as their Debian users, started by root"
T0=$(now)

# start_service SERVICE: its own start, else every daemon of it in the table.
start_service() {
  if has_hook "$1" start; then hook "$1" start; return; fi
  local daemon
  for daemon in $(daemons_of "$1"); do start "$daemon"; done
}

# wait_service SERVICE SECONDS: until each of its daemons that has a port answers there.
wait_service() { local d; for d in $(daemons_of "$1"); do [ -z "${T_CHECK[$d]}" ] || wait_ready "$d" "$2"; done; }

# A service's one-time initialisation (its db hook), recorded in a stamp named after it.
migrate() { hook "$1" db > "$LOG/$1-db.log" 2>&1 && mark "$1"; }

# The api stage's migrations, all at once and while Keystone comes up: they need only
# MariaDB, and most of their time is Python start-up and DDL round trips.
declare -A MIGRATION=()
migrate_start() {
  local svc
  for svc in $(services api); do
    if stamped "$svc" || ! has_hook "$svc" db; then continue; fi
    migrate "$svc" &
    MIGRATION[$svc]=$!
  done
}

# Each service starts as soon as its own migration is done (Keystone is registered by then).
start_migrated() {
  local svc failed=
  wait_ready rabbitmq 180
  for svc in $(services api); do
    if [ -n "${MIGRATION[$svc]:-}" ] && ! wait "${MIGRATION[$svc]}"; then
      log "migration of $svc failed: $LOG/$svc-db.log"; failed+=" $svc"; continue
    fi
    start_service "$svc"
  done
  [ -z "$failed" ] || die "database migrations failed:$failed"
}

write_clouds_yaml() {
  (umask 077; cat > "$CLOUDS_YAML") <<YAML
# Written by devcloud/up.sh: the loopback test cloud.
clouds:
  $DEVCLOUD_CLOUD:
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
  # Stages follow each other; migrations run during the identity stage, so their own
  # stage is only what is left of them after Keystone is ready.
  local t svc; t=$(now)
  for svc in $(services base); do hook "$svc" conf; start_service "$svc"; done
  # Only MariaDB is needed now; RabbitMQ (slow to boot) is awaited before the api stage starts.
  wait_ready mariadb 120
  stage infra "$t"
  t=$(now)
  for svc in $(services api); do hook "$svc" conf; done
  migrate_start
  for svc in $(services identity); do
    hook "$svc" conf
    stamped "$svc" || migrate "$svc" || die "$svc initialisation failed (log: $LOG/$svc-db.log)"
    start_service "$svc"
    wait_service "$svc" 90
    hook "$svc" ready
  done
  stage keystone "$t"
  t=$(now)
  start_migrated
  stage "migrations (rest)" "$t"
  t=$(now)
  for svc in $(services api); do wait_service "$svc" 180; done
  for svc in $(services api); do hook "$svc" ready; done
  for svc in $(services late); do hook "$svc" conf; start_service "$svc"; done
  stage services "$t"
  write_clouds_yaml
  stage total "$T0"
  log "cloud is up. Use it with:"
  echo "export OS_CLIENT_CONFIG_FILE=$CLOUDS_YAML"
  echo "export OS_CLOUD=$DEVCLOUD_CLOUD"
}

main "$@"
