#!/usr/bin/env bash
# Stops what up.sh started, by recorded process group only, and removes the egress guard.
# down.sh NAME... stops only those daemons (names as in status.sh; up.sh starts them again).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
take_lock
forget_stale_pids
if [ $# -gt 0 ]; then
  stop "$@"
else
  names=()
  for file in "$RUN"/*.pid; do [ -f "$file" ] && names+=("$(basename "$file" .pid)"); done
  stop "${names[@]}"
fi
[ $# -eq 0 ] || { log "stopped $*"; exit 0; }
# RabbitMQ daemonises epmd into a session of its own: stop the one on our loopback port.
epmd=$(ss -ltnpH 'sport = :4369' 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
[ -n "$epmd" ] && [ "$(ps -o user= -p "$epmd")" = rabbitmq ] && kill "$epmd" 2>/dev/null
for tables in iptables ip6tables; do
  for user in $SERVICE_USERS; do
    while $tables -D OUTPUT -m owner --uid-owner "$user" ! -o lo -j REJECT 2>/dev/null; do :; done
  done
done
[ -f "$RUN/guard-cidrs" ] && sort -u "$RUN/guard-cidrs" | while read -r cidr; do
  while iptables -D OUTPUT -d "$cidr" -j REJECT 2>/dev/null; do :; done
done
rm -f "$RUN/guard-cidrs"
log "stopped"
