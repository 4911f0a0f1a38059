#!/usr/bin/env bash
# scripts/test.sh — the test command (README.md; CI runs it through .ci/run).
#
# Installs what is missing (scripts/deps.sh test), starts a throwaway
# PostgreSQL server (stopped on exit, failure included), then:
#   1. build/       RelWithDebInfo, tests + examples + bench (a smoke run); ctest
#   2. the README's first command (scripts/run_example.sh) as a smoke check,
#      on SQLite and on the PostgreSQL server
#   3. build-asan/  Debug with AddressSanitizer + UBSan; ctest
#   4. build-clang/ clang++ -Werror build, only when RETORT_CLANG_CHECK=1
# Every step runs even when an earlier one failed; the exit status is non-zero
# if any failed, and the last line sums up the test counts.
#
# Environment: RETORT_JOBS (default 2), RETORT_BUILD_DIR (build),
# RETORT_ASAN_BUILD_DIR (build-asan), RETORT_EXAMPLE_BUILD_DIR (build-example,
# used by run_example.sh), RETORT_CLANG_CHECK (0).
set -uo pipefail
cd "$(dirname "$0")/.."

jobs=${RETORT_JOBS:-2}
build=${RETORT_BUILD_DIR:-build}
asan_build=${RETORT_ASAN_BUILD_DIR:-build-asan}
export CLICOLOR=0 CLICOLOR_FORCE=0 GTEST_COLOR=no CMAKE_COLOR_DIAGNOSTICS=OFF
start=$SECONDS
failed_steps=()
summaries=()
passed=0 failed=0 skipped=0
other_failures=0  # failed steps other than ctest runs (builds, the example)

log() { echo "=== test.sh [$((SECONDS - start))s] $*"; }
fail() {
  failed_steps+=("$1")
  [[ $1 == *ctest ]] || other_failures=$((other_failures + 1))
  log "FAILED: $1"
}

bash scripts/deps.sh test || { echo "test.sh: installing dependencies failed" >&2; exit 1; }

pgdir=$(mktemp -d /tmp/retort-pg.XXXXXX)
# Quiet, so that the summary stays the last line of the output.
cleanup() { bash scripts/pg.sh stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$pgdir"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
RETORT_PG_URL=$(bash scripts/pg.sh start "$pgdir") || { echo "test.sh: starting PostgreSQL failed" >&2; exit 1; }
export RETORT_PG_URL

# configure_build NAME DIR CMAKE-ARGS...: configure DIR with Ninja and build it.
configure_build() {
  local name=$1 dir=$2; shift 2
  # A cache from another generator (e.g. a hand-made Makefile build) would stop cmake.
  if [ -f "$dir/CMakeCache.txt" ] && ! grep -qx 'CMAKE_GENERATOR:INTERNAL=Ninja' "$dir/CMakeCache.txt"; then
    rm -rf "$dir/CMakeCache.txt" "$dir/CMakeFiles"
  fi
  log "$name: configure + build in $dir"
  mkdir -p "$dir"
  cmake -S . -B "$dir" -G Ninja -DRETORT_BUILD_TESTS=ON -DRETORT_BUILD_EXAMPLES=ON "$@" >"$dir/configure.log" 2>&1 \
    || { cat "$dir/configure.log"; fail "$name configure"; return 1; }
  cmake --build "$dir" -j "$jobs" || { fail "$name build"; return 1; }
}

# run_ctest NAME DIR: run the suite, keep its summary and counts.
run_ctest() {
  local name=$1 dir=$2 out
  out=$(mktemp)
  log "$name: ctest"
  ctest --test-dir "$dir" --output-on-failure --no-tests=error -j "$jobs" 2>&1 | tee "$out"
  local rc=${PIPESTATUS[0]}
  # "100% tests passed, 0 tests failed out of 42"
  local line total nfail nskip
  line=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$out" | tail -n 1)
  if [ -n "$line" ]; then
    total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
    nfail=$(sed -E 's/.* ([0-9]+) tests? failed.*/\1/' <<<"$line")
    nskip=$(grep -cE '^[[:space:]]*[0-9]+ - .* \(Skipped\)$' "$out")
    passed=$((passed + total - nfail - nskip)) failed=$((failed + nfail)) skipped=$((skipped + nskip))
    summaries+=("$name: $line")
  else
    summaries+=("$name: ctest printed no summary")
  fi
  rm -f "$out"
  [ "$rc" -eq 0 ] || { fail "$name ctest"; return 1; }
}

if configure_build release "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRETORT_BUILD_BENCH=ON; then
  run_ctest release "$build"
fi

if [ -f examples/one_to_many.cpp ]; then
  log "example: bash scripts/run_example.sh (README's first command), then on PostgreSQL"
  bash scripts/run_example.sh || fail "example on SQLite (scripts/run_example.sh)"
  bash scripts/run_example.sh "$RETORT_PG_URL" || fail "example on PostgreSQL (scripts/run_example.sh URL)"
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
if configure_build asan "$asan_build" -DCMAKE_BUILD_TYPE=Debug -DRETORT_SANITIZE=ON; then
  run_ctest asan "$asan_build"
fi

if [ "${RETORT_CLANG_CHECK:-0}" = 1 ]; then
  configure_build clang build-clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_CXX_FLAGS=-Werror || true
fi

log "done in $((SECONDS - start))s"
for s in "${summaries[@]}"; do echo "  $s"; done
if [ ${#failed_steps[@]} -gt 0 ]; then
  echo "  failed steps: $(IFS=,; echo "${failed_steps[*]}")"
fi
# Each failed build or example run counts as one failure besides failed tests.
echo "test.sh: $passed passed, $((failed + other_failures)) failed, $skipped skipped"
[ ${#failed_steps[@]} -eq 0 ]
