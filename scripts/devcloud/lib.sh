# Shared by the devcloud scripts: paths, secrets, process control. Source, don't run.
# Everything listens on 127.0.0.1; nothing here may reach another address.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin   # Debian's python3, not root's pyenv shims
DEVCLOUD_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DEVCLOUD_HOME=${DEVCLOUD_HOME:-/var/lib/magnum-cdktf-devcloud}
RUN=$DEVCLOUD_HOME/run LOG=$DEVCLOUD_HOME/log STAMPS=$DEVCLOUD_HOME/stamps CONF=$DEVCLOUD_HOME/conf
mkdir -p "$RUN" "$LOG" "$STAMPS" "$CONF"
KS=http://127.0.0.1:5000
RABBIT=rabbit://guest:guest@127.0.0.1:5672/   # RabbitMQ's guest user, which it accepts from loopback only

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

# Whether a recorded daemon's process group is alive.
running() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

# start NAME USER CMD... : run a daemon in its own session as USER, record its process group.
start() {
  local name=$1 user=$2; shift 2
  running "$name" && return 0
  if [ "$user" = root ]; then
    nohup setsid "$@" > "$LOG/$name.out" 2>&1 < /dev/null &
  else
    nohup setsid setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups "$@" > "$LOG/$name.out" 2>&1 < /dev/null &
  fi
  echo $! > "$RUN/$name.pid"
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

wait_port() {
  local port=$1 limit=${2:-120} t0=$SECONDS
  until ss -ltnH "sport = :$port" | grep -q .; do
    [ $((SECONDS - t0)) -lt "$limit" ] || die "nothing listens on 127.0.0.1:$port after $limit s (see $LOG)"
    sleep 0.5
  done
}

# stamp NAME: whether a one-time step is done; mark NAME: record it.
stamped() { [ -f "$STAMPS/$1" ]; }
mark() { touch "$STAMPS/$1"; }

# mkdb NAME USER: a database and its user, reachable over loopback only.
mkdb() {
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
