#!/usr/bin/env bash
# One idempotent setup step: npm packages, Terraform CLI and providers,
# generated OpenStack bindings (.gen/) and the compiled app (dist/).
# A second run only checks stamps and takes seconds.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$PROJECT_ROOT"
start=$(now)

# npm packages: reinstall only when the lockfile changed since the last install.
if ! npm_installed .; then
  t=$(now)
  log "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  npm_stamp .
  log "npm ci took $(elapsed "$t") s"
fi

bash scripts/toolchain.sh
source .toolchain/env

# Bindings: regenerate when the pinned providers or the generator change.
cli=$(cdk_cli)
gen_key=$(hash_files cdktf.json "node_modules/$cli-cli/package.json" .toolchain/env)
if [ "$(cat .gen/.setup-stamp 2>/dev/null)" != "$gen_key" ]; then
  t=$(now)
  log "generating OpenStack bindings ($cli get)"
  rm -rf .gen
  npx --no-install "$cli" get --force > .toolchain/cdktf-get.log 2>&1 ||
    { cat .toolchain/cdktf-get.log >&2; die "$cli get failed (log above)"; }
  echo "$gen_key" > .gen/.setup-stamp
  log "$cli get took $(elapsed "$t") s ($(du -sh .gen | cut -f1) in .gen/)"
fi

# Compiled app: cdktf.json runs `node dist/main.js`; tsc is incremental.
t=$(now)
npx --no-install tsc -p tsconfig.json
log "tsc took $(elapsed "$t") s"
log "setup done in $(elapsed "$start") s"
