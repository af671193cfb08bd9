#!/usr/bin/env bash
# The main job (README): synthesize the example stacks, validate each against
# the real provider schema and print what it would create.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$PROJECT_ROOT"
bash scripts/setup.sh
source .toolchain/env
rm -rf cdktf.out
node dist/main.js
node dist/scripts/plan-summary.js cdktf.out
