# Shared by the benchmark scripts: the Release build, a run folder cleaned up
# at exit (KEEP=1 keeps it), processes stopped at exit, the machine line.
#   source "$(dirname "$0")/lib.sh" NAME    (after set -euo pipefail)
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
B=$SRC/build-release
cmake -S "$SRC" -B "$B" -DCMAKE_BUILD_TYPE=Release -DCG_BUILD_TESTS=OFF -DCG_BUILD_BENCH=ON >/dev/null
cmake --build "$B" -j"$(nproc)" >/dev/null
BIN=$B/core/credit-gateway
T=$(mktemp -d "/tmp/cg-${1:-bench}-XXXXXX")
PIDS=()  # stopped at exit, with their children (a gateway under /usr/bin/time)
bench_cleanup() {
  for p in "${PIDS[@]}"; do pkill -TERM -P "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "${KEEP:-}" ]; then echo "kept: $T"; else rm -rf "$T"; fi
}
trap bench_cleanup EXIT
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(uname -r); build: Release; commit: $(git -C "$SRC" rev-parse --short HEAD)"
