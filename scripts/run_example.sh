#!/usr/bin/env bash
# scripts/run_example.sh [ARGS...] — build and run examples/one_to_many.cpp.
#
# Installs what is missing (scripts/deps.sh example), builds only the target
# one_to_many (Release) in build-example/ and runs it; ARGS are passed on,
# e.g. a database URL such as postgresql://postgres@/postgres?host=/tmp/pg.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${RETORT_EXAMPLE_BUILD_DIR:-build-example}

bash scripts/deps.sh example
mkdir -p "$dir"
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DRETORT_BUILD_TESTS=OFF -DRETORT_BUILD_EXAMPLES=ON >"$dir/configure.log" 2>&1 \
  || { cat "$dir/configure.log" >&2; exit 1; }
cmake --build "$dir" --target one_to_many -j "${RETORT_JOBS:-2}"
exe=$(find "$dir" -type f -name one_to_many -perm -u+x | head -n 1)
[ -n "$exe" ] || { echo "run_example.sh: one_to_many was not built" >&2; exit 1; }
echo "run_example.sh: running $exe $*" >&2
exec "$exe" "$@"
