#!/usr/bin/env bash
# Runs the cdktf CLI with the project's toolchain (Terraform CLI, provider mirror,
# no calls home): `npm run cdktf -- diff all-in-one`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$PROJECT_ROOT"
[ -f .toolchain/env ] || die "run 'npm run setup' first"
source .toolchain/env
exec npx --no-install cdktf "$@"
