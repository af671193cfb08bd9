#!/usr/bin/env bash
# One line per daemon: up/down, process group, resident MiB, and what its port answers
# (an HTTP status for the APIs, "open" for MariaDB/RabbitMQ, "-" for daemons without a port).
# Exits 1 if anything is down or a port does not answer.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
forget_stale_pids
down=0 total_kib=0
# daemon:port:path (path empty: a plain TCP check)
DAEMONS="mariadb:3306: rabbitmq:5672: etcd-discovery:2381:/new?size=1 keystone:5000:/v3 glance-api:9292:/
  neutron-server:9696:/ cinder-api:8776:/ cinder-scheduler:: cinder-volume:: heat-api:8004:/ heat-engine::
  magnum-api:9511:/ magnum-conductor:: placement:8778:/ nova-api:8774:/ nova-conductor:: nova-scheduler::
  nova-compute:: octavia-api:9876:/ octavia-worker:: boot-simulator::"
printf '%-17s %-5s %7s %6s  %s\n' daemon state pgid MiB port
for entry in $DAEMONS; do
  IFS=: read -r name port path <<< "$entry"
  answer=-
  if [ -n "$path" ]; then
    code=$(curl -s -o /dev/null -m 3 -w '%{http_code}' "http://127.0.0.1:$port$path")
    if [ "$code" != 000 ]; then answer="$port HTTP $code"; else answer="$port no answer"; down=1; fi
  elif [ -n "$port" ]; then
    if answers "$port"; then answer="$port open"; else answer="$port no answer"; down=1; fi
  fi
  if running "$name"; then
    pid=$(cat "$RUN/$name.pid")
    kib=$(ps -o rss= -g "$pid" 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
    total_kib=$((total_kib + kib))
    printf '%-17s %-5s %7s %6d  %s\n' "$name" up "$pid" $((kib / 1024)) "$answer"
  else
    printf '%-17s %-5s %7s %6s  %s\n' "$name" DOWN - - "$answer"
    down=1
  fi
done
# epmd is RabbitMQ's, daemonised outside its process group.
epmd=$(ss -ltnpH 'sport = :4369' 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
[ -n "$epmd" ] && total_kib=$((total_kib + $(ps -o rss= -p "$epmd" 2>/dev/null || echo 0)))
printf 'total resident: %d MiB\n' $((total_kib / 1024))
exit $down
