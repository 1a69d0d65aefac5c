#!/usr/bin/env bash
# Configures and builds into build/ (or build-asan/ with --sanitize, or
# build-tsan/ with --tsan: the unit tests only, under ThreadSanitizer).
# build/ has every target, the benchmarks too, so a compile error anywhere
# fails here. Debug information is line tables only (-g1): stacks, gdb
# backtraces and sanitizer reports keep their files and lines, and the
# builds take a quarter less time. Configure a folder of your own for locals
# in a debugger. The sanitizer builds compile eight sources to a unit
# (CG_UNITY): about half the time; build/ compiles file by file, so that a
# missing include fails there.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build
extra=(-DCG_BUILD_BENCH=ON -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG")
targets=()
if [ "${1:-}" = "--sanitize" ]; then
  dir=build-asan
  extra=(-DCG_SANITIZE=ON -DCG_UNITY=ON -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g1")
elif [ "${1:-}" = "--tsan" ]; then
  dir=build-tsan
  # -O1: what ThreadSanitizer asks for (-O1 or higher), in half the compile time of -O2.
  extra=(-DCG_TSAN=ON -DCG_UNITY=ON -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG")
  targets=(--target unit_tests)
fi
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCG_WERROR=ON "${extra[@]}" >/dev/null
cmake --build "$dir" -j"$(nproc)" "${targets[@]}"
