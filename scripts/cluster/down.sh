#!/usr/bin/env bash
# Stops the cluster up.sh started and removes everything it made, keeping only the caches under $CLUSTER_CACHE
# (binaries, the Go caches, the registry's storage):
#   processes   every pod (the processes in the cgroup $CGROUP_ROOT), every process inside the cluster's mount or
#               network namespace (the daemons, containerd's shims, commands run.sh started), by their pids
#   mounts      the overlays, volumes and pods' network namespaces live in the cluster's mount namespace, which
#               ends with its last process; then the namespace files and $CLUSTER_RUN are unmounted
#   network     the cluster's network namespace, and with it every iptables rule, route and bridge it held
#   cgroups     $CGROUP_ROOT in every hierarchy
#   sysctls     the kernel-wide ones the kubelet set, back to what they were
#   files       $CLUSTER_STATE
# Safe to run again, or when up.sh stopped half-way.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || die "run as root"
started=$(date +%s)

# The inode of a namespace file bound under $CLUSTER_RUN (empty when it is not there): a namespace's identity.
namespace_inode() { mountpoint -q "$1" 2>/dev/null && stat -L -c %i "$1"; }
net_inode="$(namespace_inode "$NET_NS")"
mnt_inode="$(namespace_inode "$MNT_NS")"

# pods_pids: every process in the pods' cgroup (any hierarchy lists them all; pick one that exists)
pods_pids() {
  local hierarchy
  for hierarchy in /sys/fs/cgroup/pids /sys/fs/cgroup/memory /sys/fs/cgroup; do
    if [ -d "$hierarchy/$CGROUP_ROOT" ]; then
      find "$hierarchy/$CGROUP_ROOT" -name cgroup.procs -exec cat {} + 2>/dev/null
      return
    fi
  done
}
# namespace_pids: every process whose mount or network namespace is the cluster's (one stat for all of them)
namespace_pids() {
  [ -n "$net_inode$mnt_inode" ] || return 0
  stat -L -c '%n %i' /proc/[0-9]*/ns/net /proc/[0-9]*/ns/mnt 2>/dev/null |
    awk -v net="$net_inode" -v mnt="$mnt_inode" -v self=$$ '
      { split($1, path, "/") }
      path[3] != self && (($2 == net && net != "") || ($2 == mnt && mnt != "")) { print path[3] }' | sort -u
}
signal_all() { # SIGNAL PID...
  local signal="$1"
  shift
  [ $# -gt 0 ] && kill "-$signal" "$@" 2>/dev/null
  return 0
}
# stop_all: TERM, then KILL what is left after 10 s
stop_all() {
  local -a pids
  mapfile -t pids < <({ pods_pids; namespace_pids; } | sort -u)
  [ ${#pids[@]} -gt 0 ] || return 0
  log "stopping ${#pids[@]} processes"
  signal_all TERM "${pids[@]}"
  for _ in $(seq 1 20); do
    mapfile -t pids < <({ pods_pids; namespace_pids; } | sort -u)
    [ ${#pids[@]} -gt 0 ] || return 0
    sleep 0.5
  done
  log "killing ${#pids[@]} processes that did not stop"
  signal_all KILL "${pids[@]}"
  sleep 1
}

# The kubelet first, so that it does not start containers again; then the pods at once (SIGKILL: nothing
# in them is kept), then every daemon and what they started.
for name in kubelet kube-router kube-proxy; do
  [ -f "$CLUSTER_STATE/$name.pid" ] && kill "$(cat "$CLUSTER_STATE/$name.pid")" 2>/dev/null
done
mapfile -t pod_pids < <(pods_pids)
signal_all KILL "${pod_pids[@]}"
stop_all
stop_all
# Checked while the namespaces still exist: once they are gone, another namespace may get the same inode.
left=""
[ -z "$(namespace_pids)" ] || left+=" processes:$(namespace_pids | tr '\n' ' ')"

if mountpoint -q "$CLUSTER_RUN" 2>/dev/null; then
  umount "$MNT_NS" 2>/dev/null
  umount "$NET_NS" 2>/dev/null
  umount "$CLUSTER_RUN" 2>/dev/null
fi
rm -rf "$CLUSTER_RUN"

# Depth first: a cgroup is removed once its children are (and it holds no process).
for hierarchy in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
  [ -d "$hierarchy$CGROUP_ROOT" ] && find "$hierarchy$CGROUP_ROOT" -depth -type d -exec rmdir {} + 2>/dev/null
done

if [ -f "$CLUSTER_STATE/host-sysctls" ]; then
  while IFS='=' read -r key value; do sysctl -qw "$key=$value" 2>/dev/null; done <"$CLUSTER_STATE/host-sysctls"
fi

# Whatever the kubelet or containerd mounted under the state folder went away with the mount namespace; in case
# one of them ran outside it (an older up.sh), unmount what is left there before removing the files.
grep -o " $CLUSTER_STATE/[^ ]*" /proc/mounts | sort -r | while read -r mount; do umount -l "$mount"; done
rm -rf "$CLUSTER_STATE"

for hierarchy in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do [ -d "$hierarchy$CGROUP_ROOT" ] && left+=" cgroup:$hierarchy$CGROUP_ROOT"; done
[ ! -e "$CLUSTER_RUN" ] || left+=" $CLUSTER_RUN"
if [ -n "$left" ]; then
  log "down: left behind:$left"
  exit 1
fi
log "down: nothing left ($(($(date +%s) - started))s)"
