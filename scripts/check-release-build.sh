#!/usr/bin/env bash
# A user's plain build, as the README's readers type it: Release, no options
# but the benchmarks (bench/ builds this folder too), every target. It must
# succeed with whatever warnings the compiler has; the project's own builds
# treat warnings as errors.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DCG_BUILD_BENCH=ON >/dev/null
cmake --build build-release -j"$(nproc)"
echo "check-release-build: a plain Release build succeeded"
