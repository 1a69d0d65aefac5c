#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test.
#   ./scripts/test.sh              all tests, normal build (build/)
#   ./scripts/test.sh --sanitize   the tests again under AddressSanitizer and
#                                  UndefinedBehaviorSanitizer (build-asan/)
#   ./scripts/test.sh --tsan       the unit tests under ThreadSanitizer (build-tsan/)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --with-browser --with-debugger
./scripts/build.sh "$@"
dir=build
labels=()
if [ "${1:-}" = "--sanitize" ]; then
  dir=build-asan
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp
elif [ "${1:-}" = "--tsan" ]; then
  dir=build-tsan
  labels=(-L unit)
  export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp
fi
ctest --test-dir "$dir" --output-on-failure -j"$(nproc)" --timeout 600 "${labels[@]}"
