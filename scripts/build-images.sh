#!/usr/bin/env bash
# Builds the four TaskFlow images from the repository root (docker build -f apps/<service>/Dockerfile .).
#   scripts/build-images.sh                 # all four, tag = the chart's appVersion
#   TAG=dev scripts/build-images.sh api sso # some of them, another tag
# Services whose apps/<folder>/package.json does not exist yet are skipped with a note.
set -euo pipefail
cd "$(dirname "$0")/.."

TAG="${TAG:-$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' helm/taskflow/Chart.yaml)}"
DOCKER="${DOCKER:-docker}"
# service key → "folder image"
declare -A images=(
  [sso]="sso taskflow/sso-platform"
  [api]="api taskflow/api"
  [web]="web taskflow/web-dashboard"
  [mcp]="mcp-server taskflow/mcp-server"
)
selected=("$@")
[ ${#selected[@]} -gt 0 ] || selected=(sso api web mcp)

for key in "${selected[@]}"; do
  spec="${images[$key]:-}"
  [ -n "$spec" ] || { echo "unknown service '$key' (sso, api, web, mcp)" >&2; exit 2; }
  folder="${spec%% *}"; image="${spec##* }"
  if [ ! -f "apps/$folder/package.json" ]; then
    echo "== skipping $image: apps/$folder does not exist yet"
    continue
  fi
  echo "== building $image:$TAG (apps/$folder/Dockerfile)"
  "$DOCKER" build -f "apps/$folder/Dockerfile" -t "$image:$TAG" .
done
echo "== done: tag $TAG"
