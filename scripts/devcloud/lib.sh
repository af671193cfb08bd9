# Shared by the devcloud scripts: paths, secrets, process control. Source, don't run.
# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables here are used by the scripts that source this file
# Everything listens on 127.0.0.1; nothing here may reach another address.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin   # Debian's python3, not root's pyenv shims
# Daemons run as service users: a caller's private temp dir (npm test points TMPDIR into
# the clone) is not theirs to write, and MariaDB's InnoDB refuses to start without one.
export TMPDIR=/tmp
DEVCLOUD_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DEVCLOUD_HOME=${DEVCLOUD_HOME:-/var/lib/magnum-cdktf-devcloud}
RUN=$DEVCLOUD_HOME/run LOG=$DEVCLOUD_HOME/log STAMPS=$DEVCLOUD_HOME/stamps CONF=$DEVCLOUD_HOME/conf
mkdir -p "$RUN" "$LOG" "$STAMPS" "$CONF"
KS=http://127.0.0.1:5000
RABBIT=rabbit://guest:guest@127.0.0.1:5672/   # RabbitMQ's guest user, which it accepts from loopback only
# The users every daemon runs as (nobody: the etcd-discovery stand-in and the boot simulator).
SERVICE_USERS="keystone glance neutron cinder heat magnum placement nova octavia rabbitmq mysql nobody"
# Fallback egress guard (no owner match): the stacks' floating-IP ranges, never this host's own network.
GUARD_CIDRS="198.51.100.0/24 ${DEVCLOUD_GUARD_CIDRS:-}"

log() { printf '[devcloud] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
now() { date +%s.%N | cut -c1-14; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# Random passwords, made once per cloud and kept out of the repository.
secrets() {
  local file=$DEVCLOUD_HOME/secrets.env
  if [ ! -f "$file" ]; then
    # In a subshell: the umask must not reach the config files services read.
    (umask 077; { echo "ADMIN_PASS=$(openssl rand -hex 16)"; echo "SERVICE_PASS=$(openssl rand -hex 16)"; echo "DB_PASS=$(openssl rand -hex 16)"; } > "$file")
  fi
  # shellcheck disable=SC1090
  source "$file"
}

# One up/down/reset at a time: `npm test` runs up.sh while someone may be running down.sh.
# Daemons must not inherit fd 9, or they would hold the lock for their lifetime (start() closes it).
take_lock() {
  [ -z "${DEVCLOUD_LOCKED:-}" ] || return 0   # a caller (reset.sh) holds it for us
  exec 9> "$DEVCLOUD_HOME/.lock"
  flock -w "${DEVCLOUD_LOCK_WAIT:-900}" 9 || die "another devcloud up/down/reset still runs after ${DEVCLOUD_LOCK_WAIT:-900} s"
  export DEVCLOUD_LOCKED=1
}

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

PLUGINS=/usr/local/lib/python3.11/dist-packages
# inputs NAME [PID]: the files a daemon reads at start (configuration, our own code), one a line
# (DEVCLOUD_HOME and the clone's path may hold spaces).
# With PID, our Python daemons' code is the file that process runs (maybe another clone's).
inputs() {
  case $1 in
    etcd-discovery) if [ -n "${2:-}" ]; then script_of "$2"; else lines "$DEVCLOUD_DIR/python/etcd_discovery.py"; fi ;;
    boot-simulator) if [ -n "${2:-}" ]; then script_of "$2"; else lines "$DEVCLOUD_DIR/python/boot_simulator.py"; fi ;;
    mariadb) lines /etc/mysql/mariadb.conf.d/99-devcloud.cnf ;;
    rabbitmq) lines /etc/rabbitmq/rabbitmq-env.conf /etc/rabbitmq/rabbitmq.conf ;;
    keystone) lines /etc/keystone/keystone.conf "$CONF/keystone-uwsgi.ini" ;;
    placement) lines /etc/placement/placement.conf "$CONF/placement-uwsgi.ini" ;;
    glance-api) lines /etc/glance/glance-api.conf ;;
    neutron-server) lines /etc/neutron/neutron.conf /etc/neutron/plugins/ml2/ml2_conf.ini "$PLUGINS/devcloud_ml2.py" ;;
    cinder-*) lines /etc/cinder/cinder.conf ;;
    heat-*) lines /etc/heat/heat.conf ;;
    magnum-api) lines /etc/magnum/magnum.conf ;;
    magnum-conductor) lines /etc/magnum/magnum.conf
      if [ -n "${2:-}" ]; then script_of "$2"; else lines "$DEVCLOUD_DIR/python/magnum_conductor.py"; fi ;;
    nova-*) lines /etc/nova/nova.conf ;;
    octavia-*) lines /etc/octavia/octavia.conf "$PLUGINS/devcloud_octavia.py" ;;
  esac
}
lines() { printf '%s\n' "$@"; }
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

# start NAME USER CMD... : run a daemon in its own session as USER, record its process group.
# A running daemon is left alone unless its configuration or code changed since it started.
start() {
  local name=$1 user=$2 sum; shift 2
  sum=$(fingerprint "$name")
  if running "$name"; then
    [ "$(cut -d' ' -f2 "$RUN/$name.inputs" 2>/dev/null)" = "$sum" ] && return 0
    log "$name: configuration or code changed since it started: restarting"
    stop "$name"
  fi
  if [ "$user" = root ]; then
    nohup setsid "$@" >> "$LOG/$name.out" 2>&1 < /dev/null 9>&- &
  else
    nohup setsid setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups "$@" >> "$LOG/$name.out" 2>&1 < /dev/null 9>&- &
  fi
  echo $! > "$RUN/$name.pid"
  echo "$! $sum" > "$RUN/$name.inputs"
  log "started $name (pid $!)"
}

# as USER CMD... : run a one-off command as a service user.
as() { local user=$1; shift; setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups "$@"; }

# wait_http URL [SECONDS]: bounded wait for an HTTP answer (any status).
wait_http() {
  local url=$1 limit=${2:-120} t0=$SECONDS
  until curl -s -o /dev/null -m 2 "$url"; do
    [ $((SECONDS - t0)) -lt "$limit" ] || die "$url did not answer within $limit s (see $LOG)"
    sleep 0.5
  done
}

# answers PORT: whether something accepts a TCP connection there.
# shellcheck disable=SC2016 # $1 is the inner shell's: the port goes to it as an argument, not into its program
answers() { timeout 2 bash -c ': < "/dev/tcp/127.0.0.1/$1"' answers "$1" 2>/dev/null; }

# wait_port PORT SECONDS NAME: bounded wait for daemon NAME to listen on PORT; if it dies
# first, say so at once and show the end of its log.
wait_port() {
  local port=$1 limit=$2 name=$3 t0=$SECONDS
  until ss -ltnH "sport = :$port" | grep -q .; do
    running "$name" || { tail -15 "$LOG/$name.out" >&2; die "$name exited before listening on 127.0.0.1:$port (log: $LOG/$name.out)"; }
    [ $((SECONDS - t0)) -lt "$limit" ] || { tail -15 "$LOG/$name.out" >&2; die "$name does not listen on 127.0.0.1:$port after $limit s (log: $LOG/$name.out)"; }
    sleep 0.5
  done
}

# stamped NAME [FILE]: whether a one-time step is done (with FILE as it is now, if given);
# mark NAME [FILE]: record it. Idempotent steps name their script, so editing it re-runs them.
stamped() { [ -f "$STAMPS/$1" ] && { [ -z "${2:-}" ] || [ "$(md5sum < "$2")" = "$(cat "$STAMPS/$1")" ]; }; }
mark() { if [ -n "${2:-}" ]; then md5sum < "$2" > "$STAMPS/$1"; else touch "$STAMPS/$1"; fi; }

# mkdb NAME USER: a database and its user, reachable over loopback only.
# SQL takes no arguments: the names and the password are checked to be plain words first.
mkdb() {
  [[ $1 =~ ^[a-z0-9_]+$ && $2 =~ ^[a-z0-9_]+$ ]] || die "mkdb: '$1', '$2' are not plain database and user names"
  [[ $DB_PASS =~ ^[A-Za-z0-9]+$ ]] || die "DB_PASS in $DEVCLOUD_HOME/secrets.env must be letters and digits (it is made by openssl rand -hex)"
  mysql -uroot -e "CREATE DATABASE IF NOT EXISTS $1;
    CREATE USER IF NOT EXISTS '$2'@'127.0.0.1' IDENTIFIED BY '$DB_PASS';
    ALTER USER '$2'@'127.0.0.1' IDENTIFIED BY '$DB_PASS';
    GRANT ALL ON $1.* TO '$2'@'127.0.0.1';"
}

db_url() { echo "mysql+pymysql://$1:$DB_PASS@127.0.0.1/$2"; }

# A password-auth section for a service's client of another service.
service_auth() {
  cat <<CNF
auth_url = $KS
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $SERVICE_PASS
region_name = RegionOne
CNF
}

# The [keystone_authtoken] block of a service: its service credentials plus the URI clients are sent to.
authtoken() {
  printf '[keystone_authtoken]\nwww_authenticate_uri = %s\n' "$KS"
  service_auth "$1"
}
