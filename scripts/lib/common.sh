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

# Hash of files' contents, to rebuild a cached artefact when its recipe changes.
hash_files() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }

