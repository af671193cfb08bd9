#!/usr/bin/env bash
# Proves the cloud end to end with Debian's openstack CLI: an external flat network
# on physnet1, a private network behind a router, an image with os_distro, a template
# with the master load balancer, and a cluster (1 master, 1 node) that must reach
# CREATE_COMPLETE with only the boot simulator's help. Then deletes all of it and
# checks that nothing it or the cluster made is left. Exits non-zero on any failure.
# Other people's resources on the same cloud are left alone: everything here is
# named smoke<pid> and found by that name.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/base.sh"
export OS_CLIENT_CONFIG_FILE=$CLOUDS_YAML OS_CLOUD=$DEVCLOUD_CLOUD
[ -f "$OS_CLIENT_CONFIG_FILE" ] || die "no $OS_CLIENT_CONFIG_FILE: run up.sh first"
CREATE_LIMIT=${SMOKE_CREATE_SECONDS:-600} DELETE_LIMIT=${SMOKE_DELETE_SECONDS:-600}
tag=smoke$$
T0=$SECONDS
# Every CLI call is bounded, so a hung API fails the test instead of hanging it.
os() { timeout 120 /usr/bin/openstack "$@"; }
step() { log "[$((SECONDS - T0)) s] $*"; }

ext='' net='' subnet='' router='' image='' template='' cluster='' stack=''
# wait_gone LIMIT CMD...: until CMD fails (the object is gone), at most LIMIT seconds.
wait_gone() {
  local limit=$1 t0=$SECONDS; shift
  while "$@" >/dev/null 2>&1; do
    [ $((SECONDS - t0)) -lt "$limit" ] || return 1
    sleep 5
  done
}
cleanup() {
  local -; set +e   # best effort, and errexit comes back with the function's end
  if [ -n "$cluster" ] && os coe cluster show "$cluster" >/dev/null 2>&1; then
    os coe cluster delete "$cluster" >/dev/null
    wait_gone "$DELETE_LIMIT" os coe cluster show "$cluster" || log "cluster $cluster still there after $DELETE_LIMIT s"
  fi
  [ -n "$template" ] && os coe cluster template delete "$template" >/dev/null
  [ -n "$image" ] && os image delete "$image" >/dev/null
  if [ -n "$router" ]; then
    [ -n "$subnet" ] && os router remove subnet "$router" "$subnet" >/dev/null 2>&1
    os router unset --external-gateway "$router" >/dev/null 2>&1
    os router delete "$router" >/dev/null
  fi
  [ -n "$net" ] && os network delete "$net" >/dev/null
  [ -n "$ext" ] && os network delete "$ext" >/dev/null
  rm -f "$DEVCLOUD_HOME/$tag.img"
}
trap 'status=$?; rm -f "${names:-}"; [ $status = 0 ] || { log "smoke test FAILED after $((SECONDS - T0)) s; cleaning up"; cleanup; }' EXIT

# Flat networks are one per physical network: if physnet1 is taken (by a stack
# deployed to this cloud), use a physnet of our own, which flat_networks = * allows.
physnet=physnet1
[ -z "$(os network list --provider-physical-network physnet1 -f value -c ID)" ] || physnet=$tag
step "external network on $physnet"
ext=$(os network create --external --provider-network-type flat --provider-physical-network "$physnet" "$tag-ext" -f value -c id)
os subnet create --network "$ext" --subnet-range 198.51.100.0/24 --no-dhcp --gateway 198.51.100.1 \
  --allocation-pool start=198.51.100.100,end=198.51.100.200 "$tag-ext" >/dev/null
step "private network, subnet and router"
net=$(os network create "$tag-private" -f value -c id)
subnet=$(os subnet create --network "$net" --subnet-range 10.0.0.0/24 "$tag-private" -f value -c id)
router=$(os router create "$tag-router" -f value -c id)
os router set --external-gateway "$ext" "$router"
os router add subnet "$router" "$subnet"
step "image with os_distro=fedora-coreos"
head -c 1048576 /dev/zero > "$DEVCLOUD_HOME/$tag.img"
image=$(os image create --disk-format qcow2 --container-format bare --property os_distro=fedora-coreos \
  --file "$DEVCLOUD_HOME/$tag.img" "$tag" -f value -c id)
rm -f "$DEVCLOUD_HOME/$tag.img"
step "cluster template"
template=$(os coe cluster template create --coe kubernetes --image "$image" --external-network "$ext" \
  --fixed-network "$net" --fixed-subnet "$subnet" --master-lb-enabled --network-driver flannel \
  --docker-volume-size 10 --flavor m1.small --master-flavor m1.small --dns-nameserver 127.0.0.1 \
  --labels cloud_provider_enabled=true "$tag" -f value -c uuid | tail -1)   # after magnumclient's "accepted" line

step "cluster create (1 master, 1 node): the boot simulator plays the servers"
t0=$SECONDS
os coe cluster create --cluster-template "$template" --master-count 1 --node-count 1 "$tag" >/dev/null
cluster=$(os coe cluster show "$tag" -f value -c uuid)
status=
while [ $((SECONDS - t0)) -lt "$CREATE_LIMIT" ]; do
  status=$(os coe cluster show "$cluster" -f value -c status)
  case $status in *_IN_PROGRESS) sleep 5 ;; *) break ;; esac
done
[ "$status" = CREATE_COMPLETE ] || die "cluster is $status after $((SECONDS - t0)) s: $(os coe cluster show "$cluster" -f value -c status_reason)"
stack=$(os coe cluster show "$cluster" -f value -c stack_id)
stack_name=$(os stack show "$stack" -f value -c stack_name)
signals=$(grep -c "cluster $tag: signalled" "$LOG/boot-simulator.out" || true)
step "cluster CREATE_COMPLETE in $((SECONDS - t0)) s ($signals deployments signalled by the boot simulator)"

step "cluster delete"
t0=$SECONDS
os coe cluster delete "$cluster" >/dev/null
wait_gone "$DELETE_LIMIT" os coe cluster show "$cluster" || die "cluster not deleted after $DELETE_LIMIT s"
step "cluster deleted in $((SECONDS - t0)) s"
# Heat still shows a deleted stack by id, as DELETE_COMPLETE.
stack_status=$(os stack show "$stack" -f value -c stack_status 2>/dev/null || true)
[ -z "$stack_status" ] || [ "$stack_status" = DELETE_COMPLETE ] || die "stack $stack_name is $stack_status"
# Floating IPs on our external network must be gone before the network can be.
left=$(os floating ip list --network "$ext" -f value -c ID)
[ -z "$left" ] || die "floating IPs left on $tag-ext: $left"

step "delete template, image, router, networks"
cleanup

# Nothing named after the cluster (servers, load balancers, volumes, ports, security groups)
# and none of our own objects may remain. A listing that fails fails the test.
names=$(mktemp)
# names COLUMN LISTING...: add the column of the listing to $names.
names() { local column=$1; shift; os "$@" -f value -c "$column" >> "$names" || die "could not check what is left: openstack $*"; }
names Name server list --all-projects
names name loadbalancer list
names Name volume list --all-projects
names Name port list
names Name security group list
names Name network list
names Name router list
names Name image list
names name coe cluster template list
names 'Stack Name' stack list
left=$(grep "^$tag" "$names" || true)
[ -z "$left" ] || die "left behind: $(echo "$left" | tr '\n' ' ')"
# Magnum's trustee user for the cluster lives in the magnum domain, named after the cluster id.
trustees=$(os user list --domain magnum -f value -c Name) || die "could not list Magnum's trustee users"
! grep -q "$cluster" <<< "$trustees" || die "trustee user of $cluster left behind"
step "smoke test passed: nothing left"
