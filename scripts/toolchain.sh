#!/usr/bin/env bash
# Chooses the Terraform CLI and where providers come from, then writes
# .toolchain/env for every other script (and for users: `source .toolchain/env`).
#
#  - CLI: `terraform` on PATH, else `tofu` on PATH, else OpenTofu built from the
#    Go module proxy into the cache (tools/opentofu); MAGNUM_CDKTF_TERRAFORM=opentofu
#    takes that OpenTofu whatever is on PATH.
#  - Providers: when the registry answers, plain `init` uses it and nothing is
#    built. Otherwise a filesystem mirror is built once from Go modules
#    (tools/openstack-provider, tools/null-provider) into the cache.
#    MAGNUM_CDKTF_PROVIDERS=registry|mirror overrides the probe.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-tool.sh"

OPENSTACK_VERSION=3.4.0   # keep in step with cdktf.json
NULL_VERSION=3.2.4        # pinned exactly by @cdktf/provider-null 11
OPENTOFU_VERSION=1.10.10  # keep in step with tools/opentofu/go.mod

os_arch() {
  local arch
  case "$(uname -m)" in
    x86_64) arch=amd64 ;; aarch64|arm64) arch=arm64 ;; *) arch=$(uname -m) ;;
  esac
  echo "$(uname -s | tr '[:upper:]' '[:lower:]')_$arch"
}

# OpenTofu built from Go modules (tools/opentofu), once.
opentofu_cli() {
  go_tool opentofu github.com/opentofu/opentofu/cmd/tofu "$CACHE_DIR/opentofu/$OPENTOFU_VERSION/tofu" >&2
  echo "$CACHE_DIR/opentofu/$OPENTOFU_VERSION/tofu"
}

# Builds OpenTofu when neither terraform nor tofu is installed, or when MAGNUM_CDKTF_TERRAFORM=opentofu asks
# for it whatever is installed (the tests' OpenTofu flavour: test/support/cdktn-flavour.ts).
terraform_cli() {
  case "${MAGNUM_CDKTF_TERRAFORM:-auto}" in
    auto) ;;
    opentofu) log "MAGNUM_CDKTF_TERRAFORM=opentofu: OpenTofu $OPENTOFU_VERSION built from Go modules"; opentofu_cli; return ;;
    *) die "MAGNUM_CDKTF_TERRAFORM must be auto or opentofu, not '${MAGNUM_CDKTF_TERRAFORM}'" ;;
  esac
  if command -v terraform >/dev/null; then command -v terraform; return; fi
  if command -v tofu >/dev/null; then command -v tofu; return; fi
  log "neither terraform nor tofu on PATH: using OpenTofu $OPENTOFU_VERSION built from Go modules"
  opentofu_cli
}

# The registry that `init` would ask: OpenTofu resolves unqualified sources elsewhere.
registry_host() { case "$(basename "$1")" in tofu*) echo registry.opentofu.org ;; *) echo registry.terraform.io ;; esac; }

# DNS first: where the name does not resolve, nothing is sent anywhere.
registry_reachable() {
  local host=$1
  getent hosts "$host" >/dev/null 2>&1 || return 1
  curl -fsS -m 5 -o /dev/null "https://$host/.well-known/terraform.json" 2>/dev/null
}

# Builds one provider into the unpacked mirror layout, for both registry hosts.
mirror_provider() { # namespace type version tooldir package
  local ns=$1 type=$2 version=$3 mirror=$CACHE_DIR/mirror dir
  dir=$mirror/registry.terraform.io/$ns/$type/$version/$(os_arch)
  go_tool "$4" "$5" "$dir/terraform-provider-${type}_v$version"
  # OpenTofu looks for unqualified sources under its own registry host.
  mkdir -p "$mirror/registry.opentofu.org/$ns/$type/$version"
  ln -sfn "$dir" "$mirror/registry.opentofu.org/$ns/$type/$version/$(os_arch)"
}

write_mirror_config() {
  # Terraform allows no wildcard host with a fixed namespace: name both registries.
  local mirrored='"registry.terraform.io/terraform-provider-openstack/openstack", "registry.terraform.io/hashicorp/null",
                 "registry.opentofu.org/terraform-provider-openstack/openstack", "registry.opentofu.org/hashicorp/null"'
  cat > "$TOOLCHAIN_DIR/terraformrc" <<CFG
# Written by scripts/toolchain.sh: providers come from the local mirror only.
provider_installation {
  filesystem_mirror {
    path    = "$CACHE_DIR/mirror"
    include = [$mirrored]
  }
  direct {
    exclude = [$mirrored]
  }
}
disable_checkpoint = true
CFG
}

# sq VALUE: VALUE single-quoted, for a shell that sources .toolchain/env to read back as it is
# (each ' inside written as '\''), whatever the path holds.
sq() { local q="'\\''"; printf "'%s'" "${1//\'/$q}"; }

main() {
  # `toolchain.sh opentofu`: only build OpenTofu (or find it built) and print its path; .toolchain/ is left as it is.
  if [ "${1:-}" = opentofu ]; then opentofu_cli; return; fi
  mkdir -p "$TOOLCHAIN_DIR"
  local cli mode=${MAGNUM_CDKTF_PROVIDERS:-auto}
  cli=$(terraform_cli)
  if [ "$mode" = auto ]; then
    if registry_reachable "$(registry_host "$cli")"; then mode=registry; else mode=mirror; fi
  fi
  case "$mode" in
    registry) rm -f "$TOOLCHAIN_DIR/terraformrc" ;;
    mirror)
      mirror_provider terraform-provider-openstack openstack "$OPENSTACK_VERSION" openstack-provider \
        github.com/terraform-provider-openstack/terraform-provider-openstack/v3
      mirror_provider hashicorp null "$NULL_VERSION" null-provider .
      write_mirror_config ;;
    *) die "MAGNUM_CDKTF_PROVIDERS must be auto, registry or mirror, not '$mode'" ;;
  esac
  {
    echo "# Written by scripts/toolchain.sh ($mode). Source it before running cdktf by hand."
    echo "export TERRAFORM_BINARY_NAME=$(sq "$cli")"
    [ "$mode" = mirror ] && echo "export TF_CLI_CONFIG_FILE=$(sq "$TOOLCHAIN_DIR/terraformrc")"
    echo "export MAGNUM_CDKTF_PROVIDERS_MODE=$mode"
    # Keep the CLIs from calling home.
    echo "export CHECKPOINT_DISABLE=1 DISABLE_VERSION_CHECK=true CDKTF_DISABLE_PLUGIN_CACHE_ENV=true TF_IN_AUTOMATION=1"
  } > "$TOOLCHAIN_DIR/env"
  log "terraform CLI: $cli; providers: $mode"
}

main "$@"
