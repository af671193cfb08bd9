#!/usr/bin/env bash
# The PR diff workflow's synthesis of the checkout it runs in (head or base), on the line LINE names:
#   cdktf   here: setup, then the app
#   cdktn   in the checkout's CDK Terrain flavour beside it (<checkout>-cdktn, made by the checkout's own
#           scripts/cdktn-swap.sh: cdktn, bindings from `cdktn get`; FLAVOUR names another folder), the app
#           run on that flavour's Node 22
# Either way the stacks are left in cdktf.out of the folder the diff step then runs in, which this script writes
# to the step's outputs as `folder` (and prints).
set -euo pipefail
# Either line runs this checkout's compiled app; the cdktn swap its compiled scripts (dist/scripts/cdktn) too.
npm run setup
case "${LINE:-cdktf}" in
  cdktf) folder=$PWD node=node ;;
  cdktn)
    folder=$(realpath -m "${FLAVOUR:-$PWD-cdktn}")
    bash scripts/cdktn-swap.sh "$folder"
    node=$(bash scripts/node22.sh)
    ;;
  *) echo "LINE=$LINE: no such line; the repository variable MAGNUM_CDKTF_LINE takes cdktf or cdktn" >&2; exit 1 ;;
esac
cd "$folder" && "$node" dist/main.js
echo "folder=$folder" >> "${GITHUB_OUTPUT:-/dev/null}"
echo "$folder"
