#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (build-fuzz/) and runs each for a
# bounded time, after the inputs they once failed on (tests/fuzz/regressions/).
#   ./scripts/fuzz.sh               every target, FUZZ_SECONDS each (default 25)
#   ./scripts/fuzz.sh TARGET...     these targets (mapping_input, mapping_file, config,
#                                   catalog, calendar, http_request, host_message,
#                                   department_feedback, department_check)
# Seeds are the project's fixtures. A finding fails the run; its input is in
# build-fuzz/findings/<target>/: keep it in tests/fuzz/regressions/<target>/
# with the fix.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --with-fuzz
SECONDS_EACH=${FUZZ_SECONDS:-25}
ALL=(mapping_input mapping_file config catalog calendar http_request host_message department_feedback
  department_check)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${ALL[@]}")
B=build-fuzz
# -O1 as libFuzzer's documentation builds its targets; line tables (-g1) for the reports' stacks.
CC=clang CXX=clang++ cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DCG_FUZZ=ON -DCG_UNITY=ON -DCG_BUILD_TESTS=OFF \
  -DCG_WERROR=ON >/dev/null
cmake --build "$B" -j"$(nproc)" --target "${targets[@]/#/fuzz_}"

# seeds TARGET DIR: the fixtures that target starts from.
seeds() {
  local dir=$2
  rm -rf "$dir" && mkdir -p "$dir"
  case "$1" in
    mapping_input) cp tests/fixtures/feeds/*/* tests/fixtures/hostile/* tests/fixtures/unseen/* "$dir"/
                   for f in mappings/*/*.tests/*/input*; do cp "$f" "$dir/$(echo "$f" | tr / _)"; done ;;
    mapping_file) for f in mappings/*/*.json; do cp "$f" "$dir/$(echo "$f" | tr / _)"; done ;;
    config) cp config/gateway.json "$dir"/ && cp docker/gateway.json "$dir/docker.json" ;;
    catalog) cp config/catalog.json "$dir"/ ;;
    calendar) cp config/calendar/*.json "$dir"/ ;;
    *) cp tests/fuzz/seeds/"$1"/* "$dir"/ ;;
  esac
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=()
for t in "${targets[@]}"; do
  bin=$B/tests/fuzz/fuzz_$t
  mkdir -p "$B/findings/$t" "$B/corpus/$t"
  if compgen -G "tests/fuzz/regressions/$t/*" >/dev/null; then
    timeout 300 "$bin" -timeout=10 tests/fuzz/regressions/"$t"/* >"$B/findings/$t.regressions.log" 2>&1 ||
      { failed+=("$t (a kept regression input)"); tail -30 "$B/findings/$t.regressions.log"; continue; }
  fi
  seeds "$t" "$B/seeds/$t"
  dict=()
  [ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")
  echo "fuzz: $t for ${SECONDS_EACH}s"
  # `timeout` bounds the run even when a finding's report is slow to write.
  if ! timeout $((SECONDS_EACH + 120)) "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$B/findings/$t/" "${dict[@]}" "$B/corpus/$t" "$B/seeds/$t" >"$B/findings/$t.log" 2>&1; then
    failed+=("$t")
    tail -40 "$B/findings/$t.log"
  else
    grep -E '^stat::number_of_executed_units' "$B/findings/$t.log" | sed "s/^/fuzz: $t: /" || true
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in: ${failed[*]} (inputs in $B/findings/)" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} target(s), no finding"
