#!/usr/bin/env bash
# Builds the four TaskFlow images from apps/<service>/Dockerfile with podman, on the local node base image
# (build-base.sh, run first when that image is missing):
#   scripts/images/build-apps.sh [TAG] [sso api web mcp]     TAG: the chart's appVersion by default; all four by default
# → docker.io/taskflow/{sso-platform,api,web-dashboard,mcp-server}:TAG, the names kubelet resolves the chart's
#   `taskflow/<name>:<tag>` to. Prints each image's build time and size. Layers are cached in the shared store
#   (env.sh): the four Dockerfiles begin with the same stages, so the dependency install runs once for all four, and
#   again only when a package manifest or the lockfile changes. Root.
source "$(dirname "$0")/lib.sh"
hold_build_lock
tag="${1:-$APP_VERSION}"
[ $# -eq 0 ] || shift
selected=("$@")
[ ${#selected[@]} -gt 0 ] || selected=(api mcp sso web)
declare -A folder=([sso]=sso [api]=api [web]=web [mcp]=mcp-server)
for key in "${selected[@]}"; do
  [ -n "${folder[$key]:-}" ] || { echo "unknown service '$key' (sso, api, web, mcp)" >&2; exit 2; }
done

if ! podman image exists "$NODE_IMAGE"; then
  phase "base images (build-base.sh: $NODE_IMAGE is missing)"
  "$IMAGES_DIR/build-base.sh"
fi

# The build's npm: its cache under the image cache (a changed lockfile downloads only what is new, and no
# cache lands in a layer) and, where outbound TLS is intercepted, the host's CA bundle. Both are bind-mounted into the
# builds' RUN steps only, with a global npmrc naming them; the runtime stages copy nothing from those paths.
mkdir -p "$TASKFLOW_IMAGES_CACHE/npm"
npmrc="$TASKFLOW_IMAGES_CACHE/build-npmrc"
mounts=(-v "$TASKFLOW_IMAGES_CACHE/npm:/var/cache/taskflow-npm" -v "$npmrc:/usr/local/etc/npmrc:ro")
printf 'cache=/var/cache/taskflow-npm\n' >"$npmrc"
if [ -s "$EXTRA_CA_BUNDLE" ]; then
  printf 'cafile=/usr/local/etc/taskflow-build-ca.crt\n' >>"$npmrc"
  mounts+=(-v "$EXTRA_CA_BUNDLE:/usr/local/etc/taskflow-build-ca.crt:ro")
fi

cd "$REPO_ROOT"
# build_one KEY: one image, its output in $TASKFLOW_IMAGES_CACHE/build-KEY.log, its time in build-KEY.seconds.
build_one() {
  local key="$1" started log="$TASKFLOW_IMAGES_CACHE/build-$1.log"
  started=$(date +%s)
  # --network=host: a build needs nothing but the npm registry, and the host's network reaches it whether or not
  # podman's bridge can reach out on the machine (on the one the recipe was measured on, it could not).
  if ! podman build --pull=never --network=host --layers "${mounts[@]}" --build-arg NODE_IMAGE="$NODE_IMAGE" \
    -f "apps/${folder[$key]}/Dockerfile" -t "${APP_IMAGE[$key]}:$tag" . >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "build of ${APP_IMAGE[$key]}:$tag failed (log: $log)" >&2
    return 1
  fi
  echo $(($(date +%s) - started)) >"$TASKFLOW_IMAGES_CACHE/build-$key.seconds"
}
# The first image makes the stages all four share (npm ci); the others then build side by side: the dashboard's
# `next build` keeps a CPU busy for minutes while the three Node services mostly copy files.
first="${selected[0]}"
phase "image ${APP_IMAGE[$first]}:$tag (and the shared npm ci)"
build_one "$first"
if [ ${#selected[@]} -gt 1 ]; then
  phase "images ${selected[*]:1} side by side"
  pids=()
  for key in "${selected[@]:1}"; do
    build_one "$key" &
    pids+=($!)
  done
  failed=0
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  [ "$failed" = 0 ] || exit 1
fi
phases_done
for key in "${selected[@]}"; do
  name="${APP_IMAGE[$key]}:$tag"
  printf '  %-44s %6s MB  built in %ss\n' "$name" "$(($(podman image inspect --format '{{.Size}}' "$name") / 1000000))" \
    "$(cat "$TASKFLOW_IMAGES_CACHE/build-$key.seconds")"
done
