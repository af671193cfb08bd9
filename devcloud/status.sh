#!/usr/bin/env bash
# One line per daemon of services.table: up/down, process group, resident MiB, and what its port
# answers (an HTTP status for the APIs, "open" for MariaDB/RabbitMQ, "-" for daemons without a port).
# Exits 1 if anything is down or a port does not answer.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/base.sh"
source_services
down=0 total_kib=0
printf '%-17s %-5s %7s %6s  %s\n' daemon state pgid MiB port
for name in "${DAEMONS[@]}"; do
  port=${T_PORT[$name]} answer=-
  if [ -n "${T_CHECK[$name]}" ]; then
    if answer=$(answers "$name"); then answer="$port $answer"; else answer="$port no answer"; down=1; fi
  fi
  if pid=$(pid_of "$name"); then
    kib=$(ps -o rss= -g "$pid" 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
    total_kib=$((total_kib + kib))
    printf '%-17s %-5s %7s %6d  %s\n' "$name" up "$pid" $((kib / 1024)) "$answer"
  else
    printf '%-17s %-5s %7s %6s  %s\n' "$name" DOWN - - "$answer"
    down=1
  fi
done
epmd=$(epmd_pid)
[ -n "$epmd" ] && total_kib=$((total_kib + $(ps -o rss= -p "$epmd" 2>/dev/null || echo 0)))
printf 'total resident: %d MiB\n' $((total_kib / 1024))
exit $down
