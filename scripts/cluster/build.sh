#!/usr/bin/env bash
# Builds every binary the one-machine cluster runs that Debian does not package, from the Go module proxy,
# at the versions pinned by the modules under scripts/cluster/go/ (go.mod + go.sum):
#   go/kubernetes   kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy, kubectl
#   go/coredns      CoreDNS with the plugins the cluster DNS uses (runs as a pod)
#   go/kube-router  kube-router, for its NetworkPolicy firewall only
# Each lands in $CLUSTER_CACHE/bin/<module>-<hash of its go.mod, go.sum and sources>/, so a change of version
# rebuilds it and a second run with nothing changed does nothing. The Go caches are under $CLUSTER_CACHE/go:
# without them the build is cold (about 25-35 minutes of both CPUs on this machine, Kubernetes being most of it).
#   scripts/cluster/build.sh [kubernetes|coredns|kube-router ...]
#   scripts/cluster/build.sh --check      exit 0 when every binary is built, 1 otherwise (builds nothing)
# Two runs at once (CI starts one in the background, up.sh another) take turns: the second finds all built.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"

if [ "${1:-}" = --check ]; then
  all_present "$K8S_BIN" kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl &&
    all_present "$COREDNS_BIN" coredns && all_present "$KUBE_ROUTER_BIN" kube-router
  exit
fi
mkdir -p "$CLUSTER_CACHE"
exec 9>"$CLUSTER_CACHE/build.lock"
flock 9

build_module() {
  local module="$1"
  local out
  out="$(module_bin "$module")"
  shift
  local -a packages=("$@")
  local -a names=()
  local pkg
  for pkg in "${packages[@]}"; do names+=("$(basename "$pkg")"); done
  # (`go build -o DIR/ .` names the binary after the module path's last element: coredns)
  [ "${packages[0]}" = . ] && names=("$module")
  if all_present "$out" "${names[@]}"; then
    log "$module: already built ($out)"
    return 0
  fi
  log "$module: compiling ${names[*]}"
  local started
  started=$(date +%s)
  mkdir -p "$out.partial"
  (
    cd "$here/go/$module"
    # One go build for all of a module's commands: their shared packages are compiled once, on both CPUs.
    # Static (no cgo), paths trimmed, no symbol tables; -X sets what `--version` reports.
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w $(version_ldflags "$module")" -o "$out.partial/" "${packages[@]}"
  )
  rm -rf "$out" && mv "$out.partial" "$out"
  log "$module: built in $(($(date +%s) - started))s"
}

# The version variables Kubernetes' own build sets (hack/lib/version.sh); without them every binary reports
# v0.0.0-master and kubectl warns about the skew.
version_ldflags() {
  case "$1" in
    kubernetes)
      local minor flags=""
      minor="$(echo "$K8S_VERSION" | cut -d. -f2)"
      for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
        flags+=" -X $pkg.gitVersion=v$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
        flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
      done
      echo "$flags"
      ;;
    kube-router)
      local pkg=github.com/cloudnativelabs/kube-router/v2/pkg/version
      echo "-X $pkg.Version=$(sed -n 's/^require github.com\/cloudnativelabs\/kube-router\/v2 //p' "$here/go/kube-router/go.mod") -X $pkg.BuildDate=1970-01-01"
      ;;
  esac
}

selected=("$@")
[ ${#selected[@]} -gt 0 ] || selected=(kubernetes coredns kube-router)
for module in "${selected[@]}"; do
  case "$module" in
    kubernetes)
      build_module kubernetes k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
        k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy \
        k8s.io/kubernetes/cmd/kubectl
      ;;
    coredns) build_module coredns . ;;
    kube-router) build_module kube-router github.com/cloudnativelabs/kube-router/v2/cmd/kube-router ;;
    *) die "unknown module '$module' (kubernetes, coredns, kube-router)" ;;
  esac
done
