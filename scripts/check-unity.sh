#!/usr/bin/env bash
# Builds every target with all its sources in one unit (CG_UNITY, 0 sources
# a batch; no optimisation, no debug information), so that every name two
# sources of a target both define shows at once. The sanitizer and fuzz
# builds compile eight sources to a unit, and which sources share a unit
# moves when a file is added: a name that is unique across the target never
# breaks them.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build-unity
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g0" -DCG_WERROR=ON -DCG_BUILD_BENCH=ON \
  -DCG_UNITY=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=0 >/dev/null
cmake --build "$dir" -j"$(nproc)"
echo "check-unity: every target builds as one unit"
