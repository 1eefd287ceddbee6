#!/usr/bin/env bash
# Start a throw-away PostgreSQL with PostGIS on loopback for the tests (Debian's packages).
# Prints the URL to use as ALLIANTIE_TEST_POSTGRES_URL. Usage: .ci/postgres.sh [PORT]
set -euo pipefail
PORT="${1:-55432}"
DATA="${ALLIANTIE_PG_DATA:-/tmp/alliantie-pg-$PORT}"
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
RUN_AS=()
if [ "$(id -u)" = "0" ]; then RUN_AS=(runuser -u postgres --); fi
if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  if [ ! -f "$DATA/PG_VERSION" ]; then
    mkdir -p "$DATA"
    [ "$(id -u)" = "0" ] && chown postgres:postgres "$DATA"
    "${RUN_AS[@]}" "$BIN/initdb" -D "$DATA" -U postgres --auth=trust >/dev/null
  fi
  mkdir -p /tmp/alliantie-pg-sock && chmod 1777 /tmp/alliantie-pg-sock
  "${RUN_AS[@]}" "$BIN/pg_ctl" -s -D "$DATA" -l "$DATA/server.log" -w \
    -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=/tmp/alliantie-pg-sock -c fsync=off" start
fi
"$BIN/psql" -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
echo "postgresql://postgres@127.0.0.1:$PORT/postgres"
