#!/usr/bin/env bash
# Lints GitHub Actions workflows with actionlint, built once from Go modules.
#   bash scripts/lint-workflows.sh [FILE...]   (default: .github/workflows/*.yml)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-tool.sh"
LOG_TAG=actionlint
bin=$CACHE_DIR/bin/actionlint
go_tool actionlint github.com/rhysd/actionlint/cmd/actionlint "$bin"
cd "$PROJECT_ROOT"
[ $# -gt 0 ] || set -- .github/workflows/*.yml
exec "$bin" -no-color "$@"
