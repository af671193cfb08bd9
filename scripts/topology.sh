#!/usr/bin/env bash
# Redraws docs/topology-<stack>.svg for every example stack (linked from the README).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$PROJECT_ROOT"
bash scripts/setup.sh
source .toolchain/env
rm -rf cdktf.out && node dist/main.js
for dir in cdktf.out/stacks/*/; do
  node dist/scripts/topology.js "$dir" "docs/topology-$(basename "$dir").svg"
done
