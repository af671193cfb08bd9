# The services table (services.table, whose header explains the columns), read once when sourced,
# and what the other scripts ask of it. Needs DEVCLOUD_DIR, and CONF and PLUGINS to fill in
# placeholders (lib/base.sh sets them). Source, don't run.
# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables here are used by the scripts that source this file

DAEMONS=()   # in table order: start order, status order
declare -A T_SERVICE=() T_STAGE=() T_USER=() T_PORT=() T_CHECK=() T_PACKAGES=() T_INPUTS=() T_CATALOG=() T_COMMAND=()
while read -r daemon service stage user port check packages inputs catalog command; do
  case $daemon in ''|'#'*) continue ;; esac
  [ -n "$command" ] || { printf 'services.table: %s has fewer than 10 columns\n' "$daemon" >&2; exit 1; }
  DAEMONS+=("$daemon")
  # `-` is empty.
  T_SERVICE[$daemon]=$service T_STAGE[$daemon]=$stage T_USER[$daemon]=$user T_PORT[$daemon]=${port#-}
  T_CHECK[$daemon]=${check#-} T_PACKAGES[$daemon]=${packages#-} T_INPUTS[$daemon]=${inputs#-}
  T_CATALOG[$daemon]=${catalog#-} T_COMMAND[$daemon]=$command
done < "$DEVCLOUD_DIR/services.table"
unset daemon service stage user port check packages inputs catalog command

# services [STAGE]: the services (of that stage), in table order, one a line.
services() {
  local d seen=' '
  for d in "${DAEMONS[@]}"; do
    [ -z "${1:-}" ] || [ "${T_STAGE[$d]}" = "$1" ] || continue
    [[ $seen != *" ${T_SERVICE[$d]} "* ]] || continue
    seen+="${T_SERVICE[$d]} "
    echo "${T_SERVICE[$d]}"
  done
}

# daemons_of SERVICE: its daemons, in table order.
daemons_of() { local d; for d in "${DAEMONS[@]}"; do [ "${T_SERVICE[$d]}" != "$1" ] || echo "$d"; done; }

# port DAEMON, url DAEMON: where it listens.
port() { echo "${T_PORT[$1]:-}"; }
url() { echo "http://127.0.0.1:${T_PORT[$1]}"; }

# fill DAEMON WORD: a word of the table with its placeholders filled in. Quoted replacements: a
# path holding `&` stays as it is.
fill() {
  local w=$2
  w=${w//\{wing\}/"$DEVCLOUD_DIR"} w=${w//\{conf\}/"$CONF"} w=${w//\{plugins\}/"$PLUGINS"} w=${w//\{port\}/"${T_PORT[$1]}"}
  printf '%s\n' "$w"
}

# command_of DAEMON, inputs_of DAEMON: its argv, the files it reads at start; one a line (paths
# may hold spaces: the table's words are split before they are filled in).
command_of() { local words w; read -ra words <<< "${T_COMMAND[$1]:-}"; for w in "${words[@]}"; do fill "$1" "$w"; done; }
inputs_of() { local files f; IFS=, read -ra files <<< "${T_INPUTS[$1]:-}"; for f in "${files[@]}"; do fill "$1" "$f"; done; }

# The system users of all daemons, once each; the Debian packages of all daemons, once each.
service_users() { local d; for d in "${DAEMONS[@]}"; do echo "${T_USER[$d]}"; done | awk '!seen[$0]++'; }
service_packages() { local d; for d in "${DAEMONS[@]}"; do tr ',' '\n' <<< "${T_PACKAGES[$d]}"; done | awk 'NF && !seen[$0]++'; }

# catalog: every Keystone catalog entry, "NAME TYPE URL USER" a line; USER (the row's, for its
# Keystone service user) on the first entry of a row only, `-` on the others.
catalog() {
  local d entries entry type name path user
  for d in "${DAEMONS[@]}"; do
    IFS=, read -ra entries <<< "${T_CATALOG[$d]}"
    user=${T_USER[$d]}
    for entry in "${entries[@]}"; do
      IFS=: read -r type name path <<< "$entry"
      case $path in :*) path=http://127.0.0.1$path ;; *) path=$(url "$d")$path ;; esac
      echo "$name $type $path $user"
      user=-
    done
  done
}

# endpoint TYPE: the URL of the catalog entry of that type (awk reads all: an early exit would be a SIGPIPE under pipefail).
endpoint() { catalog | awk -v type="$1" '$2 == type && !found { print $3; found = 1 } END { exit !found }'; }
