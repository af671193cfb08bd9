# Glance: images, in a file store. Sourced by up.sh.
# shellcheck shell=bash

glance_conf() {
  cat > /etc/glance/glance-api.conf <<CNF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $(port glance-api)
workers = 1
$(database_and_authtoken glance)
[paste_deploy]
flavor = keystone
[glance_store]
stores = file
default_store = file
filesystem_store_datadir = /var/lib/glance/images
[oslo_concurrency]
lock_path = /var/lock/glance
CNF
  mkdir -p /var/lib/glance/images /var/lock/glance && chown -R glance:glance /var/lib/glance /var/lock/glance /var/log/glance
}

glance_db() { mkdb glance glance && as glance glance-manage db_sync; }
