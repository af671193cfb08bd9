# Process control of the table's daemons: start, stop, whether one runs, what it read at start,
# and bounded waits for it to answer. Sourced by lib/base.sh.
# shellcheck shell=bash

# $RUN/NAME.pid holds "PID START": the daemon's process group and when that process started
# (the kernel's boot id and clock ticks since boot, from /proc). A PID alone names another process
# once the machine or its PID namespace is new (a restored container starts counting again, so the
# same numbers come back, under the same boot): only the start time tells them apart. Not the boot
# time of /proc/stat: that is the wall clock less the uptime, and moves when the clock is set.

# started_at PID: "BOOT_ID:TICKS" of a live process, nothing (and status 1) if there is none.
started_at() {
  local stat fields
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  # The command name, in parentheses, may hold spaces: count fields after its closing one.
  read -ra fields <<< "${stat##*) }"
  echo "$(cat /proc/sys/kernel/random/boot_id):${fields[19]}"
}

# The boot time /proc/stat gives (seconds since the epoch): what the older PID files were written with.
boot_time() { awk '$1 == "btime" { print $2 }' /proc/stat; }

# pid_of NAME: the recorded daemon's PID if that very process still runs; status 1 otherwise.
# A file without a start time (written before it was recorded) is believed only for a process
# that started no later than the file was written.
pid_of() {
  local file=$RUN/$1.pid pid start now
  [ -f "$file" ] || return 1
  read -r pid start < "$file" || [ -n "${pid:-}" ] || return 1
  now=$(started_at "$pid") || return 1
  local ticks=${now##*:}
  if [[ ${start:-} =~ ^[0-9]+:[0-9]+$ ]]; then
    # Written with the boot time before the boot id was: compare as it was written.
    [ "$(boot_time):$ticks" = "$start" ] || return 1
  elif [ -n "${start:-}" ]; then
    [ "$now" = "$start" ] || return 1
  else
    [ $(($(boot_time) + ticks / $(getconf CLK_TCK))) -le $(($(stat -c %Y "$file") + 1)) ] || return 1
  fi
  echo "$pid"
}

# Forget the PID files whose process is gone or is another process now.
forget_stale_pids() {
  local file
  for file in "$RUN"/*.pid; do
    [ -f "$file" ] || continue
    pid_of "$(basename "$file" .pid)" > /dev/null || rm -f "$file" "${file%.pid}.inputs"
  done
  return 0
}

# Whether a recorded daemon's process still runs.
running() { pid_of "$1" > /dev/null; }

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
    name=$(basename "$file" .pid)
    pid=$(pid_of "$name") || continue
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
    if pid=$(pid_of "$name"); then
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
  spawn "$RUN/$name.pid" "$LOG/$name.out" "$user" "${argv[@]}"
  local pid; read -r pid _ < "$RUN/$name.pid"
  echo "$pid $sum" > "$RUN/$name.inputs"
  log "started $name (pid $pid)"
}

# spawn PIDFILE LOGFILE USER ARGV...: run ARGV in a session of its own as USER, its output appended
# to LOGFILE, and record it in PIDFILE as pid_of reads it.
spawn() {
  local pidfile=$1 logfile=$2 user=$3; shift 3
  nohup setsid setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups "$@" >> "$logfile" 2>&1 < /dev/null 9>&- &
  echo "$! $(started_at $!)" > "$pidfile"
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
