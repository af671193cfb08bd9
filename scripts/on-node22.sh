#!/usr/bin/env bash
# Runs jest on Node 22 (scripts/node22.sh) in a copy of the working tree, so that the suites run on the second
# runtime beside those on the first without sharing a file: the copy shares node_modules (installed once, by
# Node 20's npm: the packages are the same on both) but runs its own setup on Node 22, so `cdktf get` makes its
# bindings and tsc its dist/ there. Results: DIR/.tmp/jest-results.json.
#   bash scripts/on-node22.sh DIR [JEST ARGS...]   e.g. bash scripts/on-node22.sh /tmp/n22 --selectProjects unit
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
LOG_TAG=node22
dir=$(realpath -m "${1:?usage: on-node22.sh DIR [JEST ARGS...]}")
shift
# The copy's setup must find the packages installed for this lockfile, or it would reinstall them through the link.
npm_installed "$PROJECT_ROOT" ||
  die "node_modules is not installed for package-lock.json: run 'npm run setup' first"
use_node22
copy_tree "$dir"
ln -s "$PROJECT_ROOT/node_modules" "$dir/node_modules"
cd "$dir"
bash scripts/setup.sh
export TMPDIR=$dir/.tmp/tmp
mkdir -p "$TMPDIR"
log "running jest on Node $(node --version): $*"
exec npx --no-install jest --ci --json --outputFile=.tmp/jest-results.json "$@"
