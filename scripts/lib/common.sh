# Shared by the project's shell scripts, the local cloud's (devcloud/lib/base.sh) too: paths, the one
# log/die, timings. Source, don't run.
# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables here are used by the scripts that source this file
PROJECT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Built providers and OpenTofu are cached across clones and runs here.
CACHE_DIR=${MAGNUM_CDKTF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/magnum-cdktf}
# Per-clone state written by setup: the environment file and the CLI config.
TOOLCHAIN_DIR=$PROJECT_ROOT/.toolchain

log() { printf '[%s] %s\n' "${LOG_TAG:-setup}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Seconds since the epoch with millisecond precision, for stage timings.
now() { date +%s.%N | cut -c1-14; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# background_low NICE COMMAND...: starts COMMAND in the background at nice NICE (or at the caller's nice value,
# if that is higher: a user cannot raise a priority), in a session (and so a process group) of its own, and sets
# BG_PID to its pid, which is also that group's id (kill -- -"$BG_PID"). NICE is absolute, not nice's increment:
# a job started from a run that is itself lowered (the Node 22 tier runs npm test inside the unit and integration
# tiers) takes NICE, not the sum.
# nice alone does not lower a command in a session of its own: the kernel shares the CPU between sessions
# first (sched_autogroup, on in Debian's kernels), and a nice value weighs only inside its session. Measured
# here, one core, a loop at nice 0 beside one at nice 10 in a new session: 302 and 312 ticks; with the
# session's own nice value set as well (/proc/self/autogroup): 544 and 63, as two loops in one session
# (545 and 60). So the command's session takes the same value (where the kernel has no autogroups, nice alone
# is what counts). Redirect the caller's output as for any command. Without job control only (scripts run so):
# with set -m, setsid would fork and BG_PID would name a process that is gone.
background_low() {
  local own n
  own=$(nice)
  n=$(($1 > own ? $1 : own))
  shift
  # The kernel refuses a user without CAP_SYS_ADMIN a second autogroup write within 0.1 s (EAGAIN): try again.
  # shellcheck disable=SC2016 # the inner program's own $0 and $@, not ours
  setsid bash -c 'for _ in 1 2 3 4 5; do
      { [ ! -e /proc/self/autogroup ] || echo "$0" > /proc/self/autogroup; } 2> /dev/null && break
      sleep 0.1
    done
    exec nice -n "$1" -- "${@:2}"' "$n" "$((n - own))" "$@" &
  BG_PID=$!
}

# wait_noting_signals COMMAND...: runs COMMAND and waits for it, as a script that has more to do after it
# (where it would otherwise exec it): WAITED_STATUS is its exit status, and WAITED_INTERRUPTED is 1 once this
# shell was sent SIGINT, SIGTERM or SIGHUP during this wait or an earlier one. In the background (stdin kept), so that a SIGTERM or
# SIGHUP sent to this shell alone reaches COMMAND; Ctrl-C reaches COMMAND from the terminal as it reaches this
# shell, and is only noted (a second SIGINT would stop Terraform at once), so a SIGINT sent to this shell alone
# does not reach COMMAND. Without job control (scripts run so), where a background command starts with SIGINT
# ignored: COMMAND must be a Node program, which sets SIGINT back to its default as it starts.
wait_noting_signals() {
  WAITED_INTERRUPTED=${WAITED_INTERRUPTED:-}
  trap 'WAITED_INTERRUPTED=1' INT
  trap 'WAITED_INTERRUPTED=1; kill -TERM "$waited_pid" 2> /dev/null || true' TERM
  trap 'WAITED_INTERRUPTED=1; kill -HUP "$waited_pid" 2> /dev/null || true' HUP
  "$@" <&0 &
  waited_pid=$!
  # wait returns early for a trapped signal; once COMMAND is gone, wait gives its own status.
  while kill -0 "$waited_pid" 2> /dev/null; do wait "$waited_pid" || true; done
  WAITED_STATUS=0
  wait "$waited_pid" || WAITED_STATUS=$?
}

# The CDK CLI this checkout runs: cdktf, or cdktn in the CDK Terrain flavour (scripts/cdktn-swap.sh), whose
# CLI takes the same commands, flags, cdktf.json and CDKTF_* variables.
cdk_cli() { if [ -e "$PROJECT_ROOT/node_modules/cdktn-cli/package.json" ]; then echo cdktn; else echo cdktf; fi; }

# copy_tree DIR: the working tree as the tests see it into DIR (made empty first): tracked files and new ones
# git does not ignore, but not the tracked ones deleted from it. For the flavours the tests build beside it.
# DIR must be absolute and outside the tree, or in an ignored folder of it (.tmp/). The copy is a git checkout
# of its own with every file staged, as git lists them here, so that a copy can be copied (the Node 22 tiers
# run the tests that copy the tree in a copy).
copy_tree() {
  local top
  top=$(git -C "$PROJECT_ROOT" rev-parse --show-toplevel 2>/dev/null) || top=
  if [ -z "$top" ] || [ "$(realpath "$top")" != "$(realpath "$PROJECT_ROOT")" ]; then
    die "copy_tree: $PROJECT_ROOT is not the top of a git checkout, so git cannot list its files: run 'git init && git add -A' there"
  fi
  case "$1" in
    /*) ;;
    *) die "copy_tree: '$1' is not an absolute path" ;;
  esac
  case "$1/" in
    "$PROJECT_ROOT"/.tmp/?*) ;;
    "$PROJECT_ROOT"/*) die "copy_tree: '$1' is inside the working tree: use a folder under .tmp/ or outside it" ;;
  esac
  case "$PROJECT_ROOT/" in "$1"/*) die "copy_tree: '$1' holds the working tree" ;; esac
  rm -rf "$1" && mkdir -p "$1"
  (cd "$PROJECT_ROOT" && git ls-files -z --cached --others --exclude-standard | xargs -0 tar -cf - --ignore-failed-read -- 2>/dev/null) |
    tar -xf - -C "$1" && (cd "$1" && git init -q && git add -A)
}

# use_node22: Node 22 (scripts/node22.sh, installed once) first on PATH, for this script and what it runs.
use_node22() {
  local node
  node=$(bash "$PROJECT_ROOT/scripts/node22.sh")
  PATH="$(dirname "$node"):$PATH"
  export PATH
}

# Hash of files' contents, to rebuild a cached artefact when its recipe changes.
hash_files() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }

# npm_installed DIR: whether DIR's node_modules was installed for its package-lock.json, by the stamp that
# npm_stamp DIR writes after an install (setup.sh's npm ci, cdktn-swap.sh's npm install).
npm_installed() { [ "$(cat "$1/node_modules/.setup-stamp" 2>/dev/null)" = "$(hash_files "$1/package-lock.json")" ]; }
npm_stamp() { hash_files "$1/package-lock.json" > "$1/node_modules/.setup-stamp"; }

