#!/usr/bin/env bash
# Configures and builds into build/ (or build-asan/ with --sanitize, or
# build-tsan/ with --tsan: the unit tests only, under ThreadSanitizer).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build
extra=()
targets=()
if [ "${1:-}" = "--sanitize" ]; then
  dir=build-asan
  extra=(-DCG_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug)
elif [ "${1:-}" = "--tsan" ]; then
  dir=build-tsan
  extra=(-DCG_TSAN=ON)
  targets=(--target unit_tests)
fi
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCG_WERROR=ON "${extra[@]}" >/dev/null
cmake --build "$dir" -j"$(nproc)" "${targets[@]}"
