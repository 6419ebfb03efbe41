#!/usr/bin/env bash
# The Debian packages the one-machine cluster runs on (root; idempotent: nothing happens when all are there).
#   containerd + runc + CNI plugins   the node's container runtime and pod network (bridge, host-local, portmap)
#   etcd-server                       the control plane's store
#   docker-registry                   the local image registry the node pulls from (the chart pulls Always)
#   iptables ipset conntrack          kube-proxy's Service rules, kube-router's NetworkPolicy rules
#   postgresql                        the external PostgreSQL the production-values test runs outside the cluster
#   podman buildah skopeo debootstrap the images (scripts/images/) and copying them into the registry
# (Services are not started by the packages on these machines: policy-rc.d forbids it; up.sh starts its own.)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

commands=(containerd runc /usr/lib/cni/bridge /usr/lib/cni/host-local /usr/lib/cni/portmap /usr/lib/cni/loopback
  etcd docker-registry iptables ipset conntrack openssl nsenter unshare curl podman buildah skopeo debootstrap)
missing=0
for command in "${commands[@]}"; do command -v "$command" >/dev/null 2>&1 || missing=1; done
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing=1
if [ "$missing" = 0 ]; then
  log "host packages: all present"
  exit 0
fi
log "host packages: installing from Debian"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq containerd runc \
  containernetworking-plugins etcd-server docker-registry iptables ipset conntrack openssl util-linux curl postgresql \
  podman buildah skopeo debootstrap uidmap >/dev/null
log "host packages: installed"
