#!/usr/bin/env bash
# Stops the cloud and forgets its state (databases, keys, images, stamps): the next up.sh is a fresh bring-up.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash "$DEVCLOUD_DIR/down.sh"
rm -rf /var/lib/mysql/* "$STAMPS" "$DEVCLOUD_HOME/clouds.yaml" /etc/keystone/fernet-keys /etc/keystone/credential-keys \
  /var/lib/glance/images/* /etc/octavia/certs
# MariaDB's data directory must be initialised again before it can start.
command -v mariadb-install-db >/dev/null && mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null 2>&1
log "reset: the next up.sh starts from empty databases"
