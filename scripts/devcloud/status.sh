#!/usr/bin/env bash
# One line per daemon (up/down, pid, resident MiB) and per API; exits 1 if anything is down.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
down=0 total_kib=0
printf '%-18s %-5s %8s %8s\n' daemon state pid MiB
for name in mariadb rabbitmq etcd-discovery keystone glance-api neutron-server cinder-api cinder-scheduler cinder-volume \
    heat-api heat-engine magnum-api magnum-conductor placement nova-api nova-conductor nova-scheduler nova-compute \
    octavia-api octavia-worker boot-simulator; do
  if running "$name"; then
    pid=$(cat "$RUN/$name.pid")
    kib=$(ps -o rss= -g "$pid" 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
    total_kib=$((total_kib + kib))
    printf '%-18s %-5s %8s %8d\n' "$name" up "$pid" $((kib / 1024))
  else
    printf '%-18s %-5s\n' "$name" DOWN
    down=1
  fi
done
for api in 5000/v3 9292/ 9696/ 8776/ 8004/ 9511/ 8778/ 8774/ 9876/; do
  code=$(curl -s -o /dev/null -m 3 -w '%{http_code}' "http://127.0.0.1:$api")
  [ "$code" = 000 ] && { printf 'api %-14s DOWN\n' "$api"; down=1; }
done
printf 'total resident: %d MiB\n' $((total_kib / 1024))
exit $down
