#!/usr/bin/env bash
# scripts/deps.sh [example|test] — install the Debian 12 packages retort needs.
#
#   example  what building and running examples/one_to_many needs
#   test     everything: also GoogleTest, Google Benchmark, a PostgreSQL server,
#            Python + SQLAlchemy (differential tests); clang too when
#            RETORT_CLANG_CHECK=1
#
# Only missing packages are installed (checked with dpkg-query first), so a
# re-run on a machine that has them all does nothing and takes well under a
# second. Runs apt-get as root, or through sudo when not root.
set -euo pipefail

mode=${1:-test}
pkgs=(g++ cmake ninja-build pkg-config libsqlite3-dev libpq-dev)
case $mode in
  example) ;;
  test)
    pkgs+=(postgresql libgtest-dev googletest libbenchmark-dev python3 python3-sqlalchemy ca-certificates)
    [ "${RETORT_CLANG_CHECK:-0}" = 1 ] && pkgs+=(clang)
    ;;
  *) echo "usage: $0 [example|test]" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q ' ok installed$' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "deps.sh: all ${#pkgs[@]} packages for '$mode' are installed"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root() { "$@"; }
elif command -v sudo >/dev/null; then
  as_root() { sudo "$@"; }
else
  echo "deps.sh: missing packages: ${missing[*]}; run this script as root (no sudo here)" >&2
  exit 1
fi

# No system-wide 'main' cluster on port 5432: the tests start their own
# throwaway server (scripts/pg.sh). This must be in place before
# postgresql-common is first configured; later it is left alone.
if [[ " ${missing[*]} " == *" postgresql "* ]] && ! dpkg-query -W -f='${Status}' postgresql-common 2>/dev/null | grep -q ' ok installed$' \
   && [ ! -e /etc/postgresql-common/createcluster.conf ]; then
  as_root mkdir -p /etc/postgresql-common
  echo "create_main_cluster = false" | as_root tee /etc/postgresql-common/createcluster.conf >/dev/null
fi

echo "deps.sh: installing ${missing[*]}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
apt_env=(env DEBIAN_FRONTEND=noninteractive UCF_FORCE_CONFFOLD=1)
if ! as_root "${apt_env[@]}" apt-get update -q >"$log" 2>&1 ||
   ! as_root "${apt_env[@]}" apt-get install -y -q --no-install-recommends \
       -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
       "${missing[@]}" >>"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "deps.sh: apt-get failed (output above)" >&2
  exit 1
fi
echo "deps.sh: installed ${#missing[@]} packages"
