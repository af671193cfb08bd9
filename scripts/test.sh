#!/usr/bin/env bash
# The project's test command (README, .ci/run): setup, then jest with results
# written to .tmp/jest-results.json for .ci/run's summary line.
#   npm test            unit, integration, and the end-to-end tests against the local
#                       OpenStack, which this brings up (devcloud/; root needed)
#   npm run test:unit   unit tests only (node alone: no cloud, Terraform or dist/ used; setup still runs first)
#   npm run test:stacks only the deploy/destroy of every example stack on the local OpenStack
#   extra arguments go to jest: npm run test:unit -- -u (update snapshots)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$PROJECT_ROOT"
bash scripts/setup.sh
source .toolchain/env
# Debian packages the integration tests run: a throwaway PostgreSQL (team state), shellcheck (lint).
if [ "${1:-}" != unit ]; then
  missing=()
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql-15)
  command -v shellcheck >/dev/null || missing+=(shellcheck)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} (Debian) for the integration tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
# The Kubernetes programs the e2e tests run the real cloud provider with (tools/k8s): minutes to build on a
# fresh machine, so in the background while the cloud comes up and the unit and integration tests run. The
# e2e tests wait for it (the script takes a lock); its log says what it did.
# OpenTofu, which the cdktn e2e (MAGNUM_CDKTF_CDKTN_E2E=1) runs in place of Terraform, likewise (.tmp/opentofu.log).
if [ "${1:-}" != unit ]; then
  mkdir -p .tmp
  nohup bash scripts/k8s-toolchain.sh > .tmp/k8s-toolchain.log 2>&1 < /dev/null &
  if [ "${MAGNUM_CDKTF_CDKTN_E2E:-}" = 1 ]; then
    nohup nice -n 19 bash scripts/toolchain.sh opentofu > .tmp/opentofu.log 2>&1 < /dev/null &
  fi
fi
selection=()
case "${1:-}" in
  unit) selection=(test/unit); shift ;;
  stacks) selection=(test/e2e/stacks.e2e.test.ts); shift; bash devcloud/up.sh ;;
  *) bash devcloud/up.sh ;;
esac
# cdktf's Testing leaves cdktf.outdir.* folders in the temp dir: keep them in the clone
# (set after the cloud is up: its daemons must not inherit a temp dir only root can write).
export TMPDIR=$PROJECT_ROOT/.tmp/tmp
rm -rf "$TMPDIR" && mkdir -p "$TMPDIR"
rm -f .tmp/jest-results.json
npx --no-install tsc -p tsconfig.test.json
exec npx --no-install jest --ci --json --outputFile=.tmp/jest-results.json "${selection[@]}" "$@"
