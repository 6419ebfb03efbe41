#!/usr/bin/env bash
# Copies images from TaskFlow's image store (scripts/images/env.sh) into the cluster's registry ($REGISTRY),
# where containerd pulls them from (the chart's default pull policy is Always: every pod start asks the
# registry). Layers the registry already has are not sent again.
#   scripts/cluster/push-images.sh                 every image the chart renders with its default values, the
#                                                  pause image and CoreDNS
#   scripts/cluster/push-images.sh IMAGE...        those images
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
# shellcheck source=../images/env.sh
source "$here/../images/env.sh"
cluster_running || die "the cluster does not run (scripts/cluster/up.sh)"

images=("$@")
if [ ${#images[@]} -eq 0 ]; then
  chart="$here/../../helm/taskflow"
  # The chart's short names as containerd resolves them (busybox:1 → docker.io/library/busybox:1).
  mapfile -t images < <(helm template taskflow "$chart" | sed -n 's/^ *image: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' |
    sort -u | awk '{ n = split($0, p, "/"); if (n == 1) print "docker.io/library/" $0; else if (n == 2) print "docker.io/" $0; else print }')
  images+=("$(pause_image)" "$(coredns_image)")
fi
for image in "${images[@]}"; do
  started=$(date +%s)
  # skopeo reaches the registry inside the cluster's network; the store is read as the host sees it.
  in_net skopeo copy --quiet --dest-tls-verify=false "containers-storage:$image" \
    "docker://$REGISTRY/$(registry_path "$image")"
  log "pushed $image ($(($(date +%s) - started))s)"
done
