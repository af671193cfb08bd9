# Helpers for the services' configuration and databases (services/*.sh). Source, don't run.
# shellcheck shell=bash

# mkdb NAME USER: a database and its user, reachable over loopback only.
# SQL takes no arguments: the names and the password are checked to be plain words first. The SQL goes on
# stdin, not in `mysql -e`: the password must not be in the process list, which every user can read.
mkdb() {
  [[ $1 =~ ^[a-z0-9_]+$ && $2 =~ ^[a-z0-9_]+$ ]] || die "mkdb: '$1', '$2' are not plain database and user names"
  [[ $DB_PASS =~ ^[A-Za-z0-9]+$ ]] || die "DB_PASS in $DEVCLOUD_HOME/secrets.env must be letters and digits (it is made by openssl rand -hex)"
  mysql -uroot <<SQL
CREATE DATABASE IF NOT EXISTS $1;
CREATE USER IF NOT EXISTS '$2'@'127.0.0.1' IDENTIFIED BY '$DB_PASS';
ALTER USER '$2'@'127.0.0.1' IDENTIFIED BY '$DB_PASS';
GRANT ALL ON $1.* TO '$2'@'127.0.0.1';
SQL
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

# database_and_authtoken NAME: the [database] of a service whose database and user are NAME, and its
# [keystone_authtoken].
database_and_authtoken() {
  printf '[database]\nconnection = %s\n' "$(db_url "$1" "$1")"
  authtoken "$1"
}

# uwsgi_ini NAME WSGI_FILE: $CONF/NAME-uwsgi.ini, which the table's command for NAME runs: one
# process, four threads, on the table's port on loopback only. uwsgi's http-socket does no
# keep-alive, so clients are told to close (else they see resets).
uwsgi_ini() {
  cat > "$CONF/$1-uwsgi.ini" <<CNF
[uwsgi]
plugins = python3
http-socket = 127.0.0.1:$(port "$1")
wsgi-file = $2
master = true
processes = 1
threads = 4
enable-threads = true
lazy-apps = true
die-on-term = true
buffer-size = 65535
need-app = true
add-header = Connection: close
CNF
}

# run_once STAMP SCRIPT [FILE...]: run our Python SCRIPT against Keystone as the cloud's admin (its
# stdin passed on), unless it already ran with SCRIPT and the FILEs as they are now. Log: $LOG/STAMP.log.
run_once() {
  local stamp=$1 script=$2
  stamped "$stamp" "${@:2}" && return 0
  ADMIN_PASS=$ADMIN_PASS SERVICE_PASS=$SERVICE_PASS OS_AUTH_URL=$KS/v3 /usr/bin/python3 "$script" > "$LOG/$stamp.log" 2>&1 ||
    { tail -20 "$LOG/$stamp.log" >&2; die "$(basename "$script") failed (log: $LOG/$stamp.log)"; }
  mark "$stamp" "${@:2}"
}
