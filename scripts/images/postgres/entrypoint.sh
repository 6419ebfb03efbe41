#!/bin/bash
# Entrypoint of the postgres stand-in: on the first start (no PG_VERSION in $PGDATA) create the cluster with
# POSTGRES_USER / POSTGRES_PASSWORD (scram-sha-256 over TCP, trust on the local socket) and POSTGRES_DB, then run
# the command (`postgres` by default; arguments starting with `-` are postgres options).
set -Eeuo pipefail
[ "${1:0:1}" != - ] || set -- postgres "$@"

first_start() {
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set (the cluster is created on the first start)}"
  local user="${POSTGRES_USER:-postgres}" db="${POSTGRES_DB:-${POSTGRES_USER:-postgres}}"
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA"
  # initdb wants a passwd entry for the UID it runs as; an arbitrary UID (the chart's 10001) has none, so one is
  # lent for initdb only through nss_wrapper, in /tmp (the root filesystem is read-only).
  if ! getent passwd "$(id -u)" >/dev/null; then
    local wrapper
    wrapper="$(echo /usr/lib/*/libnss_wrapper.so)"
    export NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP LD_PRELOAD="$wrapper"
    NSS_WRAPPER_PASSWD="$(mktemp)" NSS_WRAPPER_GROUP="$(mktemp)"
    echo "postgres:x:$(id -u):$(id -g):PostgreSQL:$PGDATA:/bin/false" >"$NSS_WRAPPER_PASSWD"
    echo "postgres:x:$(id -g):" >"$NSS_WRAPPER_GROUP"
  fi
  initdb --username="$user" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") --auth-local=trust --auth-host=scram-sha-256
  if [ -n "${NSS_WRAPPER_PASSWD:-}" ]; then
    rm -f "$NSS_WRAPPER_PASSWD" "$NSS_WRAPPER_GROUP"
    unset LD_PRELOAD NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP
  fi
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  if [ "$db" != postgres ]; then
    # a server on the local socket only, just long enough to create the database
    pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start
    psql -v ON_ERROR_STOP=1 --no-psqlrc -U "$user" -d postgres --set db="$db" <<<'CREATE DATABASE :"db";'
    pg_ctl -D "$PGDATA" -m fast -w stop
  fi
  echo "entrypoint: cluster created in $PGDATA (user $user, database $db)"
}

if [ "$1" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then first_start; fi
exec "$@"
