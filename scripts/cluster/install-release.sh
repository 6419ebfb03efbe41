#!/usr/bin/env bash
# Installs the chart into the running cluster as a person would, with its default values: namespace taskflow
# (PodSecurity `restricted` enforced), `helm upgrade --install taskflow`, waits for every pod, runs `helm test`.
# The images must be in the cluster's registry (up.sh pushes them).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
cluster_running || die "the cluster does not run (scripts/cluster/up.sh)"
chart="$here/../../helm/taskflow"
export KUBECONFIG

in_net kubectl create namespace taskflow --dry-run=client -o yaml | in_net kubectl apply -f - >/dev/null
in_net kubectl label --overwrite namespace taskflow pod-security.kubernetes.io/enforce=restricted \
  pod-security.kubernetes.io/enforce-version=latest >/dev/null
log "helm upgrade --install taskflow (default values) in namespace taskflow"
in_net helm upgrade --install taskflow "$chart" -n taskflow --wait --timeout 10m
in_net kubectl get pods -n taskflow -o wide
in_net helm test taskflow -n taskflow --logs
