#!/usr/bin/env bash
# Runs the cdktf CLI with the project's toolchain (Terraform CLI, provider mirror,
# no calls home): `npm run cdktf -- diff all-in-one`. In the CDK Terrain flavour (scripts/cdktn-swap.sh)
# it runs the cdktn CLI instead, with the same arguments.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$PROJECT_ROOT/devcloud/target.sh"
LOG_TAG=cdktf
cd "$PROJECT_ROOT"
[ -f .toolchain/env ] || die "run 'npm run setup' first"
source .toolchain/env
cli=$(cdk_cli)
log "$cli on Node $(node --version), $(basename "$TERRAFORM_BINARY_NAME")"
# With a filesystem mirror, `terraform providers lock` (which cdktf runs when the lock
# file lacks hashes) asks the unreachable registry and fails: skip it there.
extra=()
out='' stacks=()
# before_apply STACK COMMAND: scripts/before-apply.ts on the stack's folder of this run; stops the run if it left something.
before_apply() {
  node dist/scripts/before-apply.js "$out/stacks/$1" "$2" || die "what a failed or interrupted run left of stack $1 stops this run (see above)"
}
case "${1:-}" in
  deploy|destroy|diff)
    [ "$MAGNUM_CDKTF_PROVIDERS_MODE" = mirror ] && extra=(--skip-provider-lock)
    # What `npm start` deployed with no cloud configured is the local cloud's: destroy it there too.
    if [ -f "$DEVCLOUD_CLOUDS_YAML" ] && devcloud_target; then
      log "no cloud configured (OS_CLOUD unset): using the local OpenStack"
    fi
    if [[ " $* " != *" --skip-synth "* ]]; then
      # Each run synthesizes into a folder of its own: cdktf.out is rewritten by every run, so a run that
      # reads it while another writes it fails (a half-written manifest.json) or applies the configuration
      # the other run synthesized. One level deep like cdktf.out, so the local backend's
      # ../../../terraform.<stack>.tfstate still names the project root, and Terraform's state lock decides
      # between two runs of one stack.
      # Named after this shell's PID, which lives as long as the run (`exec` below hands it to cdktf; a deploy
      # waits for cdktf): a folder whose process is gone (a run killed, or done) is removed by the next run. No
      # EXIT trap: on SIGTERM or Ctrl-C bash would run it and exit while cdktf and Terraform still work in it.
      for old in cdktf.out.run-*/; do
        pid=${old%/}
        pid=${pid##*-}
        [ -d "$old" ] && ! kill -0 "$pid" 2>/dev/null && rm -rf "$old"
      done
      out=cdktf.out.run-$$
      # The app that cdktf.json names, run as `$cli synth` runs it (into CDKTF_OUTDIR, with cdktf.json's context,
      # JSON not HCL, stopping at the first error) but without the CLI's own start-up: 3.5 s less on every
      # deploy, destroy and diff, the same files.
      # cdktf.json read once: its app on the first line, its context (JSON, one line) on the second.
      config=$(node -p 'const c = require("./cdktf.json"); c.app + "\n" + JSON.stringify(c.context ?? {})') ||
        die "cdktf.json could not be read (see above): it names the app to synthesize"
      read -ra app <<< "${config%%$'\n'*}"
      context=${config#*$'\n'}
      CDKTF_OUTDIR=$out CDKTF_CONTEXT_JSON=$context SYNTH_HCL_OUTPUT=false \
        env -u CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS "${app[@]}" ||
        die "the synth (${app[*]}) failed, see above: nothing was applied"
      [ -f "$out/manifest.json" ] || die "the app (${app[*]}) wrote no $out/manifest.json: it must call app.synth()"
      # The last synth stays readable and plannable where it always was (plan summaries, the PR diff's plan,
      # tests); this run applies its own copy. Its assets too: the JSON reads them with file() (magnum.conf).
      # One run at a time (the lock is closed before cdktf starts): two runs copying into one folder at once
      # fail on each other's files.
      exec {copy_lock}> "$TOOLCHAIN_DIR/cdktf-out.lock"
      flock "$copy_lock"
      for dir in "$out"/stacks/*/; do
        last=cdktf.out/stacks/$(basename "$dir")
        mkdir -p "$last" && cp "$dir/cdk.tf.json" "$last/"
        rm -rf "$last/assets"   # an asset the stack no longer has is no asset of it
        if [ -d "$dir/assets" ]; then cp -rT "$dir/assets" "$last/assets"; fi
      done
      exec {copy_lock}>&-
      # Between synth and Terraform, what an interrupted or failed run left is made right (scripts/before-apply.ts):
      # a cluster that failed to create and an interrupted node group deleted; a cluster whose create the provider
      # lost kept (scripts/lib/lost-create.ts); what a killed run created and the state never got adopted when it
      # bears the stack's mark (scripts/lib/unsaved-objects.ts).
      # The stacks named on the command line (names as scripts/lib/run-journal.ts takes them) that the synth made.
      for name in "${@:2}"; do
        if [[ "$name" =~ ^[A-Za-z0-9_-]+$ ]] && [ -d "$out/stacks/$name" ]; then stacks+=("$name"); fi
      done
      if [ "$1" != diff ]; then
        for name in "${stacks[@]}"; do
          # A new folder: initialized first, so that before-apply reads the state (from the mirror: links, a second).
          (cd "$out/stacks/$name" && "$TERRAFORM_BINARY_NAME" init -input=false -no-color > /dev/null) || die "terraform init of stack $name failed"
          before_apply "$name" "$1"
        done
      fi
      extra+=(--skip-synth --output "$out")
    fi ;;
esac
# The CLI's own bin, as npx would find it, without npx's 1.6 s of start-up.
bin=$PROJECT_ROOT/node_modules/.bin/$cli
# A deploy that failed because provider 3.4.0 lost a cluster's create (scripts/lib/lost-create.ts) runs once
# more, once before-apply has kept the cluster; never after an interruption.
if [ "${1:-}" != deploy ] || [ -z "$out" ]; then exec "$bin" "$@" "${extra[@]}"; fi
WAITED_INTERRUPTED=
wait_noting_signals "$bin" "$@" "${extra[@]}"
status=$WAITED_STATUS
[ "$status" -ne 0 ] && [ -z "$WAITED_INTERRUPTED" ] || exit "$status"
kept=
for name in "${stacks[@]}"; do
  wait_noting_signals node dist/scripts/before-apply.js "$out/stacks/$name" lost-create
  [ -z "$WAITED_INTERRUPTED" ] || exit "$status"
  [ "$WAITED_STATUS" -ne 0 ] || kept=1
done
[ -n "$kept" ] || exit "$status"
log "the deploy failed on a cluster that Magnum went on to create, now kept (above): deploying again, once"
# As any deploy starts: what the failed run left of each stack (a cluster not kept, one Magnum failed) is seen to.
for name in "${stacks[@]}"; do before_apply "$name" deploy; done
exec "$bin" "$@" "${extra[@]}"
