# MariaDB: every service's database, on loopback (its default port). Sourced by up.sh.
# shellcheck shell=bash

mariadb_conf() {
  cat > /etc/mysql/mariadb.conf.d/99-devcloud.cnf <<'CNF'
[mysqld]
bind-address = 127.0.0.1
max_connections = 1000
innodb_buffer_pool_size = 128M
skip-name-resolve
CNF
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
}
