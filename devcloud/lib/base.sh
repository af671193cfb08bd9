# What every devcloud script starts with: the project's log/die, the cloud's paths, the services
# table, process control, secrets, the lock and one-time stamps. Source, don't run.
# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables here are used by the scripts that source this file
# Everything listens on 127.0.0.1; nothing here may reach another address.
DEVCLOUD_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../../scripts/lib/common.sh
source "$DEVCLOUD_DIR/../scripts/lib/common.sh"
LOG_TAG=devcloud
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin   # Debian's python3, not root's pyenv shims
# Daemons run as service users: a caller's private temp dir (npm test points TMPDIR into
# the clone) is not theirs to write, and MariaDB's InnoDB refuses to start without one.
export TMPDIR=/tmp
# shellcheck source=../defaults.env
source "$DEVCLOUD_DIR/defaults.env"
DEVCLOUD_HOME=${DEVCLOUD_HOME:-$DEVCLOUD_HOME_DEFAULT}
CLOUDS_YAML=$DEVCLOUD_HOME/$DEVCLOUD_CLOUDS_FILE
RUN=$DEVCLOUD_HOME/run LOG=$DEVCLOUD_HOME/log STAMPS=$DEVCLOUD_HOME/stamps CONF=$DEVCLOUD_HOME/conf
mkdir -p "$RUN" "$LOG" "$STAMPS" "$CONF"
# Where lib/install.sh puts our Neutron and Octavia plugins, for every service's python3.
PLUGINS=/usr/local/lib/python3.11/dist-packages
# shellcheck source=table.sh
source "$DEVCLOUD_DIR/lib/table.sh"
# shellcheck source=process.sh
source "$DEVCLOUD_DIR/lib/process.sh"
KS=$(url keystone)
RABBIT=rabbit://guest:guest@127.0.0.1:$(port rabbitmq)/   # RabbitMQ's guest user, which it accepts from loopback only

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

# stamped NAME [FILE...]: whether a one-time step is done (with the FILEs as they are now, if given);
# mark NAME [FILE...]: record it. Idempotent steps name their script, so editing it re-runs them.
stamped() { [ -f "$STAMPS/$1" ] && { [ $# -lt 2 ] || [ "$(cat -- "${@:2}" | md5sum)" = "$(cat "$STAMPS/$1")" ]; }; }
mark() { if [ $# -ge 2 ]; then cat -- "${@:2}" | md5sum > "$STAMPS/$1"; else touch "$STAMPS/$1"; fi; }

# hook SERVICE STEP: run services/<service>.sh's <service>_<step> (dashes as underscores), if it has one;
# has_hook SERVICE STEP: whether it has.
has_hook() { declare -F "${1//-/_}_$2" > /dev/null; }
hook() { ! has_hook "$1" "$2" || "${1//-/_}_$2"; }
# source_services: every service's own file.
source_services() {
  local file
  for file in "$DEVCLOUD_DIR"/services/*.sh; do
    # shellcheck disable=SC1090 # one file a service, found at run time
    source "$file"
  done
}
