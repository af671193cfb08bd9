#!/usr/bin/env bash
# Stops what up.sh started, by recorded process group only, and removes the egress guard.
# down.sh NAME... stops only those daemons (names as in status.sh; up.sh starts them again).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/base.sh"
source "$DEVCLOUD_DIR/lib/install.sh"
source_services
take_lock
forget_stale_pids
if [ $# -gt 0 ]; then
  stop "$@"
  log "stopped $*"
  exit 0
fi
# The clusters' control planes first: their controllers talk to the daemons below.
bash "$DEVCLOUD_DIR/k8s.sh" down
names=()
for file in "$RUN"/*.pid; do [ -f "$file" ] && names+=("$(basename "$file" .pid)"); done
stop "${names[@]}"
# What a service leaves outside its daemons' process groups (RabbitMQ's epmd).
for svc in $(services); do hook "$svc" down; done
egress_unguard
log "stopped"
