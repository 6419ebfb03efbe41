#!/usr/bin/env bash
# The images the cluster needs, in TaskFlow's image store (scripts/images/env.sh): the base and stand-in images
# and the four app images (scripts/images/build-base.sh and build-apps.sh, cached there), and CoreDNS: its
# binary from build.sh alone in an image (FROM scratch, non-root). Root.
#   scripts/cluster/build-images.sh [TAG]     TAG of the app images; default the chart's appVersion
#   SKIP_IMAGE_BUILD=1 …                      only CoreDNS: use the app and base images already in the store
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
images="$here/../images"
# Two runs at once (CI starts one in the background, up.sh another) take turns.
mkdir -p "$CLUSTER_CACHE"
exec 9>"$CLUSTER_CACHE/images.lock"
flock 9

if [ -z "${SKIP_IMAGE_BUILD:-}" ]; then
  "$images/build-base.sh"
  "$images/build-apps.sh" "$@"
fi

# shellcheck source=../images/env.sh
source "$images/env.sh"
image="$(coredns_image)"
if podman image exists "$image"; then
  log "image $image: already built"
else
  log "image $image"
  container="$(buildah from scratch)"
  buildah copy --chmod 0755 "$container" "$COREDNS_BIN/coredns" /coredns >/dev/null
  buildah config --entrypoint '["/coredns"]' --user 65532:65532 --port 1053/udp --port 1053/tcp "$container"
  buildah commit --quiet --rm "$container" "$image" >/dev/null
fi
