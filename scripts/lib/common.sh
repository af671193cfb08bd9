# Shared by the project's shell scripts: paths and logging. Source, don't run.
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

# Hash of files' contents, to rebuild a cached artefact when its recipe changes.
hash_files() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }

# devcloud_target: with no cloud configured (OS_CLOUD, OS_AUTH_URL unset), target the local
# OpenStack of scripts/devcloud with its site overrides, as `npm start` does; returns 1 when
# a cloud is configured. Needs the compiled app (dist/).
devcloud_target() {
  [ -z "${OS_CLOUD:-}" ] && [ -z "${OS_AUTH_URL:-}" ] || return 1
  export OS_CLIENT_CONFIG_FILE=${DEVCLOUD_HOME:-/var/lib/magnum-cdktf-devcloud}/clouds.yaml OS_CLOUD=devcloud
  node "$PROJECT_ROOT/dist/scripts/devcloud-site.js" > "$PROJECT_ROOT/.toolchain/devcloud-site.json"
  export MAGNUM_CDKTF_CONFIG=${MAGNUM_CDKTF_CONFIG:-$PROJECT_ROOT/.toolchain/devcloud-site.json}
}
