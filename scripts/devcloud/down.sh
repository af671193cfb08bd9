#!/usr/bin/env bash
# Stops what up.sh started, by recorded process group only, and removes the egress guard.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
groups=()
for file in "$RUN"/*.pid; do
  [ -f "$file" ] || continue
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
    groups+=("$pid")
    log "stopping $(basename "$file" .pid) ($pid)"
  fi
  rm -f "$file"
done
# heat-engine ignores TERM while idle: SIGKILL what is left after 15 s.
for _ in $(seq 15); do
  alive=0
  for g in "${groups[@]}"; do ps -o stat= -g "$g" 2>/dev/null | grep -qv Z && alive=1; done
  [ "$alive" = 0 ] && break
  sleep 1
done
for g in "${groups[@]}"; do ps -o stat= -g "$g" 2>/dev/null | grep -qv Z && kill -KILL -- "-$g" 2>/dev/null; done
# RabbitMQ daemonises epmd into a session of its own: stop the one on our loopback port.
epmd=$(ss -ltnpH 'sport = :4369' 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
[ -n "$epmd" ] && kill "$epmd" 2>/dev/null
for user in keystone glance neutron cinder heat magnum placement nova octavia rabbitmq mysql nobody; do
  iptables -D OUTPUT -m owner --uid-owner "$user" ! -o lo -j REJECT 2>/dev/null || true
done
log "stopped"
