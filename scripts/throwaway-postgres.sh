#!/usr/bin/env bash
# Starts a throwaway PostgreSQL from Debian's packages: data in a temp dir, a free loopback port,
# trust auth, run as the `postgres` user (initdb refuses root). Prints `export TEST_DATABASE_URL=…`
# and `export THROWAWAY_PG_DIR=…`; `scripts/throwaway-postgres.sh stop DIR` stops and removes it.
set -euo pipefail

pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  echo "no PostgreSQL server binaries under /usr/lib/postgresql: apt-get install -y postgresql" >&2
  return 1
}

run_as_postgres() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = "stop" ]; then
  dir="${2:?usage: throwaway-postgres.sh stop DIR}"
  bin=$(pg_bin)
  run_as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  exit 0
fi

bin=$(pg_bin)
dir=$(mktemp -d /tmp/taskflow-pg.XXXXXX)
chmod 755 "$dir"
if [ "$(id -u)" = "0" ]; then chown postgres "$dir"; fi
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')

run_as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
run_as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

echo "export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres"
echo "export THROWAWAY_PG_DIR=$dir"
