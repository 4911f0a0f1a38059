#!/usr/bin/env bash
# scripts/pg.sh start DIR | stop DIR — a throwaway PostgreSQL server in DIR.
#
# start: initdb in DIR/data (superuser 'postgres', trust auth, C locale, UTF8),
#        serving only on a unix socket in DIR (no TCP), fsync off,
#        max_connections=200. Prints the URL on stdout (and writes DIR/url):
#            postgresql://postgres@/postgres?host=DIR
#        so:  export RETORT_PG_URL=$(bash scripts/pg.sh start "$dir")
# stop:  fast shutdown; kills the postmaster (from DIR/data/postmaster.pid)
#        if it does not go. DIR itself is left for the caller to remove.
#
# DIR must be reachable by the server user (a mktemp -d under /tmp is).
# As root the server runs as the unprivileged user 'postgres' (created by
# Debian's postgresql package) and DIR is chowned to it.
set -euo pipefail

[ $# -eq 2 ] && [[ $1 == start || $1 == stop ]] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
action=$1
dir=$(realpath -m -- "$2")
data=$dir/data
cd /  # the server user may not be allowed into the caller's directory

bindir=""
if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then
  bindir=$(pg_config --bindir)
else
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
[ -n "$bindir" ] && [ -x "$bindir/pg_ctl" ] || { echo "pg.sh: PostgreSQL server binaries not found (run scripts/deps.sh test)" >&2; exit 1; }

if [ "$(id -u)" -eq 0 ]; then
  getent passwd postgres >/dev/null || { echo "pg.sh: user 'postgres' does not exist (install the postgresql package)" >&2; exit 1; }
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

running() { as_pg "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; }

case $action in
start)
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  chmod 700 "$dir"
  if [ ! -s "$data/PG_VERSION" ]; then
    as_pg "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; echo "pg.sh: initdb failed" >&2; exit 1; }
    cat >>"$data/postgresql.conf" <<CONF
# scripts/pg.sh: throwaway test server
listen_addresses = ''
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
  fi
  if ! running; then
    as_pg "$bindir/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
      { tail -n 30 "$dir/server.log" >&2; echo "pg.sh: server did not start" >&2; exit 1; }
  fi
  "$bindir/pg_isready" -q -h "$dir" -t 30 || { echo "pg.sh: server not accepting connections" >&2; exit 1; }
  url="postgresql://postgres@/postgres?host=$dir"
  echo "$url" >"$dir/url"
  echo "pg.sh: PostgreSQL $("$bindir/postgres" -V | awk '{print $3}') running in $dir" >&2
  echo "$url"
  ;;
stop)
  [ -d "$data" ] || exit 0
  if running; then
    as_pg "$bindir/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  fi
  pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)
  if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
    echo "pg.sh: postmaster $pid still running; killing it" >&2
    kill -QUIT "$pid" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  echo "pg.sh: stopped the server in $dir" >&2
  ;;
esac
