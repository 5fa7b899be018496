#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the PostgreSQL state-store tests and exports the settings
# the tests read: COMPENSA_TEST_PG_URL, COMPENSA_TEST_PG_USER, COMPENSA_TEST_PG_PASSWORD.
#
# Run it and evaluate what it prints, as bin/test does:
#   pg_env="$(.ci/postgres.sh)"   # a plain assignment: errexit stops the caller when it fails
#   eval "$pg_env"
# It prints only export lines on stdout (progress goes to stderr) and exits non-zero when the server
# cannot be started. It refuses to be sourced: a sourced helper runs in the caller's shell and can
# change its options (an earlier version turned the caller's errexit off).
#
# The server is Debian's `postgresql` package, installed when missing; the cluster lives in a
# temporary directory owned by the `postgres` user and listens on 127.0.0.1 only, on
# COMPENSA_TEST_PG_PORT (default 55432). Running it again reuses a running server.
# Stop it with: su postgres -c "/usr/lib/postgresql/*/bin/pg_ctl -D $COMPENSA_TEST_PG_DIR stop"
_compensa_pg_main() {
  set -euo pipefail
  local port="${COMPENSA_TEST_PG_PORT:-55432}"
  local dir="${COMPENSA_TEST_PG_DIR:-/tmp/compensa-pg-$port}"
  local password="compensa-test"
  if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    printf '== installing PostgreSQL from Debian\n' >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  fi
  local bin
  bin="$(dirname "$(ls -d /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")"
  local as_postgres=(su postgres -s /bin/sh -c)
  if [[ "$(id -un)" == postgres ]]; then as_postgres=(sh -c); fi
  if ! "${as_postgres[@]}" "$bin/pg_ctl -D '$dir' status" >/dev/null 2>&1; then
    if [[ ! -f "$dir/PG_VERSION" ]]; then
      mkdir -p "$dir"
      chown postgres "$dir" 2>/dev/null || true
      chmod 700 "$dir"
      "${as_postgres[@]}" "$bin/initdb -D '$dir' -U postgres -A trust --no-sync -E UTF8 >'$dir.initdb.log' 2>&1"
      {
        echo "listen_addresses = '127.0.0.1'"
        echo "port = $port"
        echo "unix_socket_directories = '$dir'"
        echo "fsync = on"
        echo "max_connections = 100"
      } >>"$dir/postgresql.conf"
      # password authentication over TCP, as a team server would have it
      printf 'local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n' >"$dir/pg_hba.conf"
    fi
    printf '== starting PostgreSQL on 127.0.0.1:%s (%s)\n' "$port" "$dir" >&2
    "${as_postgres[@]}" "$bin/pg_ctl -D '$dir' -l '$dir.log' -w -t 60 start" >/dev/null
  fi
  "${as_postgres[@]}" "$bin/psql -h '$dir' -p $port -U postgres -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='compensa'\" | grep -q 1 \
    || $bin/psql -h '$dir' -p $port -U postgres -qc \"CREATE ROLE compensa LOGIN PASSWORD '$password'\"" >/dev/null
  "${as_postgres[@]}" "$bin/psql -h '$dir' -p $port -U postgres -qtAc \"SELECT 1 FROM pg_database WHERE datname='compensa_test'\" | grep -q 1 \
    || $bin/createdb -h '$dir' -p $port -U postgres -O compensa compensa_test" >/dev/null
  COMPENSA_TEST_PG_URL="postgresql://127.0.0.1:$port/compensa_test"
  COMPENSA_TEST_PG_USER=compensa
  COMPENSA_TEST_PG_PASSWORD="$password"
  COMPENSA_TEST_PG_DIR="$dir"
}
if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  printf 'error: .ci/postgres.sh is not to be sourced; run it and eval what it prints (see its header)\n' >&2
  return 1
fi
_compensa_pg_main
printf 'export COMPENSA_TEST_PG_URL=%q COMPENSA_TEST_PG_USER=%q COMPENSA_TEST_PG_PASSWORD=%q COMPENSA_TEST_PG_DIR=%q\n' \
  "$COMPENSA_TEST_PG_URL" "$COMPENSA_TEST_PG_USER" "$COMPENSA_TEST_PG_PASSWORD" "$COMPENSA_TEST_PG_DIR"
