# shellcheck shell=bash
# Sourced by the image scripts: the shared store (env.sh), the repository root, the pinned versions, and `phase`,
# which prints how long the previous phase took and names the next one.
set -euo pipefail
IMAGES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$IMAGES_DIR/../.." && pwd)"
# shellcheck source=env.sh
source "$IMAGES_DIR/env.sh"
[ "$(id -u)" = 0 ] || { echo "run as root (podman's overlay store and debootstrap need it)" >&2; exit 2; }

# The Node of the Dockerfiles' `ARG NODE_IMAGE=node:<version>-slim`: the base image must be that exact tag.
NODE_VERSION="$(sed -n 's/^ARG NODE_IMAGE=node:\([0-9.]*\)-slim$/\1/p' "$REPO_ROOT/apps/api/Dockerfile")"
: "${NPM_VERSION:=11.19.1}"
: "${DEBIAN_SUITE:=bookworm}"
: "${PAUSE_TAG:=3.10}"
APP_VERSION="$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$REPO_ROOT/helm/taskflow/Chart.yaml")"
# The images' full names (helm/taskflow/README.md, "Images"); the stand-ins carry the tags values.yaml pins.
values_tag() { sed -n "/^$1:/,/^[a-z]/s/^  tag: *\"\\(.*\\)\"$/\\1/p" "$REPO_ROOT/helm/taskflow/values.yaml"; }
NODE_IMAGE="docker.io/library/node:$NODE_VERSION-slim"
POSTGRES_IMAGE="docker.io/library/postgres:$(values_tag postgresImage)"
BUSYBOX_IMAGE="docker.io/library/busybox:$(values_tag utilityImage)"
PAUSE_IMAGE="registry.k8s.io/pause:$PAUSE_TAG"
declare -A APP_IMAGE=([sso]=docker.io/taskflow/sso-platform [api]=docker.io/taskflow/api
  [web]=docker.io/taskflow/web-dashboard [mcp]=docker.io/taskflow/mcp-server)
# The host's trust store, mounted into the steps that reach the npm registry (where TLS is intercepted, it holds the
# intercepting CA); never copied into an image.
: "${EXTRA_CA_BUNDLE:=/etc/ssl/certs/ca-certificates.crt}"

# One build at a time in the store: CI builds the images twice at once (the image test and the cluster suite run
# side by side), and the second build then finds every layer cached instead of making each again beside the first.
# A script run by one that holds the lock (build-apps.sh running build-base.sh) goes on under it.
hold_build_lock() {
  [ -z "${TASKFLOW_IMAGES_BUILD_LOCKED:-}" ] || return 0
  exec 8>"$TASKFLOW_IMAGES_CACHE/build.lock"
  if ! flock --nonblock 8; then
    echo "[images] another build in this store runs: waiting for it" >&2
    flock 8
  fi
  export TASKFLOW_IMAGES_BUILD_LOCKED=1
}

_phase_name="" _phase_start=0 _script_start=$(date +%s)
phase() {
  local now; now=$(date +%s)
  [ -z "$_phase_name" ] || printf '[images] %-44s %4ss\n' "$_phase_name" "$((now - _phase_start))"
  _phase_name="$*" _phase_start=$now
}
phases_done() {
  phase ""
  printf '[images] %-44s %4ss\n' "total ($(basename "$0"))" "$(($(date +%s) - _script_start))"
}

# image_label IMAGE KEY: a label of a local image, empty when the image does not exist.
image_label() { podman image inspect --format "{{index .Labels \"$2\"}}" "$1" 2>/dev/null || true; }
