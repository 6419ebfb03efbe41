#!/usr/bin/env bash
# Runs a command as if on the cluster's node: inside its network namespace (the API server, Services, pods and
# the registry are reachable), names resolved by the cluster's DNS (a private /etc/resolv.conf pointing at
# CoreDNS, with the `taskflow` namespace first in the search list), KUBECONFIG set to the cluster's admin and
# kubectl first on PATH. Root.
#   scripts/cluster/run.sh kubectl get pods -n taskflow
#   scripts/cluster/run.sh curl http://taskflow-api.taskflow.svc:8000/health
#   scripts/cluster/run.sh bash
set -euo pipefail
source "$(dirname "$0")/lib.sh"
[ $# -gt 0 ] || die "usage: scripts/cluster/run.sh COMMAND [ARG...]"
cluster_running || die "the cluster does not run (scripts/cluster/up.sh)"
export KUBECONFIG
# A mount namespace of the command's own (private: nothing it mounts reaches the host) for the resolv.conf.
exec nsenter --net="$NET_NS" -- unshare --mount --propagation private -- \
  sh -c 'mount --bind "$0" /etc/resolv.conf && exec "$@"' "$CLUSTER_STATE/resolv.conf" "$@"
