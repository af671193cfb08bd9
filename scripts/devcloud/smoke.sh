#!/usr/bin/env bash
# Proves the cloud end to end with the openstack CLI: external and private
# networks, an image with os_distro, a template with the master LB, and a cluster
# that must reach CREATE_COMPLETE with only the boot simulator's help; then
# deletes everything and checks nothing is left. Exits non-zero on any failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export OS_CLIENT_CONFIG_FILE=$DEVCLOUD_HOME/clouds.yaml OS_CLOUD=devcloud
os() { /usr/bin/openstack "$@"; }
tag=smoke$$
cleanup() {
  os coe cluster delete "$tag" 2>/dev/null || true
  for _ in $(seq 60); do os coe cluster show "$tag" >/dev/null 2>&1 || break; sleep 5; done
  os coe cluster template delete "$tag" 2>/dev/null || true
  os image delete "$tag" 2>/dev/null || true
  os subnet delete "$tag-ext" 2>/dev/null || true
  os network delete "$tag-ext" 2>/dev/null || true
}
trap cleanup EXIT

head -c 1048576 /dev/zero > "$DEVCLOUD_HOME/$tag.img"
os network create --external --provider-network-type flat --provider-physical-network "$tag" "$tag-ext" >/dev/null
os subnet create --network "$tag-ext" --subnet-range 198.51.100.0/24 --no-dhcp \
  --allocation-pool start=198.51.100.100,end=198.51.100.200 "$tag-ext" >/dev/null
os image create --disk-format qcow2 --container-format bare --property os_distro=fedora-coreos \
  --file "$DEVCLOUD_HOME/$tag.img" "$tag" >/dev/null
rm -f "$DEVCLOUD_HOME/$tag.img"
os coe cluster template create --coe kubernetes --image "$tag" --external-network "$tag-ext" --master-lb-enabled \
  --network-driver flannel --docker-volume-size 10 --flavor m1.small --master-flavor m1.small \
  --dns-nameserver 127.0.0.1 --labels cloud_provider_enabled=true "$tag" >/dev/null
t0=$SECONDS
os coe cluster create --cluster-template "$tag" --master-count 1 --node-count 1 "$tag" >/dev/null
status=
while [ $((SECONDS - t0)) -lt 600 ]; do
  status=$(os coe cluster show "$tag" -f value -c status)
  case $status in *_IN_PROGRESS) sleep 5 ;; *) break ;; esac
done
[ "$status" = CREATE_COMPLETE ] || { os coe cluster show "$tag" -f value -c status_reason >&2; die "cluster $status"; }
log "cluster CREATE_COMPLETE in $((SECONDS - t0)) s"
t0=$SECONDS
os coe cluster delete "$tag"
while os coe cluster show "$tag" >/dev/null 2>&1; do
  [ $((SECONDS - t0)) -lt 600 ] || die "cluster not deleted after 600 s"
  sleep 5
done
log "cluster deleted in $((SECONDS - t0)) s"
cleanup
trap - EXIT
left=$(os loadbalancer list -f value -c id; os server list -f value -c id; os volume list -f value -c id; os floating ip list -f value -c ID)
[ -z "$left" ] || die "left behind: $left"
log "smoke test passed: nothing left"
