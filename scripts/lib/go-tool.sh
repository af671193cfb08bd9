# Builds a Go tool module of tools/ once into the cache; rebuilt only when its
# recipe (go.mod, go.sum, sources, Go version) changes. Source, don't run.
#   go_tool TOOLDIR PACKAGE OUTFILE   e.g. go_tool actionlint github.com/rhysd/actionlint/cmd/actionlint "$CACHE_DIR/bin/actionlint"
# shellcheck shell=bash

go_tool() {
  local tool=$PROJECT_ROOT/tools/$1 pkg=$2 out=$3
  command -v go >/dev/null || die "Go >= 1.24 is needed to build tools/$1 (install Go, or make the registries reachable)"
  local key; key=$(hash_files "$tool"/go.mod "$tool"/go.sum "$tool"/*.go; go version)
  # A dotfile: Terraform takes any file named terraform-provider-* in a mirror for the provider.
  local recipe lock; recipe=$(dirname "$out")/.$(basename "$out").recipe
  mkdir -p "$(dirname "$out")" "$CACHE_DIR/locks"
  # One build of a tool at a time: npm test starts OpenTofu's in the background, and the test that runs it asks
  # again. The lock is not beside the binary: a provider's folder in the mirror is hashed whole into the stacks'
  # .terraform.lock.hcl, so a file appearing there between init and apply fails the apply.
  exec {lock}> "$CACHE_DIR/locks/$1.lock"
  flock -n "$lock" || { log "waiting for another build of tools/$1"; flock "$lock"; }
  if [ -x "$out" ] && [ "$(cat "$recipe" 2>/dev/null)" = "$key" ]; then
    exec {lock}>&-
    return
  fi
  local t; t=$(now)
  log "building tools/$1 from Go modules (one time, cached in $(dirname "$out"))"
  # (|| die: go_tool runs inside $(…) too, where set -e does not stop a failed build)
  (cd "$tool" && go build -trimpath -o "$out.part" "$pkg") || die "go build of tools/$1 failed (above)"
  mv "$out.part" "$out" || die "could not move the build of tools/$1 into place"
  echo "$key" > "$recipe"
  exec {lock}>&-
  log "built $(basename "$out") in $(elapsed "$t") s"
}
