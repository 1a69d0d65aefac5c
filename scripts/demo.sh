#!/usr/bin/env bash
# Installs what is missing, builds, and runs the sample feeds of the four
# departments through their mappings on the embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
BIN=build/core/credit-gateway
OUT=var/demo
rm -rf "$OUT" && mkdir -p "$OUT"
F=tests/fixtures/feeds
"$BIN" map --mapping mappings/court/sxbzxr.json --quarantine "$OUT/quarantine.jsonl" $F/court/*.xml >"$OUT/records.jsonl"
"$BIN" map --mapping mappings/tax/zdsswf.json --quarantine "$OUT/quarantine.jsonl" $F/tax/*.json >>"$OUT/records.jsonl"
"$BIN" map --mapping mappings/market_regulation/sgs.json --quarantine "$OUT/quarantine.jsonl" $F/market_regulation/*.xml >>"$OUT/records.jsonl"
"$BIN" map --mapping mappings/procurement/cgsx.json --quarantine "$OUT/quarantine.jsonl" $F/procurement/*.json >>"$OUT/records.jsonl"
echo "demo: $(wc -l <"$OUT/records.jsonl") canonical records in $OUT/records.jsonl, $(wc -l <"$OUT/quarantine.jsonl") quarantined in $OUT/quarantine.jsonl"
