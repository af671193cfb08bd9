# Process control of the table's daemons: start, stop, whether one runs, what it read at start,
# and bounded waits for it to answer. Sourced by lib/base.sh.
# shellcheck shell=bash

# PID files written before the last boot name other processes now: forget them.
forget_stale_pids() {
  local boot file; boot=$(awk '$1 == "btime" { print $2 }' /proc/stat)
  for file in "$RUN"/*.pid; do
    [ -f "$file" ] && [ "$(stat -c %Y "$file")" -lt "$boot" ] && rm -f "$file"
  done
  return 0
}

# Whether a recorded daemon's process group is alive.
running() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

# inputs NAME [PID]: the files a daemon reads at start (its inputs in the table), one a line.
# With PID, the script a python3 daemon runs is the one that process runs (maybe another clone's).
inputs() {
  local script=
  if [ -n "${2:-}" ]; then
    local argv; mapfile -t argv < <(command_of "$1")
    [ "${argv[0]:-}" != /usr/bin/python3 ] || script=${argv[1]}
  fi
  local file
  while IFS= read -r file; do
    if [ -n "$script" ] && [ "$file" = "$script" ]; then script_of "$2"; else printf '%s\n' "$file"; fi
  done < <(inputs_of "$1")
}
# script_of PID: the script a running python3 was started with.
script_of() { tr '\0' '\n' < "/proc/$1/cmdline" | sed -n 2p; }
# fingerprint NAME [PID]: one checksum over those files' contents, in order. /dev/null adds
# nothing to the sum and keeps cat off stdin when a name has no files.
fingerprint() {
  local files; mapfile -t files < <(inputs "$@")
  cat -- "${files[@]}" /dev/null 2>/dev/null | md5sum | cut -d' ' -f1
}

# $RUN/NAME.inputs holds "PID FINGERPRINT": what the daemon with that PID read at start.
# Daemons this run did not start (an earlier up.sh, maybe another clone's) are taken to
# have read the files as they are now, before this run rewrites them.
adopt_running() {
  local file name pid
  for file in "$RUN"/*.pid; do
    [ -f "$file" ] || continue
    name=$(basename "$file" .pid) pid=$(cat "$file")
    kill -0 "$pid" 2>/dev/null || continue
    [ "$(cut -d' ' -f1 "$RUN/$name.inputs" 2>/dev/null)" = "$pid" ] && continue
    echo "$pid $(fingerprint "$name" "$pid")" > "$RUN/$name.inputs"
  done
}

# group_alive PGID: whether the process group has a live (not zombie) member.
# shellcheck disable=SC2009 # pgrep cannot leave the group's zombies out
group_alive() { ps -o stat= -g "$1" 2>/dev/null | grep -qv '^Z'; }

# stop NAME...: SIGTERM each recorded process group, SIGKILL what is left after 15 s
# (heat-engine ignores TERM while idle), forget the PID files.
stop() {
  local name pid groups=() g alive
  for name in "$@"; do
    [ -f "$RUN/$name.pid" ] || continue
    pid=$(cat "$RUN/$name.pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
      groups+=("$pid")
      log "stopping $name ($pid)"
    fi
    rm -f "$RUN/$name.pid" "$RUN/$name.inputs"
  done
  for _ in $(seq 30); do
    alive=0
    for g in "${groups[@]}"; do group_alive "$g" && alive=1; done
    [ "$alive" = 0 ] && return 0
    sleep 0.5
  done
  for g in "${groups[@]}"; do group_alive "$g" && kill -KILL -- "-$g" 2>/dev/null; done
  return 0
}

# start NAME: run the daemon's command from the table in its own session as its user, and record
# its process group. A running daemon is left alone unless its inputs changed since it started.
start() {
  local name=$1 user=${T_USER[$1]} sum argv
  mapfile -t argv < <(command_of "$name")
  sum=$(fingerprint "$name")
  if running "$name"; then
    [ "$(cut -d' ' -f2 "$RUN/$name.inputs" 2>/dev/null)" = "$sum" ] && return 0
    log "$name: configuration or code changed since it started: restarting"
    stop "$name"
  fi
  nohup setsid setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups "${argv[@]}" >> "$LOG/$name.out" 2>&1 < /dev/null 9>&- &
  echo $! > "$RUN/$name.pid"
  echo "$! $sum" > "$RUN/$name.inputs"
  log "started $name (pid $!)"
}

# as USER CMD... : run a one-off command as a service user.
as() { local user=$1; shift; setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups "$@"; }

# answers NAME: whether the daemon's port answers as its check column says (an HTTP answer of
# any status for /path, a connection for tcp); echo what it answered (`HTTP 300`, `open`).
# shellcheck disable=SC2016 # $1 is the inner shell's: the port goes to it as an argument, not into its program
answers() {
  local port=${T_PORT[$1]} check=${T_CHECK[$1]} code
  case $check in
    /*) code=$(curl -s -o /dev/null -m 3 -w '%{http_code}' "http://127.0.0.1:$port$check")
        [ "$code" != 000 ] && echo "HTTP $code" ;;
    tcp) timeout 2 bash -c ': < "/dev/tcp/127.0.0.1/$1"' answers "$port" 2>/dev/null && echo open ;;
    *) return 1 ;;
  esac
}

# wait_ready NAME SECONDS: bounded wait for daemon NAME to answer on its port; if it dies
# first, say so at once and show the end of its log.
wait_ready() {
  local name=$1 limit=$2 t0=$SECONDS where="127.0.0.1:${T_PORT[$1]}"
  until answers "$name" > /dev/null; do
    running "$name" || { tail -15 "$LOG/$name.out" >&2; die "$name exited before answering on $where (log: $LOG/$name.out)"; }
    [ $((SECONDS - t0)) -lt "$limit" ] || { tail -15 "$LOG/$name.out" >&2; die "$name does not answer on $where after $limit s (log: $LOG/$name.out)"; }
    sleep 0.5
  done
}
