#!/usr/bin/env bash
# The PR diff workflow's synthesis of the checkout it runs in (head or base), on the line LINE names:
#   cdktf   here: setup, then the app
#   cdktn   in the checkout's CDK Terrain flavour beside it (<checkout>-cdktn, made by the checkout's own
#           scripts/cdktn-swap.sh: cdktn, bindings from `cdktn get`; FLAVOUR names another folder), the app
#           run on that flavour's Node 22
# Either way the stacks are left in cdktf.out of the folder the diff step then runs in.
set -euo pipefail
case "${LINE:-cdktf}" in
  cdktf) npm run setup && node dist/main.js ;;
  cdktn)
    flavour=${FLAVOUR:-$PWD-cdktn}
    bash scripts/cdktn-swap.sh "$flavour"
    node22=$(bash scripts/node22.sh)
    cd "$flavour" && "$node22" dist/main.js
    ;;
  *) echo "LINE=$LINE: no such line; the repository variable MAGNUM_CDKTF_LINE takes cdktf or cdktn" >&2; exit 1 ;;
esac
