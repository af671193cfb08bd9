#!/usr/bin/env bash
# Stops the cloud and forgets its state (databases, keys, images, stamps): the next up.sh is a fresh bring-up.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/base.sh"
take_lock
bash "$DEVCLOUD_DIR/down.sh"
# Never pull the data directory from under a MariaDB that down.sh did not stop (not ours).
! answers mariadb > /dev/null || die "something still listens on 127.0.0.1:$(port mariadb); stop it before a reset"
rm -rf /var/lib/mysql/* "$STAMPS" "$CLOUDS_YAML" /etc/keystone/fernet-keys /etc/keystone/credential-keys \
  /var/lib/glance/images/* /etc/octavia/certs
# MariaDB's data directory must be initialised again before it can start.
command -v mariadb-install-db >/dev/null && mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null 2>&1
log "reset: the next up.sh starts from empty databases"
