#!/usr/bin/env bash
# The CDK Terrain (cdktn) flavour of this project: cdktf's maintained continuation, on Node 22 (cdktn-cli 0.24
# needs Node >= 22.19, scripts/node22.sh). Copies the project (tracked and new files) into DIR and there swaps
# cdktf, cdktf-cli and @cdktf/provider-null for cdktn, cdktn-cli and a generated null binding, pins constructs
# as cdktn wants it, rewrites the imports, then runs the project's own setup, which generates the bindings
# with `cdktn get` and compiles the app. In DIR, `npm run cdktf -- deploy …` then runs `cdktn deploy …`
# (scripts/cdktf.sh), with Node 22 first on PATH.
#   bash scripts/cdktn-swap.sh DIR               the flavour, ready to synth, deploy and destroy
#   bash scripts/cdktn-swap.sh DIR --unit-tests  and the unit tests run there (DIR/.tmp/jest-results.json)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
LOG_TAG=cdktn
dir=$(realpath -m "${1:?usage: cdktn-swap.sh DIR [--unit-tests]}")
CDKTN_VERSION=0.24.0
CONSTRUCTS_FOR_CDKTN=10.7.2   # cdktn 0.24 wants constructs >=10.6 <10.8
[ -f "$PROJECT_ROOT/dist/scripts/cdktn/rewrite-imports.js" ] || die "the swap runs this project's compiled scripts: run 'npm run setup' first"
use_node22

copy_tree "$dir"
cd "$dir"

log "installing cdktn $CDKTN_VERSION in place of cdktf (Node $(node --version))"
t=$(now)
npm uninstall --no-audit --no-fund --loglevel=error cdktf cdktf-cli @cdktf/provider-null
npm install --no-audit --no-fund --loglevel=error --save-dev --save-exact \
  "cdktn@$CDKTN_VERSION" "cdktn-cli@$CDKTN_VERSION" "constructs@$CONSTRUCTS_FOR_CDKTN"
# setup.sh installs again only when the lockfile changed since: this install is the lockfile's.
npm_stamp .
log "npm took $(elapsed "$t") s"

# The null provider has no @cdktn package: its binding is generated like OpenStack's.
node "$PROJECT_ROOT/dist/scripts/cdktn/pin-null-provider.js" .
log "rewriting imports: cdktf -> cdktn, @cdktf/provider-null -> .gen/providers/null"
node "$PROJECT_ROOT/dist/scripts/cdktn/rewrite-imports.js" .
bash scripts/setup.sh   # cdktn get, then tsc into dist/
if grep -rqE "from '(cdktf|@cdktf/provider-null[^']*)'" --include='*.ts' . --exclude-dir=node_modules; then
  die "imports of cdktf are left after the swap"
fi

if [ "${2:-}" = --unit-tests ]; then
  export TMPDIR=$dir/.tmp/tmp
  mkdir -p "$TMPDIR"
  npx --no-install tsc -p tsconfig.test.json
  log "running the unit tests on cdktn"
  npx --no-install jest --ci --json --outputFile=.tmp/jest-results.json test/unit
fi
