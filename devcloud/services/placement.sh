# Placement, in uwsgi. Sourced by up.sh.
# shellcheck shell=bash

placement_conf() {
  cat > /etc/placement/placement.conf <<CNF
[api]
auth_strategy = keystone
[placement_database]
connection = $(db_url placement placement)
$(authtoken placement)
CNF
  chown -R placement:placement /var/log/placement 2>/dev/null || true
  uwsgi_ini placement /usr/bin/placement-api
}

placement_db() { mkdb placement placement && as placement placement-manage db sync; }
