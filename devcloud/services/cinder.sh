# Cinder: API, scheduler, and volume with Cinder's in-tree fake driver (python/daemon_main.py runs it:
# the cinder-volume package would pull in tgt and LVM). Sourced by up.sh.
# shellcheck shell=bash

cinder_conf() {
  # LVM is impossible here (no device-mapper): Cinder's in-tree fake driver keeps volumes as DB rows.
  # Unlimited quotas (see README.md, "Quotas"); without use_default_quota_class = false the DB's
  # default class (10 volumes) wins.
  cat > /etc/cinder/cinder.conf <<CNF
[DEFAULT]
osapi_volume_listen = 127.0.0.1
osapi_volume_listen_port = $(port cinder-api)
osapi_volume_workers = 1
transport_url = $RABBIT
auth_strategy = keystone
my_ip = 127.0.0.1
glance_api_servers = $(endpoint image)
state_path = /var/lib/cinder
enabled_backends = fake
use_default_quota_class = false
$(printf 'quota_%s = -1\n' volumes snapshots gigabytes backups backup_gigabytes)
$(database_and_authtoken cinder)
[nova]
$(service_auth nova)
[oslo_concurrency]
lock_path = /var/lib/cinder/tmp
[fake]
volume_driver = cinder.tests.fake_driver.FakeLoggingVolumeDriver
volume_backend_name = fake
CNF
  mkdir -p /var/lib/cinder/tmp && chown -R cinder:cinder /var/lib/cinder /var/log/cinder
}

cinder_db() { mkdb cinder cinder && as cinder cinder-manage db sync; }

# Every bring-up, not once: the scheduler forgets the pools when it restarts.
cinder_ready() {
  ADMIN_PASS=$ADMIN_PASS OS_AUTH_URL=$KS/v3 /usr/bin/python3 "$DEVCLOUD_DIR/python/cinder_pools.py" > "$LOG/cinder-pools.log" 2>&1 ||
    { cat "$LOG/cinder-pools.log" >&2; die "Cinder cannot place volumes (log: $LOG/cinder-pools.log)"; }
}
