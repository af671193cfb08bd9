#!/usr/bin/env bash
# The main job (README): synthesize the example stacks, validate them against the
# real provider schema, then deploy the all-in-one stack and print its outputs.
# The target is the cloud named by OS_CLOUD (or the OS_* variables); with neither,
# the embedded default: the local OpenStack of devcloud/, brought up here.
# The stack is left running; `npm run cdktf -- destroy all-in-one` removes it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$PROJECT_ROOT/devcloud/target.sh"
LOG_TAG=start
cd "$PROJECT_ROOT"
cloud=
if [ -z "${OS_CLOUD:-}" ] && [ -z "${OS_AUTH_URL:-}" ]; then
  # The local cloud (minutes on a fresh machine) comes up beside the setup's npm install and provider builds,
  # which it does not need.
  log "no cloud configured (OS_CLOUD unset): using the local OpenStack, started beside the setup"
  bash devcloud/up.sh &
  cloud=$!
fi
# Beside a cloud that comes up, the setup (minutes of it ahead of the cloud's on a bare machine) yields the CPU
# to the package install, which is what the deploy waits for.
${cloud:+nice -n 10} bash scripts/setup.sh
source .toolchain/env
# The synth and the plan summary read no cloud: they run while the local cloud is still coming up.
[ -z "$cloud" ] || devcloud_target
node dist/main.js
node dist/scripts/plan-summary.js cdktf.out
if [ -n "$cloud" ]; then
  wait "$cloud" || die "the local cloud did not come up (its lines above say why)"
fi
log "deploying all-in-one to ${OS_CLOUD:-$OS_AUTH_URL}"
bash scripts/cdktf.sh deploy all-in-one --auto-approve
