#!/usr/bin/env bash
# Gives the four app images in the cluster's registry another tag, as a release pipeline would publish a new
# version: scripts/cluster/tag-images.sh FROM_TAG TO_TAG. (`helm upgrade … --set <service>.image.tag=TO_TAG`
# then rolls the Deployments onto it.) The manifest is copied within the registry; no layer moves.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
from="${1:?usage: tag-images.sh FROM_TAG TO_TAG}"
to="${2:?usage: tag-images.sh FROM_TAG TO_TAG}"
cluster_running || die "the cluster does not run (scripts/cluster/up.sh)"
for repository in taskflow/sso-platform taskflow/api taskflow/web-dashboard taskflow/mcp-server; do
  in_net skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false \
    "docker://$REGISTRY/$repository:$from" "docker://$REGISTRY/$repository:$to"
  log "tagged $repository:$from as $to"
done
