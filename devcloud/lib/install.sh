# What up.sh sets up on the machine before any service: Debian's packages (the table's and these),
# our Python plugins, and the egress guard (down.sh takes it away). Source, don't run.
# shellcheck shell=bash

# What the scripts themselves use, beside the table's packages.
BASE_PACKAGES="iptables openssl curl iproute2"
# Fallback egress guard (no owner match): the stacks' floating-IP ranges, never this host's own network.
GUARD_CIDRS="198.51.100.0/24 ${DEVCLOUD_GUARD_CIDRS:-}"

# stage NAME T0: log and record how long a stage took since T0.
stage() { local s; s=$(elapsed "$2"); log "$1: $s s"; echo "$1: $s" >> "$LOG/timings.txt"; }

install_packages() {
  local packages missing
  mapfile -t packages < <(service_packages; tr ' ' '\n' <<< "$BASE_PACKAGES")
  missing=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${packages[@]}" 2>/dev/null | awk '$2 != "installed" { print $1 }' || true)
  # dpkg-query prints nothing for packages it has never heard of: count those too.
  [ "$(dpkg-query -W -f='${Package}\n' "${packages[@]}" 2>/dev/null | wc -l)" -eq "${#packages[@]}" ] || missing=yes
  # What an interrupted install left to byte-compile, of the packages still installed, before anything else.
  [ ! -d "$DEFERRED/calls" ] || byte_compile_deferred leftover
  [ -z "$missing" ] && return 0
  local t saved=
  log "installing Debian's OpenStack packages (one time, a few minutes)"
  # Package scripts must start nothing: this script starts what it needs.
  if ! grep -qs '^exit 101' /usr/sbin/policy-rc.d; then
    [ -e /usr/sbin/policy-rc.d ] && { saved=$DEVCLOUD_HOME/policy-rc.d.saved; cp -a /usr/sbin/policy-rc.d "$saved"; }
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
    [ -n "$saved" ] || saved=none
  fi
  t=$(now)
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends --download-only eatmydata "${packages[@]}" > "$LOG/apt.log" 2>&1 ||
    { tail -20 "$LOG/apt.log" >&2; die "apt-get download failed (log: $LOG/apt.log)"; }
  stage packages-download "$t"
  t=$(now)
  # The local cloud's machine is a throwaway one: no fsync after every file (dpkg's --force-unsafe-io, and
  # eatmydata for the packages' own scripts: a crash mid-install means a new machine anyway), and none of the
  # documentation, manual pages or translations unpacked (copyright files kept). Measured in a bare Debian 12
  # chroot, the same packages: 346 s as before, 294 s so (before the byte-compiling was deferred, below).
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends eatmydata >> "$LOG/apt.log" 2>&1 ||
    { tail -20 "$LOG/apt.log" >&2; die "apt-get install of eatmydata failed (log: $LOG/apt.log)"; }
  defer_byte_compiling
  # apt gives dpkg, and so the packages' scripts, the PATH of DPkg::Path (its default, with the stand-in first).
  DEBIAN_FRONTEND=noninteractive eatmydata apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confold \
    -o "DPkg::Path=$DEFERRED/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    -o Dpkg::Options::=--force-unsafe-io -o 'Dpkg::Options::=--path-exclude=/usr/share/doc/*' \
    -o 'Dpkg::Options::=--path-include=/usr/share/doc/*/copyright' -o 'Dpkg::Options::=--path-exclude=/usr/share/man/*' \
    -o 'Dpkg::Options::=--path-exclude=/usr/share/locale/*' "${packages[@]}" >> "$LOG/apt.log" 2>&1 ||
    { tail -20 "$LOG/apt.log" >&2; die "apt-get install failed (log: $LOG/apt.log)"; }
  stage packages-install "$t"
  case $saved in
    none) rm -f /usr/sbin/policy-rc.d ;;
    '') ;;
    *) mv "$saved" /usr/sbin/policy-rc.d ;;
  esac
  t=$(now)
  byte_compile_deferred
  stage packages-byte-compile "$t"
}

# Debian's Python packages byte-compile their modules in their postinst (`py3compile -p PACKAGE`, dh_python3),
# one package after another on one core: most of the install's configure phase (measured on a bare machine on
# 2026-12-04). During the install a stand-in first on dpkg's PATH records each call's arguments instead (the
# postinst runs whichever py3compile it finds on PATH); byte_compile_deferred then runs the real one on every
# recorded call, as many at a time as there are cores. The same files compiled by the same program, after the
# packages rather than between them.
# One place for the machine, as dpkg's database is: calls recorded under one DEVCLOUD_HOME are not lost to another.
DEFERRED=/var/lib/magnum-cdktf-py3compile-deferred
defer_byte_compiling() {
  mkdir -p "$DEFERRED/bin" "$DEFERRED/calls"
  # One file per call, its arguments NUL-separated: nothing of them is ever parsed by a shell. The stand-in
  # finds the calls' folder from its own path.
  cat > "$DEFERRED/bin/py3compile" <<'SH'
#!/bin/sh
printf '%s\0' "$@" > "$(mktemp "${0%/bin/*}/calls/call.XXXXXXXX")"
SH
  chmod 755 "$DEFERRED/bin/py3compile"
}
# byte_compile_deferred [leftover]: runs the recorded calls; with leftover (an interrupted install's), those of
# packages no longer installed are dropped, since py3compile cannot list their files.
byte_compile_deferred() {
  local call args calls
  if [ "${1:-}" = leftover ]; then
    for call in "$DEFERRED"/calls/call.*; do
      [ -e "$call" ] || continue
      mapfile -d '' -t args < "$call"
      if [ "${args[0]:-}" = -p ] && [ "$(dpkg-query -W -f='${db:Status-Status}' "${args[1]:-}" 2>/dev/null)" != installed ]; then
        rm -f "$call"
      fi
    done
  fi
  calls=$(find "$DEFERRED/calls" -type f | wc -l)
  find "$DEFERRED/calls" -type f -print0 |
    xargs -0 -r -P "$(nproc)" -I{} xargs -0 -a {} /usr/bin/py3compile 2>> "$LOG/apt.log" ||
    die "byte-compiling the packages' modules failed (log: $LOG/apt.log; the calls left are in $DEFERRED/calls)"
  log "byte-compiled the packages' modules: $calls py3compile calls, $(nproc) at a time"
  rm -rf "$DEFERRED"
}

# The agent-less ML2 driver and the real-VIP Octavia driver, registered as entry points.
install_plugins() {
  local info=$PLUGINS/magnum_cdktf_devcloud-1.0.dist-info
  # Explicit modes: every service user imports these, whatever umask the caller has.
  install -d -m 755 "$info"
  install -m 644 "$DEVCLOUD_DIR/python/devcloud_ml2.py" "$DEVCLOUD_DIR/python/devcloud_octavia.py" "$PLUGINS/"
  printf 'Metadata-Version: 2.1\nName: magnum-cdktf-devcloud\nVersion: 1.0\n' > "$info/METADATA"
  printf 'devcloud_ml2\ndevcloud_octavia\n' > "$info/top_level.txt"
  cat > "$info/entry_points.txt" <<'EP'
[neutron.ml2.mechanism_drivers]
bind_everything = devcloud_ml2:BindEverythingDriver

[octavia.network.drivers]
real_vip_noop_driver = devcloud_octavia:RealVipNoopDriver
EP
  chmod 644 "$info"/*
}

# guard_rule IPTABLES ACTION USER: IPTABLES (iptables, ip6tables) ACTION (-C, -I, -D) on the rule
# that rejects what USER sends through any interface but lo.
guard_rule() { "$1" "$2" OUTPUT -m owner --uid-owner "$3" ! -o lo -j REJECT; }

# No OpenStack process may send anything beyond loopback: every floating IP here is a DB row.
# Preferred: that rule for each of the table's users. Without the owner match, reject at
# least the ranges the stacks use for floating IPs.
egress_guard() {
  local tables user
  if iptables -S OUTPUT | grep -q -- '--uid-owner' ||
     { guard_rule iptables -I nobody 2>/dev/null && guard_rule iptables -D nobody; }; then
    for tables in iptables ip6tables; do
      command -v $tables >/dev/null || continue
      for user in $(service_users); do
        guard_rule $tables -C "$user" 2>/dev/null || guard_rule $tables -I "$user" ||
          { [ $tables = ip6tables ] || die "iptables refused the egress guard for $user"; }
      done
    done
    return 0
  fi
  local cidr
  for cidr in $GUARD_CIDRS; do
    iptables -C OUTPUT -d "$cidr" -j REJECT 2>/dev/null || iptables -I OUTPUT -d "$cidr" -j REJECT ||
      die "iptables can guard neither by owner nor by range: refusing to start services"
    echo "$cidr" >> "$RUN/guard-cidrs"   # what egress_unguard removes
  done
  log "warning: no iptables owner match here; guarding only $GUARD_CIDRS (DEVCLOUD_GUARD_CIDRS adds ranges)"
}

# Takes away what egress_guard put in place.
egress_unguard() {
  local tables user cidr
  for tables in iptables ip6tables; do
    for user in $(service_users); do
      while guard_rule $tables -D "$user" 2>/dev/null; do :; done
    done
  done
  [ -f "$RUN/guard-cidrs" ] && sort -u "$RUN/guard-cidrs" | while read -r cidr; do
    while iptables -D OUTPUT -d "$cidr" -j REJECT 2>/dev/null; do :; done
  done
  rm -f "$RUN/guard-cidrs"
}
