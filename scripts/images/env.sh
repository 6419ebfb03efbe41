# shellcheck shell=bash
# Sourced, not run: `source scripts/images/env.sh`. Points podman, buildah and skopeo at TaskFlow's own image store
# and settings (under $TASKFLOW_IMAGES_CACHE), so the image scripts, the image tests and the cluster scripts all see
# the same images and layer cache, and the machine's workarounds below apply to every one of them.
: "${TASKFLOW_IMAGES_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/taskflow/images}"
export TASKFLOW_IMAGES_CACHE
export CONTAINERS_CONF="$TASKFLOW_IMAGES_CACHE/containers/containers.conf"
export CONTAINERS_STORAGE_CONF="$TASKFLOW_IMAGES_CACHE/containers/storage.conf"
mkdir -p "$TASKFLOW_IMAGES_CACHE/containers"

# The store: overlay layers under the cache (so a warm CI run keeps its layers), runtime state under /run.
_tf_storage="[storage]
driver = \"overlay\"
graphroot = \"$TASKFLOW_IMAGES_CACHE/containers/storage\"
runroot = \"/run/taskflow-images/$(printf %s "$TASKFLOW_IMAGES_CACHE" | cksum | cut -d' ' -f1)\"
"
# Workarounds for the CI/sandbox machines (cgroup v1 hybrid, no CAP_SYS_RESOURCE):
# - runtime runc: crun fails there ("setrlimit RLIMIT_NOFILE: Operation not permitted", then "cgroups in
#   hybrid mode not supported"); runc runs.
# - default_ulimits at or below the hard limits: podman asks for nofile and nproc far above them by default, which
#   a process without CAP_SYS_RESOURCE cannot raise ("error setting rlimit type 6/7: operation not permitted").
_tf_limit() { local hard; hard=$(ulimit -H "$1"); if [ "$hard" = unlimited ] || [ "$hard" -gt 16384 ]; then echo 16384; else echo "$hard"; fi; }
_tf_nofile=$(_tf_limit -n) _tf_nproc=$(_tf_limit -u)
_tf_conf="[containers]
default_ulimits = [\"nofile=$_tf_nofile:$_tf_nofile\", \"nproc=$_tf_nproc:$_tf_nproc\"]

[engine]
runtime = \"runc\"
"
[ "$(cat "$CONTAINERS_STORAGE_CONF" 2>/dev/null)" = "$_tf_storage" ] || printf '%s' "$_tf_storage" >"$CONTAINERS_STORAGE_CONF"
[ "$(cat "$CONTAINERS_CONF" 2>/dev/null)" = "$_tf_conf" ] || printf '%s' "$_tf_conf" >"$CONTAINERS_CONF"
unset _tf_storage _tf_conf _tf_nofile _tf_nproc
unset -f _tf_limit
