# Shared by the scripts/cluster/*.sh scripts: versions, addresses, where things are kept, small helpers.
# shellcheck shell=bash

CLUSTER_SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The Kubernetes release: the one scripts/cluster/go/kubernetes/go.mod requires (update.sh there changes it).
K8S_VERSION="$(sed -n 's/^require k8s.io\/kubernetes v//p' "$CLUSTER_SCRIPTS/go/kubernetes/go.mod")"

# --- where things are kept ------------------------------------------------------------------------
# Built or downloaded things, kept across runs (a warm CI run reuses them): binaries, the Go caches, the
# local registry's storage.
: "${CLUSTER_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/taskflow/cluster}"
# The running cluster's state (etcd, containerd's root, the kubelet's root, logs, PKI): removed by down.sh.
: "${CLUSTER_STATE:=/var/lib/taskflow-cluster}"
# The namespaces the cluster lives in, bound to files here (removed by down.sh).
: "${CLUSTER_RUN:=/run/taskflow-cluster}"
# module_bin MODULE: where build.sh puts the binaries of scripts/cluster/go/MODULE, named after a hash of its
# go.mod, go.sum and sources (a change of version is a new folder, so a stale binary is never used).
module_bin() {
  local dir="$CLUSTER_SCRIPTS/go/$1"
  echo "$CLUSTER_CACHE/bin/$1-$(cat "$dir"/go.mod "$dir"/go.sum "$dir"/*.go | sha256sum | cut -c1-12)"
}
K8S_BIN="$(module_bin kubernetes)"
COREDNS_BIN="$(module_bin coredns)"
KUBE_ROUTER_BIN="$(module_bin kube-router)"
# The Go toolchain's caches for these builds: inside CLUSTER_CACHE, so that removing it makes a cold build.
export GOMODCACHE="${CLUSTER_GOMODCACHE:-$CLUSTER_CACHE/go/mod}"
export GOCACHE="${CLUSTER_GOCACHE:-$CLUSTER_CACHE/go/build}"
export GOFLAGS="-buildvcs=false -modcacherw"
export PATH="$K8S_BIN:/usr/local/go/bin:$HOME/go/bin:$PATH"

# --- addresses (all of them exist only inside the cluster's network namespace) ---------------------------
# The one node: a bridge "node0" carrying NODE_IP (this kernel has no dummy interfaces).
NODE_IP=10.200.0.1
NODE_NAME=taskflow-node
POD_CIDR=10.244.0.0/16
SERVICE_CIDR=10.96.0.0/16
KUBERNETES_SERVICE_IP=10.96.0.1
DNS_SERVICE_IP=10.96.0.10
CLUSTER_DOMAIN=cluster.local
REGISTRY="$NODE_IP:5000"
# PersistentVolumes in the pool (each release with in-cluster databases claims two)
VOLUMES=10
APISERVER="https://$NODE_IP:6443"

# Network and mount namespaces of the cluster. Every daemon runs in both: its iptables rules, routes and
# sysctls live in the network namespace, and every mount the kubelet and containerd make (overlays, volumes,
# the pods' network namespaces) lives in the mount namespace, so that all of it disappears with them.
NET_NS="$CLUSTER_RUN/net"
MNT_NS="$CLUSTER_RUN/mnt"
# One cgroup (in every v1 hierarchy, or in v2) holds every pod: the kubelet's cgroupRoot.
CGROUP_ROOT=taskflow-cluster

PKI="$CLUSTER_STATE/pki"
LOGS="$CLUSTER_STATE/logs"
export KUBECONFIG="$PKI/admin.kubeconfig"

log() { printf '[cluster %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() {
  log "error: $*" >&2
  exit 1
}

# all_present DIR NAME...: every NAME is an executable file in DIR
all_present() {
  local dir="$1"
  shift
  local name
  for name in "$@"; do [ -x "$dir/$name" ] || return 1; done
}

cluster_running() { [ -e "$NET_NS" ] && mountpoint -q "$NET_NS"; }

# in_cluster CMD...: run CMD inside the cluster's network and mount namespaces.
in_cluster() { nsenter --net="$NET_NS" --mount="$MNT_NS" -- "$@"; }
# in_net CMD...: run CMD in the cluster's network namespace only (it sees the host's files and mounts).
in_net() { nsenter --net="$NET_NS" -- "$@"; }

# start_daemon NAME CMD...: start CMD in the background inside the cluster's namespaces, its output in
# $LOGS/NAME.log and its pid (nsenter execs the command, so it is the daemon's own) in $CLUSTER_STATE/NAME.pid.
start_daemon() {
  local name="$1"
  shift
  nohup nsenter --net="$NET_NS" --mount="$MNT_NS" -- "$@" >"$LOGS/$name.log" 2>&1 &
  echo $! >"$CLUSTER_STATE/$name.pid"
}

# wait_for SECONDS DESCRIPTION CMD...: retry CMD every second until it succeeds or SECONDS pass.
wait_for() {
  local seconds="$1" what="$2"
  shift 2
  local deadline=$(($(date +%s) + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || die "$what: not within ${seconds}s"
    sleep 1
  done
}

# --- images --------------------------------------------------------------------------------------------------
# The sandbox image containerd starts every pod with (scripts/images/build-base.sh builds it).
pause_image() { echo "registry.k8s.io/pause:${PAUSE_TAG:-3.10}"; }
# CoreDNS, as built by build-images.sh from build.sh's binary; tagged with the binary's module hash.
coredns_image() {
  local module_hash="${COREDNS_BIN##*-}"
  echo "$REGISTRY/taskflow-cluster/coredns:$(sed -n 's/^require github.com\/coredns\/coredns //p' "$CLUSTER_SCRIPTS/go/coredns/go.mod")-$module_hash"
}
# registry_path IMAGE: where the local registry keeps IMAGE (docker.io/taskflow/api:1 → taskflow/api:1,
# registry.k8s.io/pause:3.10 → pause:3.10, $REGISTRY/x:1 → x:1): the paths containerd asks its mirror for.
registry_path() {
  local image="$1"
  case "$image" in
    docker.io/*) echo "${image#docker.io/}" ;;
    registry.k8s.io/*) echo "${image#registry.k8s.io/}" ;;
    "$REGISTRY"/*) echo "${image#"$REGISTRY"/}" ;;
    *) die "no registry path for $image" ;;
  esac
}
