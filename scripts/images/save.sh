#!/usr/bin/env bash
# Writes images from TaskFlow's image store into one docker-archive, for a runtime that imports archives
# (`ctr -n k8s.io images import OUT.tar`, `kind load image-archive`, `docker load`):
#   scripts/images/save.sh OUT.tar [TAG]     the four app images at TAG (default: the chart's appVersion) and the
#                                            postgres, busybox and pause images; APPS_ONLY=1: the app images only
source "$(dirname "$0")/lib.sh"
out="${1:?usage: scripts/images/save.sh OUT.tar [TAG]}"
tag="${2:-$APP_VERSION}"
images=("${APP_IMAGE[sso]}:$tag" "${APP_IMAGE[api]}:$tag" "${APP_IMAGE[web]}:$tag" "${APP_IMAGE[mcp]}:$tag")
[ -n "${APPS_ONLY:-}" ] || images+=("$POSTGRES_IMAGE" "$BUSYBOX_IMAGE" "$PAUSE_IMAGE")
phase "save ${#images[@]} images to $out"
podman save --quiet --multi-image-archive --format docker-archive -o "$out" "${images[@]}"
phases_done
