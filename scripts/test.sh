#!/usr/bin/env bash
# The project's test command (README, .ci/run): setup, then jest with results
# written to .tmp/jest-results.json for .ci/run's summary line.
#   npm test            unit, integration, and the end-to-end tests against the local
#                       OpenStack, which this brings up (devcloud/; root needed)
#   npm run test:unit   unit tests only (node alone: no cloud, Terraform or dist/ used; setup still runs first)
#   npm run test:stacks only the deploy/destroy of every example stack on the local OpenStack
#   extra arguments go to one jest: npm run test:unit -- -u (update snapshots), npm test -- test/e2e/soak
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
LOG_TAG='test'
cd "$PROJECT_ROOT"
# No results of an earlier run for .ci/run to read if this one fails before jest.
rm -f .tmp/jest-results*.json
# Debian packages the integration tests run: a throwaway PostgreSQL (team state), shellcheck (lint). First,
# before the cloud's own package install (one dpkg at a time).
if [ "${1:-}" != unit ]; then
  missing=()
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql-15)
  command -v shellcheck >/dev/null || missing+=(shellcheck)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} (Debian) for the integration tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  # The local cloud (minutes on a fresh machine: Debian's packages, then every service) comes up beside
  # the setup's npm install and provider builds, which it does not need; the e2e tier waits for it.
  bash devcloud/up.sh &
  cloud=$!
fi
# Beside a cloud that comes up, the setup yields the CPU to the package install, which the e2e tier waits for
# (as in npm start).
${cloud:+nice -n 10} bash scripts/setup.sh
source .toolchain/env
# The Kubernetes programs the e2e tests run the real cloud provider with (tools/k8s): minutes to build on a
# fresh machine, so in the background while the cloud comes up and the unit and integration tests run. The
# e2e tests wait for it (the script takes a lock); its log says what it did.
# OpenTofu, which the soak's cycles on the maintained line (cdktn) run in place of Terraform, likewise
# (.tmp/opentofu.log). Both below the cloud's daemons and the e2e tier: they take what the tests leave
# idle (background_low, scripts/lib/common.sh), and are left to finish when this run ends. The Kubernetes
# build shares the unit and integration tiers' priority (10), since stacks.e2e and real-controllers wait
# for it, while those tiers have until the e2e tier's end; OpenTofu, wanted only by the soak, goes last.
if [ "${1:-}" != unit ]; then
  mkdir -p .tmp
  background_low 10 bash scripts/k8s-toolchain.sh > .tmp/k8s-toolchain.log 2>&1 < /dev/null
  lines=${MAGNUM_CDKTF_SOAK_LINES:-cdktn,cdktf}
  if [[ ",${lines// /}," == *,cdktn,* ]]; then
    background_low 19 bash scripts/toolchain.sh opentofu > .tmp/opentofu.log 2>&1 < /dev/null
  fi
fi
# cdktf's Testing leaves cdktf.outdir.* folders in the temp dir: keep them in the clone (given to jest
# only: the cloud's daemons must not inherit a temp dir only root can write).
tmp=$PROJECT_ROOT/.tmp/tmp
rm -rf "$tmp" && mkdir -p "$tmp"
npx --no-install tsc -p tsconfig.test.json
# jest as every run here calls it: JSON results for .ci/run, TMPDIR in the clone.
jest_cmd=(npx --no-install jest --ci --json)
jest() { TMPDIR=$tmp "${jest_cmd[@]}" "$@"; }
cloud_up() { wait "$cloud" || die "the local cloud did not come up (its lines above say why): the e2e tests are not run"; }
case "${1:-}" in
  unit) shift; jest --outputFile=.tmp/jest-results.json test/unit "$@"; exit ;;
  stacks) shift; cloud_up; jest --outputFile=.tmp/jest-results.json test/e2e/stacks.e2e.test.ts "$@"; exit ;;
esac
if [ $# -gt 0 ]; then
  # A selection of the caller's (npm test -- <pattern>): one jest, as they asked.
  cloud_up
  jest --outputFile=.tmp/jest-results.json "$@"
  exit
fi
# The library's own build (npm pack's), which test/integration/package.test.ts runs too: built now, so that
# its tsc, incremental, writes nothing into dist/ while the e2e tier runs the compiled code there.
npx --no-install tsc -p tsconfig.lib.json
# The whole run: the e2e tier waits on the cloud far more than it computes, and jest runs one file at a
# time on 2 cores. So the unit and integration tiers run beside the cloud's start and the e2e tier, at a
# lower priority, their output kept in .tmp/jest-fast.log and shown when they end; the two result files
# are then summed into .tmp/jest-results.json for .ci/run.
# Lower than the cloud's daemons and the e2e tier too (background_low), and in a process group of its own,
# so that a run stopped before its end (an error here, Ctrl-C) takes that jest and its workers with it; the
# cloud's start is left to finish (it may be inside dpkg).
background_low 10 env TMPDIR="$tmp" "${jest_cmd[@]}" --outputFile=.tmp/jest-results-fast.json \
  --selectProjects unit integration > .tmp/jest-fast.log 2>&1
fast=$BG_PID
trap 'kill -- "-$fast" 2>/dev/null || true' EXIT
e2e_status=0
if wait "$cloud"; then
  jest --outputFile=.tmp/jest-results-e2e.json --selectProjects e2e || e2e_status=$?
else
  e2e_status=$?
  log "the local cloud did not come up: the e2e tier is not run"
fi
fast_status=0
wait "$fast" || fast_status=$?
log "unit and integration tiers (run beside the e2e tier), exit $fast_status:"
cat .tmp/jest-fast.log
node dist/scripts/lib/jest-results.js .tmp/jest-results.json .tmp/jest-results-fast.json .tmp/jest-results-e2e.json
[ "$fast_status" -eq 0 ] && [ "$e2e_status" -eq 0 ]
