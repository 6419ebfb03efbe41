#!/usr/bin/env bash
# Rewrites this module for another Kubernetes release: scripts/cluster/go/kubernetes/update.sh 1.37.3
#
# k8s.io/kubernetes cannot be required as it is: its go.mod replaces every k8s.io/<staging> module with a
# ./staging/... folder that exists only in its own repository. So this module requires k8s.io/kubernetes and
# replaces each staging module with the version published for the same release (v0.<minor>.<patch>).
# The two sample modules are not published and not needed. Then set K8S_VERSION in scripts/cluster/lib.sh.
set -euo pipefail
version="${1:?usage: update.sh <kubernetes version, e.g. 1.37.2>}"
cd "$(dirname "$0")"
source ../../lib.sh
go mod download "k8s.io/kubernetes@v$version"
upstream="$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/v$version.mod"
{
  printf 'module taskflow.local/cluster/kubernetes\n\ngo %s\n\nrequire k8s.io/kubernetes v%s\n\nreplace (\n' \
    "$(sed -n 's/^go //p' "$upstream")" "$version"
  grep -oE '^\s*k8s.io/[a-z0-9-]+ => \./staging/' "$upstream" | awk '{print $1}' | while read -r module; do
    case "$module" in k8s.io/sample-cli-plugin | k8s.io/sample-controller) continue ;; esac
    printf '\t%s => %s v0.%s\n' "$module" "$module" "${version#1.}"
  done
  printf ')\n'
} >go.mod
rm -f go.sum
go mod tidy
echo "go.mod and go.sum now build Kubernetes v$version"
