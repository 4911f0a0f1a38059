#!/usr/bin/env bash
# bench/run.sh — build the bench in Release, run it against SQLite (file and
# :memory:) and a temporary PostgreSQL, run the SQLAlchemy counterpart, and
# print one markdown report (also written to build-bench/results/report.md).
#
#   bash bench/run.sh [--scale X] [--reps N] [--filter a,b] [--no-python] [--no-pg]
#
# Defaults: --scale 1 (the full sizes), --reps 5. PostgreSQL: RETORT_PG_URL if
# set (the bench creates and drops its own databases there), otherwise a
# throwaway server started with scripts/pg.sh in a temp dir (unix socket only)
# and stopped at the end. Builds with -j2 into build-bench/.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-bench
results=$build/results
scale=1
reps=5
filter=""
python=1
pg=1
while [ $# -gt 0 ]; do
  case $1 in
    --scale) scale=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --filter) filter=$2; shift 2 ;;
    --no-python) python=0; shift ;;
    --no-pg) pg=0; shift ;;
    *) echo "usage: $0 [--scale X] [--reps N] [--filter a,b] [--no-python] [--no-pg]" >&2; exit 2 ;;
  esac
done

say() { echo "run.sh: $*" >&2; }

# --- build ---------------------------------------------------------------------
say "configuring and building retort_bench (Release) in $build"
mkdir -p "$build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRETORT_BUILD_BENCH=ON \
  -DRETORT_BUILD_TESTS=OFF -DRETORT_BUILD_EXAMPLES=ON >"$build/configure.log" 2>&1 ||
  { cat "$build/configure.log" >&2; exit 1; }
cmake --build "$build" --target retort_bench -j2 >&2
mkdir -p "$results"

# --- PostgreSQL ----------------------------------------------------------------
pg_url=""
pg_dir=""
stop_pg() {
  if [ -n "$pg_dir" ]; then
    if [ -f "$root/scripts/pg.sh" ]; then
      bash "$root/scripts/pg.sh" stop "$pg_dir" || true
    else
      runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/pg_ctl" \
        -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$pg_dir"
  fi
}
trap stop_pg EXIT
if [ "$pg" = 1 ]; then
  if [ -n "${RETORT_PG_URL:-}" ]; then
    pg_url=$RETORT_PG_URL
    say "PostgreSQL from RETORT_PG_URL"
  else
    pg_dir=$(mktemp -d /tmp/retort-bench-pg.XXXXXX)
    if [ -f "$root/scripts/pg.sh" ]; then
      pg_url=$(bash "$root/scripts/pg.sh" start "$pg_dir") || { say "PostgreSQL did not start; skipping it"; pg_url=""; }
    else
      # scripts/pg.sh missing: the same dance by hand (as user postgres when root).
      bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
      as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
      [ "$(id -u)" -eq 0 ] && chown postgres: "$pg_dir"
      as_pg "$bindir/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >/dev/null
      printf "listen_addresses = ''\nunix_socket_directories = '%s'\nfsync = off\n" "$pg_dir" >>"$pg_dir/data/postgresql.conf"
      as_pg "$bindir/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w start >/dev/null
      pg_url="postgresql://postgres@/postgres?host=$pg_dir"
    fi
  fi
fi
pg_args=(--no-pg)
[ -n "$pg_url" ] && pg_args=(--pg-url "$pg_url")
filter_args=()
[ -n "$filter" ] && filter_args=(--filter "$filter")

# One allocator policy for both processes (the C++ bench also calls mallopt).
export MALLOC_ARENA_MAX=1 MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1073741824 MALLOC_TOP_PAD_=16777216

# --- run -------------------------------------------------------------------------
say "retort_bench --scale $scale --reps $reps"
"$build/bench/retort_bench" --scale "$scale" --reps "$reps" "${filter_args[@]}" "${pg_args[@]}" \
  --json "$results/retort.json" >"$results/retort.txt"
py_json=()
if [ "$python" = 1 ]; then
  say "sqlalchemy_bench.py --scale $scale --reps $reps"
  if /usr/bin/python3 "$root/bench/sqlalchemy_bench.py" --scale "$scale" --reps "$reps" "${filter_args[@]}" \
    "${pg_args[@]}" --json "$results/sqlalchemy.json"; then
    py_json=("$results/sqlalchemy.json")
  else
    say "the SQLAlchemy bench failed (is python3-sqlalchemy installed? apt-get install -y python3-sqlalchemy python3-psycopg2)"
  fi
fi
stop_pg
pg_dir=""

# --- compile cost ------------------------------------------------------------------
# Wall time and compiler peak RSS for single translation units, rerunning the
# exact command from compile_commands.json (output to a scratch object).
compile_cost() {
  local src=$1
  /usr/bin/python3 - "$build/compile_commands.json" "$src" <<'PY'
import json, shlex, subprocess, sys, os, re, tempfile
db, src = sys.argv[1], os.path.realpath(sys.argv[2])
for e in json.load(open(db)):
    if os.path.realpath(os.path.join(e["directory"], e["file"])) != src:
        continue
    args = e.get("arguments") or shlex.split(e["command"])
    out = tempfile.mktemp(suffix=".o")
    if "-o" in args:
        args[args.index("-o") + 1] = out
    r = subprocess.run(["/usr/bin/time", "-v"] + args, cwd=e["directory"], capture_output=True, text=True)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", r.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
    try:
        os.remove(out)
    except FileNotFoundError:
        pass
    if r.returncode:
        print("| %s | failed to compile | |" % os.path.relpath(src))
    else:
        print("| %s | %s | %.0f |" % (os.path.relpath(src), wall.group(1), int(rss.group(1)) / 1024))
    break
else:
    print("| %s | not in compile_commands.json | |" % os.path.relpath(src))
PY
}

{
  echo "# retort benchmark"
  echo
  echo "Machine: $(nproc) cores, $(uname -sr), $(g++ --version | head -n 1); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  /usr/bin/python3 "$root/bench/combine.py" "$results/retort.json" "${py_json[@]}"
  echo
  echo "## Compile cost (one translation unit, -j1, from compile_commands.json)"
  echo
  echo "| file | wall time | compiler peak RSS MB |"
  echo "|---|---:|---:|"
  cd "$root"
  if [ -f examples/one_to_many.cpp ]; then compile_cost examples/one_to_many.cpp; else echo "| examples/one_to_many.cpp | not present yet | |"; fi
  compile_cost bench/core_workloads.cpp
  compile_cost bench/orm_workloads.cpp
} >"$results/report.md"
cat "$results/report.md"
say "report in $results/report.md (raw tables: retort.txt, retort.json, sqlalchemy.json)"
