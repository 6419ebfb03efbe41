#!/usr/bin/env bash
# Writes the node's configuration into $CLUSTER_STATE: containerd (and where it pulls images from), the CNI
# network, kube-proxy and the kubelet; creates the cgroup every pod lives under. Called by up.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

containerd_dir="$CLUSTER_STATE/containerd"
mkdir -p "$containerd_dir/hosts" "$CLUSTER_STATE/cni/net.d" "$CLUSTER_STATE/kubelet"

# --- containerd --------------------------------------------------------------------------------------------
# Every image comes from the local registry: docker.io (the chart's short names) and registry.k8s.io (pause)
# are mirrored by it, and it serves plain HTTP inside the cluster's network.
for upstream in docker.io registry.k8s.io "$REGISTRY"; do
  mkdir -p "$containerd_dir/hosts/$upstream"
  cat >"$containerd_dir/hosts/$upstream/hosts.toml" <<TOML
server = "http://$REGISTRY"
[host."http://$REGISTRY"]
  capabilities = ["pull", "resolve"]
TOML
done
cat >"$containerd_dir/config.toml" <<TOML
version = 2
root = "$containerd_dir/root"
state = "$containerd_dir/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$containerd_dir/containerd.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "$containerd_dir/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$(pause_image)"
  # This machine lacks CAP_SYS_RESOURCE: runc cannot lower oom_score_adj below the parent's, which the kubelet
  # asks for sandboxes (-998); without this every sandbox fails with "can't get final child's PID from pipe".
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$CLUSTER_STATE/cni/net.d"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$containerd_dir/hosts"
TOML

# --- pod network: one bridge, addresses from the node's pod range ------------------------------------------
cat >"$CLUSTER_STATE/cni/net.d/10-taskflow.conflist" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "taskflow-pods",
  "plugins": [
    {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "ranges": [[{"subnet": "${POD_CIDR%.*.*}.0.0/24"}]],
              "routes": [{"dst": "0.0.0.0/0"}], "dataDir": "$CLUSTER_STATE/cni/ipam"}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
JSON

# --- kube-proxy ---------------------------------------------------------------------------------------------
# conntrack: 0 = leave the kernel's settings alone (the table size is machine-wide).
cat >"$CLUSTER_STATE/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: "$PKI/kube-proxy.kubeconfig"}
mode: iptables
clusterCIDR: $POD_CIDR
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
YAML

# --- kubelet --------------------------------------------------------------------------------------------------
# Pods resolve names through CoreDNS only (there is no upstream DNS inside the cluster's network).
: >"$CLUSTER_STATE/kubelet/resolv.conf"
cat >"$CLUSTER_STATE/kubelet/config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: "$PKI/ca.crt"}
authorization: {mode: Webhook}
tlsCertFile: "$PKI/kubelet-serving.crt"
tlsPrivateKeyFile: "$PKI/kubelet-serving.key"
containerRuntimeEndpoint: "unix://$containerd_dir/containerd.sock"
# containerd 1.6 does not report its cgroup driver; this host has cgroup v1, which the kubelet refuses by default.
cgroupDriver: cgroupfs
failCgroupV1: false
cgroupRoot: /$CGROUP_ROOT
failSwapOn: false
clusterDNS: [$DNS_SERVICE_IP]
clusterDomain: $CLUSTER_DOMAIN
resolvConf: "$CLUSTER_STATE/kubelet/resolv.conf"
readOnlyPort: 0
serializeImagePulls: false
# A small disk and no image garbage collection: evictions would only make the tests flaky.
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
YAML

# --- the cgroup every pod lives under (every v1 hierarchy, or the v2 tree) --------------------------------------
for hierarchy in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
  [ -e "$hierarchy/cgroup.procs" ] || continue
  dir="$hierarchy$CGROUP_ROOT"
  mkdir -p "$dir"
  # a v1 cpuset starts empty: give it the parent's CPUs and memory nodes
  if [ -e "$dir/cpuset.cpus" ] && [ -z "$(cat "$dir/cpuset.cpus")" ]; then
    cat "$hierarchy/cpuset.cpus" >"$dir/cpuset.cpus"
    cat "$hierarchy/cpuset.mems" >"$dir/cpuset.mems"
  fi
done
