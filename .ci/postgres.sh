#!/usr/bin/env bash
# Starts a throw-away PostgreSQL on loopback for saywho's tests and prints its URL.
#
#   export SAYWHO_TEST_PG="$(bash .ci/postgres.sh)"
#
# Installs Debian's postgresql package when it is missing (needs root and apt-get), creates a cluster
# in $SAYWHO_PG_DIR (default /tmp/saywho-pg) owned by the postgres user, listening on 127.0.0.1 only,
# port $SAYWHO_PG_PORT (default 54329), with a role and database "saywho". Safe to run again: a running
# cluster is reused. Prints nothing and exits 1 when PostgreSQL cannot be had (the tests then skip).
# The cluster is for tests and benchmarks only: it trusts every local connection, and it does not
# fsync (a crash of the machine may lose it; a crash of saywho or of the server does not).
set -euo pipefail
DIR="${SAYWHO_PG_DIR:-/tmp/saywho-pg}"
PORT="${SAYWHO_PG_PORT:-54329}"
URL="postgresql://saywho:saywho@127.0.0.1:${PORT}/saywho"
log() { echo "postgres.sh: $*" >&2; }

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

if [ -z "$(bindir)" ] || [ ! -x "$(bindir)/initdb" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        log "installing postgresql from Debian's packages"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq postgresql >&2
    else
        log "PostgreSQL is not installed and cannot be (needs root and apt-get)"
        exit 1
    fi
fi
BIN="$(bindir)"
# The server refuses to run as root: run it as the postgres user when we are root.
if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home "$DIR" postgres
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi

if ! as_pg "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
    if [ ! -f "$DIR/PG_VERSION" ]; then
        mkdir -p "$DIR"
        [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
        as_pg "$BIN/initdb" -D "$DIR" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    as_pg "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c full_page_writes=off" start >/dev/null
fi
psql_pg() { as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(psql_pg -c "SELECT 1 FROM pg_roles WHERE rolname = 'saywho'")" != 1 ]; then
    psql_pg -c "CREATE ROLE saywho LOGIN PASSWORD 'saywho' CREATEDB" >/dev/null
fi
if [ "$(psql_pg -c "SELECT 1 FROM pg_database WHERE datname = 'saywho'")" != 1 ]; then
    psql_pg -c "CREATE DATABASE saywho OWNER saywho" >/dev/null
fi
echo "$URL"
