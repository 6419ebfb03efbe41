#!/usr/bin/env bash
# Starts a one-node Kubernetes cluster on this machine, as root, in its own network and mount namespaces:
#   etcd, kube-apiserver, kube-controller-manager, kube-scheduler        the control plane
#   docker-registry on $REGISTRY                                            the registry every image is pulled from
#   containerd + runc + CNI bridge, kubelet, kube-proxy (iptables)         the node
#   kube-router (its NetworkPolicy firewall only), CoreDNS (a pod)         policies and cluster DNS
# Builds what is missing first (scripts/cluster/build.sh, the images through scripts/images/), then pushes the
# images the chart uses to the registry. `scripts/cluster/down.sh` stops it all and leaves nothing behind.
#   scripts/cluster/up.sh             start (or say that it runs)
#   scripts/cluster/up.sh --install   then `helm install taskflow` with the chart's defaults and `helm test`
#   SKIP_IMAGE_BUILD=1 scripts/cluster/up.sh   push the images already in the store as they are (no rebuild)
# Everything listens only inside the cluster's network namespace: scripts/cluster/run.sh runs a command there
# (kubectl, helm, curl, a shell).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
install_release=0
[ "${1:-}" = --install ] && install_release=1

[ "$(id -u)" = 0 ] || die "run as root (the cluster needs namespaces, cgroups and iptables)"
started=$(date +%s)
phase() { log "[+$(($(date +%s) - started))s] $*"; }

if cluster_running; then
  log "the cluster already runs (scripts/cluster/down.sh stops it)"
else
  "$here/install-host-packages.sh"
  "$here/build.sh"
  "$here/build-images.sh"

  phase "namespaces"
  mkdir -p "$CLUSTER_RUN" "$CLUSTER_STATE" "$LOGS"
  # A private mount of its own, so the namespace files below can be bound here (as `ip netns` does).
  mountpoint -q "$CLUSTER_RUN" || mount --bind "$CLUSTER_RUN" "$CLUSTER_RUN"
  mount --make-private "$CLUSTER_RUN"
  touch "$NET_NS" "$MNT_NS"
  unshare --net="$NET_NS" true
  # The mount namespace starts as a copy of the host's. Fresh tmpfs over /run and /var/log there: containerd's
  # sockets and runc's state, the pods' network namespace files and the pods' logs stay inside it.
  unshare --mount="$MNT_NS" --propagation=private \
    sh -c 'mount --make-rshared / && mount -t tmpfs -o mode=755 tmpfs /run && mount -t tmpfs -o mode=755 tmpfs /var/log'
  # The kubelet sets these kernel-wide sysctls; down.sh puts back what was there.
  for key in vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys \
    kernel.keys.root_maxbytes; do
    echo "$key=$(sysctl -n "$key")"
  done >"$CLUSTER_STATE/host-sysctls"

  phase "node network: bridge node0 $NODE_IP/24, routes, forwarding"
  in_net ip link set lo up
  in_net ip link add node0 type bridge
  in_net ip addr add "$NODE_IP/24" dev node0
  in_net ip link set node0 up
  # The node's own processes reach Services through kube-proxy's rules: they need a route to the range.
  in_net ip route add "$SERVICE_CIDR" dev node0
  in_net sysctl -qw net.ipv4.ip_forward=1
  # Pods share one bridge: bridged packets go through iptables (Service replies, NetworkPolicy rules).
  in_net sysctl -qw net.bridge.bridge-nf-call-iptables=1

  # what run.sh's commands resolve names with: the cluster's DNS, as a pod in namespace taskflow would
  printf 'search taskflow.svc.%s svc.%s %s\nnameserver %s\noptions ndots:5\n' "$CLUSTER_DOMAIN" "$CLUSTER_DOMAIN" \
    "$CLUSTER_DOMAIN" "$DNS_SERVICE_IP" >"$CLUSTER_STATE/resolv.conf"

  phase "certificates"
  "$here/pki.sh"

  phase "etcd"
  start_daemon etcd etcd --name taskflow --data-dir "$CLUSTER_STATE/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster taskflow=http://127.0.0.1:2380 --unsafe-no-fsync --logger zap
  wait_for 60 "etcd health" in_net sh -c 'wget -qO- http://127.0.0.1:2379/health 2>/dev/null | grep -q true || curl -fs http://127.0.0.1:2379/health | grep -q true'

  phase "kube-apiserver"
  start_daemon kube-apiserver "$K8S_BIN/kube-apiserver" --etcd-servers=http://127.0.0.1:2379 \
    --bind-address=0.0.0.0 --secure-port=6443 --advertise-address="$NODE_IP" \
    --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" --client-ca-file="$PKI/ca.crt" \
    --service-account-issuer="https://kubernetes.default.svc.$CLUSTER_DOMAIN" \
    --service-account-key-file="$PKI/service-account.pub" --service-account-signing-key-file="$PKI/service-account.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" --authorization-mode=Node,RBAC \
    --enable-admission-plugins=NodeRestriction --allow-privileged=true \
    --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority="$PKI/ca.crt" --kubelet-preferred-address-types=InternalIP
  wait_for 120 "kube-apiserver /readyz" in_net "$K8S_BIN/kubectl" get --raw /readyz

  phase "kube-controller-manager, kube-scheduler"
  start_daemon kube-controller-manager "$K8S_BIN/kube-controller-manager" \
    --kubeconfig="$PKI/controller-manager.kubeconfig" --authentication-kubeconfig="$PKI/controller-manager.kubeconfig" \
    --authorization-kubeconfig="$PKI/controller-manager.kubeconfig" --bind-address=127.0.0.1 --leader-elect=false \
    --service-account-private-key-file="$PKI/service-account.key" --root-ca-file="$PKI/ca.crt" \
    --use-service-account-credentials=true --service-cluster-ip-range="$SERVICE_CIDR" \
    --allocate-node-cidrs=true --cluster-cidr="$POD_CIDR" --node-cidr-mask-size=24 \
    --pv-recycler-pod-template-filepath-hostpath="$here/manifests/volume-recycler.yaml"
  start_daemon kube-scheduler "$K8S_BIN/kube-scheduler" --kubeconfig="$PKI/scheduler.kubeconfig" \
    --authentication-kubeconfig="$PKI/scheduler.kubeconfig" --authorization-kubeconfig="$PKI/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false

  phase "a pool of volumes for the PostgreSQL StatefulSets' claims"
  # No storage provisioner here: hostPath PersistentVolumes without a class bind the claims of the chart's
  # StatefulSets (whose storageClass is empty). Recycle: once a claim is gone (its namespace deleted), the
  # controller-manager empties the folder with a pod (manifests/volume-recycler.yaml) and the volume is free again.
  for n in $(seq 1 "$VOLUMES"); do
    mkdir -p "$CLUSTER_STATE/volumes/pv-$n"
    chmod 0777 "$CLUSTER_STATE/volumes/pv-$n" # the pods run as UID 10001; hostPath gets no fsGroup
    cat <<JSON
{"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "taskflow-pv-$n"},
 "spec": {"capacity": {"storage": "20Gi"}, "accessModes": ["ReadWriteOnce"], "persistentVolumeReclaimPolicy": "Recycle",
          "hostPath": {"path": "$CLUSTER_STATE/volumes/pv-$n", "type": "Directory"}}}
JSON
  done | in_net "$K8S_BIN/kubectl" apply -f - 2>&1 >/dev/null | { grep -v "Recycle reclaim policy is deprecated" || true; } >&2

  phase "registry on $REGISTRY"
  mkdir -p "$CLUSTER_CACHE/registry"
  cat >"$CLUSTER_STATE/registry.yml" <<YAML
version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: "$CLUSTER_CACHE/registry"}
  delete: {enabled: true}
http: {addr: "$REGISTRY"}
YAML
  start_daemon registry docker-registry serve "$CLUSTER_STATE/registry.yml"
  wait_for 30 "registry" in_net curl -fs "http://$REGISTRY/v2/"

  phase "containerd"
  "$here/node-config.sh"
  start_daemon containerd containerd --config "$CLUSTER_STATE/containerd/config.toml"
  wait_for 60 "containerd" in_cluster ctr --address "$CLUSTER_STATE/containerd/containerd.sock" version

  phase "pushing the images to the registry"
  "$here/push-images.sh"

  phase "kube-proxy, kubelet, kube-router"
  in_net "$K8S_BIN/kubectl" apply -f "$here/manifests/kube-router-rbac.yaml" >/dev/null
  start_daemon kube-proxy "$K8S_BIN/kube-proxy" --config="$CLUSTER_STATE/kube-proxy.yaml" \
    --hostname-override="$NODE_NAME"
  start_daemon kubelet "$K8S_BIN/kubelet" --config="$CLUSTER_STATE/kubelet/config.yaml" \
    --kubeconfig="$PKI/kubelet.kubeconfig" --root-dir="$CLUSTER_STATE/kubelet/root" \
    --node-ip="$NODE_IP" --hostname-override="$NODE_NAME"
  wait_for 120 "node $NODE_NAME Ready" in_net sh -c \
    "'$K8S_BIN/kubectl' get node '$NODE_NAME' -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}' | grep -qx True"
  start_daemon kube-router "$KUBE_ROUTER_BIN/kube-router" --kubeconfig="$PKI/kube-router.kubeconfig" \
    --hostname-override="$NODE_NAME" --run-firewall=true --run-router=false --run-service-proxy=false \
    --metrics-port=0 --health-port=20244

  phase "CoreDNS"
  sed -e "s#@COREDNS_IMAGE@#$(coredns_image)#" -e "s#@DNS_SERVICE_IP@#$DNS_SERVICE_IP#" \
    -e "s#@CLUSTER_DOMAIN@#$CLUSTER_DOMAIN#" "$here/manifests/coredns.yaml" | in_net "$K8S_BIN/kubectl" apply -f - >/dev/null
  in_net "$K8S_BIN/kubectl" -n kube-system rollout status deploy/coredns --timeout=180s >/dev/null
  phase "the cluster runs: Kubernetes v$K8S_VERSION, node $NODE_NAME ($NODE_IP)"
fi

if [ "$install_release" = 1 ]; then
  "$here/install-release.sh"
fi
cat <<TEXT

  scripts/cluster/run.sh kubectl get pods -A        any command inside the cluster's network (kubectl, helm, curl)
  scripts/cluster/run.sh bash                        a shell there (KUBECONFIG and PATH set)
  scripts/cluster/down.sh                            stop it and remove everything it made
TEXT
