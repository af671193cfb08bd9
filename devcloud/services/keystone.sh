# Keystone: identity, in uwsgi. The identity stage: initialised, started, then it registers
# every service of the table. Sourced by up.sh.
# shellcheck shell=bash

keystone_conf() {
  # bcrypt's minimum cost: every password login (each CLI call, each service) hashes once,
  # and at the default cost of 12 that is a quarter second of keystone's one process.
  cat > /etc/keystone/keystone.conf <<CNF
[identity]
password_hash_rounds = 4
[database]
connection = $(db_url keystone keystone)
[token]
provider = fernet
CNF
  uwsgi_ini keystone /usr/bin/keystone-wsgi-public
}

keystone_db() {
  mkdb keystone keystone &&
  as keystone keystone-manage db_sync &&
  keystone-manage fernet_setup --keystone-user keystone --keystone-group keystone &&
  keystone-manage credential_setup --keystone-user keystone --keystone-group keystone &&
  # The password through the environment (keystone-manage reads OS_BOOTSTRAP_PASSWORD first), not in the
  # process list, which every user of the machine can read.
  OS_BOOTSTRAP_PASSWORD=$ADMIN_PASS keystone-manage bootstrap --bootstrap-username admin --bootstrap-project-name admin \
    --bootstrap-role-name admin --bootstrap-service-name keystone --bootstrap-region-id RegionOne \
    --bootstrap-admin-url "$KS/v3/" --bootstrap-internal-url "$KS/v3/" --bootstrap-public-url "$KS/v3/"
}

# keystone-manage, run as root above, may have left root's log files there.
keystone_start() {
  chown -R keystone:keystone /var/log/keystone
  start keystone
}

# Projects, roles, service users and the catalog of every service in the table.
keystone_ready() { run_once registered "$DEVCLOUD_DIR/python/register.py" "$DEVCLOUD_DIR/services.table" < <(catalog); }
