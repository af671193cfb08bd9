# The local cloud as a target of the project's other scripts (npm start, npm run cdktf): where
# its clouds.yaml is, and how to point cdktf, Terraform and the example stacks at it. Needs the
# project's scripts/lib/common.sh (PROJECT_ROOT) and the compiled app (dist/). Source, don't run.
# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables here are used by the scripts that source this file

# shellcheck source=defaults.env
source "$(dirname "${BASH_SOURCE[0]}")/defaults.env"
DEVCLOUD_CLOUDS_YAML=${DEVCLOUD_HOME:-$DEVCLOUD_HOME_DEFAULT}/$DEVCLOUD_CLOUDS_FILE

# devcloud_target: with no cloud configured (OS_CLOUD, OS_AUTH_URL unset), target the local
# cloud, as `npm start` does: its site overrides for the example stacks become the base layer
# (MAGNUM_CDKTF_BASE_CONFIG, stacks/config.ts), under the user's own MAGNUM_CDKTF_CONFIG, which
# is left as it is. Returns 1 when a cloud is configured.
devcloud_target() {
  [ -z "${OS_CLOUD:-}" ] && [ -z "${OS_AUTH_URL:-}" ] || return 1
  export OS_CLIENT_CONFIG_FILE=$DEVCLOUD_CLOUDS_YAML OS_CLOUD=$DEVCLOUD_CLOUD
  node "$PROJECT_ROOT/dist/devcloud/site.js" > "$PROJECT_ROOT/.toolchain/devcloud-site.json"
  export MAGNUM_CDKTF_BASE_CONFIG=$PROJECT_ROOT/.toolchain/devcloud-site.json
}
