#!/usr/bin/env bash
# A real Kubernetes control plane for one Magnum cluster of this cloud, with the real cloud-provider
# controllers configured as Magnum's Heat templates configure them on the cluster's masters.
#
#   k8s.sh up --cluster UUID [--cluster-name NAME]   start it; prints `export KUBECONFIG=…`
#   k8s.sh down [--cluster UUID]                     stop one cluster's (default: every cluster's)
#   k8s.sh status                                    one line a process of every cluster
#
# What runs, on 127.0.0.1, as nobody (the egress guard covers it): etcd, kube-apiserver,
# kube-controller-manager (its volume controllers only), and
#   openstack-cloud-controller-manager  --cluster-name=NAME (default the UUID, as Magnum passes it)
#   octavia-ingress-controller          cluster-name NAME, in its config file
#   cinder-csi-plugin (controller)      --cluster=kubernetes, as Magnum passes it
#   csi-provisioner                     the CSI sidecar that turns PVCs into CreateVolume calls
# each reading the trustee's user id, password and trust id from the cluster's record
# (python/k8s_cluster.py). The cluster's Nova servers are registered as Nodes the way kubelet
# --cloud-provider=external registers them, and marked Ready; python/k8s_node_monitor.py marks one
# NotReady once its server is gone, as kube-controller-manager would when its kubelet goes silent.
# There is no kubelet, no container runtime and no pod: the controllers are the processes a master
# would run, started directly.
set -uo pipefail
CALLER_PATH=$PATH   # lib/base.sh narrows PATH to Debian's; Go is wherever the caller has it
source "$(dirname "${BASH_SOURCE[0]}")/lib/base.sh"
source_services

K8S_HOME=$DEVCLOUD_HOME/k8s K8S_LOG=$LOG/k8s
# Ten clusters at once, ten ports each from here: below the ephemeral range, apart from the cloud's.
PORT_BASE=24000 SLOTS=10
USER_K8S=nobody
PROCESSES=(node-monitor kube-controller-manager csi-provisioner cinder-csi-plugin octavia-ingress-controller openstack-cloud-controller-manager kube-apiserver etcd)

# share_programs DIR: the toolchain's programs where nobody can run them (the cache is under the
# caller's home, which nobody cannot enter): hard links beside the clusters, copies across filesystems.
share_programs() {
  local from=$1 f
  [ -d "$from" ] || return 1
  BIN=$K8S_HOME/bin
  mkdir -p "$BIN"
  for f in "$from"/*; do
    [ "$f" -ef "$BIN/${f##*/}" ] || ln -f "$f" "$BIN/" 2> /dev/null || [ "$BIN/${f##*/}" -nt "$f" ] || cp -f "$f" "$BIN/"
  done
}

# check_uuid VALUE: --cluster must be a cluster's UUID (it names a folder here).
check_uuid() {
  [[ $1 =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]] || die "--cluster: \"$1\" is not a cluster UUID"
}

usage() { die "usage: k8s.sh up --cluster UUID [--cluster-name NAME] | down [--cluster UUID] | status"; }

# The slot (0-9) a cluster's ports come from: its own if it has one, else the first free one.
slot_of() {
  local dir=$1 n
  [ -f "$dir/slot" ] && { cat "$dir/slot"; return; }
  for ((n = 0; n < SLOTS; n++)); do
    grep -qx "$n" "$K8S_HOME"/*/slot 2>/dev/null || { echo "$n" > "$dir/slot"; echo "$n"; return; }
  done
  die "$SLOTS clusters already have a control plane here: stop one (k8s.sh down --cluster UUID)"
}

# Certificates, the service-account key pair and an admin token, once per cluster.
pki() {
  local dir=$1 api_port=$2 c=$1/pki
  [ -f "$c/admin.kubeconfig" ] && return 0
  mkdir -p "$c"
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj /CN=devcloud-k8s-ca -keyout "$c/ca.key" -out "$c/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj /CN=kube-apiserver -keyout "$c/apiserver.key" -out "$c/apiserver.csr" 2>/dev/null
  printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc" "extendedKeyUsage=serverAuth" > "$c/apiserver.ext"
  openssl x509 -req -in "$c/apiserver.csr" -CA "$c/ca.crt" -CAkey "$c/ca.key" -CAcreateserial -days 365 \
    -extfile "$c/apiserver.ext" -out "$c/apiserver.crt" 2>/dev/null
  openssl genrsa -out "$c/sa.key" 2048 2>/dev/null
  openssl rsa -in "$c/sa.key" -pubout -out "$c/sa.pub" 2>/dev/null
  local token; token=$(openssl rand -hex 24)
  (umask 077
   echo "$token,admin,admin,system:masters" > "$c/tokens.csv"
   # Written as `kubectl config set-cluster/set-credentials/set-context/use-context` would write it, but by the
   # shell: `set-credentials --token` would put the token in the process list, which every user can read.
   cat > "$c/admin.kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: "https://127.0.0.1:$api_port"
    certificate-authority: "$c/ca.crt"
users:
- name: admin
  user:
    token: "$token"
contexts:
- name: local
  context:
    cluster: local
    user: admin
current-context: local
KUBECONFIG
  )
}

# run DIR NAME ARGV...: start one process of the cluster's control plane, unless it runs.
run() {
  local dir=$1 name=$2; shift 2
  (RUN=$dir; running "$name") && return 0
  spawn "$dir/$name.pid" "$K8S_LOG/$(basename "$dir")/$name.log" "$USER_K8S" nice -n 10 "$@"
}

# until_ok SECONDS DIR NAME CMD...: wait for CMD to succeed while process NAME runs.
until_ok() {
  local limit=$1 dir=$2 name=$3 t0=$SECONDS; shift 3
  until "$@" > /dev/null 2>&1; do
    alive_after 0 "$dir" "$name"
    [ $((SECONDS - t0)) -lt "$limit" ] || die "$name: not ready after $limit s (log: $K8S_LOG/$(basename "$dir")/$name.log)"
    sleep 0.3
  done
}

# alive_after SECONDS DIR NAME: the process still runs after SECONDS (the controllers exit at once
# when Keystone refuses them); else show the end of its log and fail.
alive_after() {
  sleep "$1"
  (RUN=$2; running "$3") && return 0
  tail -5 "$K8S_LOG/$(basename "$2")/$3.log" >&2
  die "$3 exited (log: $K8S_LOG/$(basename "$2")/$3.log)"
}

up() {
  local cluster=$1 name=$2 dir=$K8S_HOME/$1 kc=$K8S_HOME/$1/pki/admin.kubeconfig
  check_uuid "$cluster"
  share_programs "$(PATH=$CALLER_PATH bash "$DEVCLOUD_DIR/../scripts/k8s-toolchain.sh")" || die "the Kubernetes programs could not be built"
  mkdir -p "$dir" "$K8S_LOG/$cluster"
  local slot base; slot=$(slot_of "$dir"); base=$((PORT_BASE + 10 * slot))
  local etcd=$base peer=$((base + 1)) api=$((base + 2)) occm=$((base + 3)) kcm=$((base + 4))
  pki "$dir" "$api"
  secrets
  OS_AUTH_URL=$KS ADMIN_PASS=$ADMIN_PASS /usr/bin/python3 "$DEVCLOUD_DIR/python/k8s_cluster.py" "$cluster" "$dir" "$kc" "$name" ||
    die "could not read cluster $cluster's stack and trust"
  chown -R "$USER_K8S" "$dir" "$K8S_LOG/$cluster"
  local c=$dir/pki
  run "$dir" etcd "$BIN/etcd" --name "$cluster" --data-dir "$dir/etcd" --log-level warn \
    --listen-client-urls "http://127.0.0.1:$etcd" --advertise-client-urls "http://127.0.0.1:$etcd" \
    --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "$cluster=http://127.0.0.1:$peer"
  until_ok 30 "$dir" etcd curl -fsS "http://127.0.0.1:$etcd/health"
  run "$dir" kube-apiserver "$BIN/kube-apiserver" --etcd-servers="http://127.0.0.1:$etcd" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$api" --endpoint-reconciler-type=none \
    --tls-cert-file="$c/apiserver.crt" --tls-private-key-file="$c/apiserver.key" --client-ca-file="$c/ca.crt" \
    --requestheader-client-ca-file="$c/ca.crt" \
    --requestheader-allowed-names=front-proxy-client --token-auth-file="$c/tokens.csv" --authorization-mode=RBAC --profiling=false \
    --service-account-issuer=https://kubernetes.default.svc --service-account-key-file="$c/sa.pub" \
    --service-account-signing-key-file="$c/sa.key" --service-cluster-ip-range=10.254.0.0/16
  until_ok 60 "$dir" kube-apiserver "$BIN/kubectl" --kubeconfig "$kc" get --raw=/readyz
  # As kubelet --cloud-provider=external registers a server, and its heartbeat keeps it Ready.
  local nodes node now; now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  nodes=$("$BIN/kubectl" --kubeconfig "$kc" apply -f "$dir/nodes.json" -o name) || die "could not register the cluster's servers as Nodes"
  for node in $nodes; do
    "$BIN/kubectl" --kubeconfig "$kc" patch "$node" --subresource=status --type=merge -p \
      '{"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","lastHeartbeatTime":"'"$now"'","lastTransitionTime":"'"$now"'"}]}}' > /dev/null
  done
  # Magnum's DaemonSet: --v=2 --cloud-config --cloud-provider=openstack --cluster-name --bind-address=127.0.0.1.
  # In-cluster config and service-account credentials there; the admin kubeconfig and no leader election here.
  run "$dir" openstack-cloud-controller-manager "$BIN/openstack-cloud-controller-manager" --v=2 \
    --cloud-config="$dir/cloud.conf" --cloud-provider=openstack --cluster-name="$name" \
    --bind-address=127.0.0.1 --secure-port="$occm" --kubeconfig="$kc" \
    --authentication-kubeconfig="$kc" --authorization-kubeconfig="$kc" --cert-dir="$dir/occm-certs" \
    --use-service-account-credentials=false --leader-elect=false
  run "$dir" octavia-ingress-controller "$BIN/octavia-ingress-controller" --config="$dir/ingress.yaml"
  # Magnum's StatefulSet: the plugin with --cluster=kubernetes beside the provisioner sidecar.
  run "$dir" cinder-csi-plugin "$BIN/cinder-csi-plugin" --endpoint="unix://$dir/csi.sock" \
    --cloud-config="$dir/csi.conf" --cluster=kubernetes --provide-node-service=false
  # Magnum pins csi-provisioner v1.4.0, whose Topology gate is off; 5.3 turns it on, and then needs the CSINode
  # topology that only a node plugin under a kubelet publishes.
  run "$dir" csi-provisioner "$BIN/csi-provisioner" --csi-address="$dir/csi.sock" --kubeconfig="$kc" \
    --timeout=3m --leader-election=false --feature-gates=Topology=false
  # kube-controller-manager for the volumes only: it hands a claim to its storage class's provisioner and
  # binds the volume made for it. Its node lifecycle would mark every Node NotReady (no kubelet posts here).
  run "$dir" kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig="$kc" \
    --authentication-kubeconfig="$kc" --authorization-kubeconfig="$kc" --bind-address=127.0.0.1 --secure-port="$kcm" \
    --controllers=persistentvolume-binder,pvc-protection,pv-protection --leader-elect=false --use-service-account-credentials=false
  # The cluster's kubelets and kube-controller-manager's node lifecycle, which do not run here.
  run "$dir" node-monitor /usr/bin/python3 "$DEVCLOUD_DIR/python/k8s_node_monitor.py" "$BIN/kubectl" "$kc" "$dir/csi.conf"
  local p
  for p in openstack-cloud-controller-manager octavia-ingress-controller cinder-csi-plugin csi-provisioner kube-controller-manager node-monitor; do
    alive_after 0 "$dir" "$p" || return 1
  done
  alive_after 4 "$dir" openstack-cloud-controller-manager
  log "cluster $cluster: control plane on https://127.0.0.1:$api, controllers as cluster \"$name\" (logs: $K8S_LOG/$cluster)"
  echo "export KUBECONFIG=$kc"
}

down() {
  local dir
  [ -z "$1" ] || check_uuid "$1"
  for dir in "$K8S_HOME"/${1:-*}/; do
    [ -f "$dir/slot" ] || continue
    (RUN=${dir%/}; stop "${PROCESSES[@]}")
    rm -rf "$dir"
    log "cluster $(basename "$dir"): control plane stopped"
  done
}

status() {
  local dir p pid
  for dir in "$K8S_HOME"/*/; do
    [ -f "$dir/slot" ] || continue
    for p in "${PROCESSES[@]}"; do
      if pid=$(RUN=${dir%/}; pid_of "$p"); then echo "$(basename "$dir") $p up $pid"; else echo "$(basename "$dir") $p DOWN"; fi
    done
  done
}

command=${1:-}; shift || true
cluster="" name=""
while [ $# -gt 0 ]; do
  case $1 in
    --cluster) [ $# -ge 2 ] || usage; cluster=$2; shift 2 ;;
    --cluster-name) [ $# -ge 2 ] || usage; name=$2; shift 2 ;;
    *) usage ;;
  esac
done
mkdir -p "$K8S_HOME" "$K8S_LOG"
case $command in
  up) [ -n "$cluster" ] || usage; up "$cluster" "${name:-$cluster}" ;;
  down) down "$cluster" ;;
  status) status ;;
  *) usage ;;
esac
