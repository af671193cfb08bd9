#!/usr/bin/env bash
# magnum-cdktn, the library's build for projects on CDK Terrain: packed from a flavour that scripts/cdktn-swap.sh
# made (the same source, its imports of cdktf turned to cdktn, bindings from `cdktn get`), with its package.json
# made magnum-cdktn's (scripts/cdktn/package-manifest.ts: peers cdktn and constructs as that cdktn asks; the
# null provider's binding inside). Prints the tarball's path.
#   bash scripts/cdktn-swap.sh DIR && bash scripts/cdktn-pack.sh DIR DEST
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
LOG_TAG=cdktn
dir=$(realpath "${1:?usage: cdktn-pack.sh FLAVOUR_DIR DEST}")
dest=$(realpath -m "${2:?usage: cdktn-pack.sh FLAVOUR_DIR DEST}")
[ -d "$dir/node_modules/cdktn" ] || die "$dir is no cdktn flavour (no node_modules/cdktn): make it with bash scripts/cdktn-swap.sh $dir"
use_node22
mkdir -p "$dest"
cd "$dir"
node "$PROJECT_ROOT/dist/scripts/cdktn/package-manifest.js" .
# What prepack does (setup already ran in the swap), without running setup again.
npx --no-install tsc -p tsconfig.lib.json
log "packing $(node -p 'require("./package.json").name') into $dest"
tarball=$(npm pack --ignore-scripts --loglevel=error --pack-destination "$dest" | tail -1)
printf '%s/%s\n' "$dest" "$tarball"
