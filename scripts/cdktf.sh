#!/usr/bin/env bash
# Runs the cdktf CLI with the project's toolchain (Terraform CLI, provider mirror,
# no calls home): `npm run cdktf -- diff all-in-one`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$PROJECT_ROOT/devcloud/target.sh"
LOG_TAG=cdktf
cd "$PROJECT_ROOT"
[ -f .toolchain/env ] || die "run 'npm run setup' first"
source .toolchain/env
# With a filesystem mirror, `terraform providers lock` (which cdktf runs when the lock
# file lacks hashes) asks the unreachable registry and fails: skip it there.
extra=()
case "${1:-}" in
  deploy|destroy|diff)
    [ "$MAGNUM_CDKTF_PROVIDERS_MODE" = mirror ] && extra=(--skip-provider-lock)
    # What `npm start` deployed with no cloud configured is the local cloud's: destroy it there too.
    if [ -f "$DEVCLOUD_CLOUDS_YAML" ] && devcloud_target; then
      log "no cloud configured (OS_CLOUD unset): using the local OpenStack"
    fi
    # Between synth and Terraform, what an interrupted or failed run left is made right (scripts/before-apply.ts):
    # a cluster that failed to create and an interrupted node group deleted, a killed node group's create adopted.
    if [ "$1" != diff ] && [[ " $* " != *" --skip-synth "* ]]; then
      npx --no-install cdktf synth
      for name in "${@:2}"; do
        if [[ "$name" =~ ^[A-Za-z0-9_-]+$ ]] && [ -d "cdktf.out/stacks/$name" ]; then
          node dist/scripts/before-apply.js "cdktf.out/stacks/$name" || die "what a failed or interrupted run left of stack $name is still there (see above); run the command again"
        fi
      done
      extra+=(--skip-synth)
    fi ;;
esac
exec npx --no-install cdktf "$@" "${extra[@]}"
