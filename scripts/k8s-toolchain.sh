#!/usr/bin/env bash
# Builds the Kubernetes programs that the real cloud provider runs with (tools/k8s) from the
# Go module proxy into the cache, and prints the folder that holds them. Each binary is
# rebuilt only when its recipe changes: tools/k8s/go.mod and go.sum (the pins), the Go
# version, or its row below. Cold, on 2 cores: 5 to 15 minutes, ~650 MB of modules and ~2.6 GB of
# Go build cache; cached: a tenth of a second.
set -euo pipefail
LOG_TAG=k8s-toolchain
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

TOOL=$PROJECT_ROOT/tools/k8s
BIN=$CACHE_DIR/k8s/bin

# binary  package  version stamp (which module's version the binary reports, set at link time;
# etcd's is a constant of its own). Every package here is imported by tools/k8s/tools.go.
BINARIES=(
  "etcd                               go.etcd.io/etcd/server/v3                                                -"
  "kube-apiserver                     k8s.io/kubernetes/cmd/kube-apiserver                                     kubernetes"
  "kube-controller-manager            k8s.io/kubernetes/cmd/kube-controller-manager                            kubernetes"
  "kubectl                            k8s.io/kubernetes/cmd/kubectl                                            kubernetes"
  "openstack-cloud-controller-manager k8s.io/cloud-provider-openstack/cmd/openstack-cloud-controller-manager  cloud-provider-openstack"
  "octavia-ingress-controller         k8s.io/cloud-provider-openstack/cmd/octavia-ingress-controller          cloud-provider-openstack"
  "cinder-csi-plugin                  k8s.io/cloud-provider-openstack/cmd/cinder-csi-plugin                   cloud-provider-openstack"
  "csi-provisioner                    github.com/kubernetes-csi/external-provisioner/v5/cmd/csi-provisioner   external-provisioner"
)

# The version that tools/k8s/go.mod requires of a module.
required() { awk -v m="$1" '$1 == m && $2 ~ /^v/ { print $2; exit }' "$TOOL/go.mod"; }

# -X flags for a stamp: without them the programs report v0.0.0-master, "" or "unknown".
stamp_flags() {
  local v
  case "$1" in
    -) ;;
    kubernetes)
      v=$(required k8s.io/kubernetes)
      local major=${v#v}; major=${major%%.*}
      local minor=${v#v*.}; minor=${minor%%.*}
      local pkg
      for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
        printf ' -X %s.gitVersion=%s -X %s.gitMajor=%s -X %s.gitMinor=%s -X %s.gitTreeState=clean' \
          "$pkg" "$v" "$pkg" "$major" "$pkg" "$minor" "$pkg"
      done ;;
    cloud-provider-openstack)
      # Their --version flags print this; the servers' /version prints component-base's.
      printf ' -X k8s.io/cloud-provider-openstack/pkg/version.Version=%s' "$(required k8s.io/cloud-provider-openstack)"
      stamp_flags kubernetes ;;
    external-provisioner)
      printf ' -X main.version=%s' "$(required github.com/kubernetes-csi/external-provisioner/v5)" ;;
    *) die "unknown version stamp '$1'" ;;
  esac
}

build() { # binary package stamp
  local name=$1 pkg=$2 stamp=$3 out=$BIN/$1
  grep -qF "\"$pkg\"" "$TOOL/tools.go" || die "tools/k8s/tools.go does not import $pkg: add it, then run go mod tidy there"
  # A dotfile beside the binary, as scripts/lib/go-tool.sh does.
  local key recipe=$BIN/.$name.recipe
  key=$(hash_files "$TOOL/go.mod" "$TOOL/go.sum"; go version; echo "$name $pkg $stamp")
  if [ -x "$out" ] && [ "$(cat "$recipe" 2>/dev/null)" = "$key" ]; then
    return
  fi
  local t ldflags; t=$(now)
  ldflags="-s -w$(stamp_flags "$stamp")"
  log "building $name from Go modules (cached in $BIN)"
  # Static like the upstream release binaries; -mod=readonly so that go.mod and go.sum are
  # the pins, whatever GOFLAGS says. nice: it takes both cores for minutes.
  (cd "$TOOL" && CGO_ENABLED=0 nice -n 19 go build -mod=readonly -trimpath -ldflags "$ldflags" -o "$out.part" "$pkg")
  mv "$out.part" "$out"
  echo "$key" > "$recipe"
  log "built $name in $(elapsed "$t") s"
}

main() {
  command -v go >/dev/null || die "Go >= 1.25.5 is needed to build tools/k8s (install Go)"
  mkdir -p "$BIN"
  # One build at a time: npm test starts one in the background, and the e2e tests ask again when they need it.
  exec 8> "$BIN/.lock"
  flock 8
  local t row; t=$(now)
  for row in "${BINARIES[@]}"; do
    # shellcheck disable=SC2086 # the row is three words
    build $row
  done
  log "Kubernetes programs ready in $(elapsed "$t") s: $BIN"
  echo "$BIN"
}

main "$@"
