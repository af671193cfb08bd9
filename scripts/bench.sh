#!/usr/bin/env bash
# `npm run bench`: setup, the local cloud (unless BENCH_CLOUD=0), then one table of
# ratios measured in this run (bench/run.ts; also written to .tmp/bench-results.json).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$PROJECT_ROOT"
bash scripts/setup.sh
source .toolchain/env
[ "${BENCH_CLOUD:-1}" = 0 ] || bash devcloud/up.sh
exec node dist/bench/run.js "$@"
