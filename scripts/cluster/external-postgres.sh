#!/usr/bin/env bash
# A PostgreSQL outside the cluster for the pods to use (the production values' external database): Debian's
# server, run as `postgres` on the node's address $NODE_IP:$EXTERNAL_PG_PORT inside the cluster's network, with
# password logins for the pod network only. Its data lives under $CLUSTER_STATE (down.sh removes it).
#   scripts/cluster/external-postgres.sh start USER:PASSWORD:DATABASE...   prints postgres://USER:PASSWORD@HOST:PORT/DATABASE per entry
#   scripts/cluster/external-postgres.sh stop
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cluster_running || die "the cluster does not run (scripts/cluster/up.sh)"
port="${EXTERNAL_PG_PORT:-5433}"
dir="$CLUSTER_STATE/external-postgres"
bin="$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -n1)")"
as_postgres() { in_net runuser -u postgres -- "$@"; }

case "${1:-}" in
  stop)
    [ -d "$dir/data" ] && as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1
    rm -rf "$dir"
    ;;
  start)
    shift
    [ $# -gt 0 ] || die "usage: external-postgres.sh start USER:PASSWORD:DATABASE..."
    rm -rf "$dir" && mkdir -p "$dir" && chown postgres "$dir"
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --no-locale >"$dir/initdb.log"
    echo "host all all $POD_CIDR scram-sha-256" >>"$dir/data/pg_hba.conf"
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=$NODE_IP -c max_connections=200" start >/dev/null
    for entry in "$@"; do
      IFS=: read -r user password database <<<"$entry"
      as_postgres "$bin/psql" -h "$dir" -p "$port" -U postgres -v ON_ERROR_STOP=1 -q \
        -c "create role \"$user\" login password '$password'" -c "create database \"$database\" owner \"$user\""
      echo "postgres://$user:$password@$NODE_IP:$port/$database"
    done
    ;;
  *) die "usage: external-postgres.sh start USER:PASSWORD:DATABASE... | stop" ;;
esac
