#!/usr/bin/env bash
# Every command answers --help; `map` goes on past a hostile file; `plugin
# info` reads connectors as well as adapters; `check-config --options` lists
# the config's options with their types, defaults and bounds; `catalog lint`
# names every problem of a catalog and `catalog show` prints the loaded one.
source "$(dirname "$0")/lib.sh"
PLUGINS=$BUILD/plugins

for c in map mapping run check-config export quarantine send plugin deadletter reconcile sync job store catalog version; do
  "$BIN" "$c" --help >"$T/help.txt" 2>&1 || fail "$c --help exited $?"
  grep -q "^usage: credit-gateway $c" "$T/help.txt" || fail "$c --help: $(head -3 "$T/help.txt")"
done
"$BIN" quarantine list -h | grep -q -- '--rule' || fail "quarantine -h lists no options"

cd "$SRC"
H=tests/fixtures/hostile
set +e
"$BIN" map --mapping mappings/court/sxbzxr.json $H/xml-surrogate-reference.xml $H/xml-nul-reference.xml \
  tests/fixtures/unseen/court.xml >"$T/out.jsonl" 2>"$T/err.txt"
rc=$?
set -e
[ $rc -eq 1 ] || fail "map exited $rc: $(tail -3 "$T/err.txt")"
grep -q '2 file(s) rejected' "$T/err.txt" || fail "map summary: $(tail -1 "$T/err.txt")"
[ "$(wc -l <"$T/out.jsonl")" -eq 1 ] || fail "the file after the hostile ones was not mapped"
python3 -c 'import sys; sys.stdin.buffer.read().decode("utf-8")' <"$T/err.txt" || fail "map's stderr is not UTF-8"

"$BIN" plugin info "$PLUGINS/libcg_connector_platform_v1.so" >"$T/info.txt" || fail "plugin info on a connector"
grep -q '"kind": "connector"' "$T/info.txt" || fail "connector info: $(cat "$T/info.txt")"
grep -q '^allowlist line: [0-9a-f]\{64\}  libcg_connector_platform_v1.so' "$T/info.txt" || fail "no allowlist line"
grep -q '"type": "integer"' "$T/info.txt" || fail "connector info has no typed options: $(cat "$T/info.txt")"
"$BIN" plugin info --markdown "$PLUGINS/libcg_adapter_court.so" >"$T/court.md" || fail "plugin info --markdown"
grep -q '^| `settle_ms` | integer, 0 to 3600000 | `500` | ' "$T/court.md" || fail "markdown options: $(cat "$T/court.md")"
"$BIN" check-config --options >"$T/options.jsonl" || fail "check-config --options exited $?"
python3 - "$T/options.jsonl" <<'PY' || fail "check-config --options: $(head -3 "$T/options.jsonl")"
import json, sys
options = {(o["section"], o["key"]): o for o in map(json.loads, open(sys.argv[1], encoding="utf-8"))}
cache = options[("store", "cache_mb")]
assert cache["type"] == "integer" and cache["default"] == 32 and cache["min"] == 1, cache
assert options[("", "node_id")]["required"], options[("", "node_id")]
assert options[("destinations.<name>", "batch_size")]["max"] == 1000
PY
"$BIN" catalog lint config/catalog.json --config config/gateway.json >"$T/lint.txt" || fail "catalog lint: $(cat "$T/lint.txt")"
grep -q 'catalog 510800-2026@3, effective from 2026-01-01: 7 measure(s)' "$T/lint.txt" || fail "lint: $(cat "$T/lint.txt")"
python3 - config/catalog.json "$T/bad-catalog.json" <<'PY'
import json, sys
c = json.loads("".join(l for l in open(sys.argv[1], encoding="utf-8") if not l.startswith("//")))
c["measures"][1]["measure_id"] = c["measures"][0]["measure_id"]
c["measures"][2]["implementing"] = ["finanse"]
c["measures"][3]["scenarios"] = ["inspektion"]
c["lists"]["unknown_kind"] = {"name": "x", "type": "black", "provider": "any"}
c["colour"] = "blue"
json.dump(c, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False, indent=1)
PY
set +e
"$BIN" catalog lint "$T/bad-catalog.json" --config config/gateway.json >"$T/lint.txt" 2>&1
rc=$?
set -e
[ $rc -eq 1 ] || fail "catalog lint of a bad catalog exited $rc"
for p in "unknown key 'colour' in the catalog" "'unknown_kind' is not a canonical kind" "measure_id 'P-PROC-01' is used twice" \
  "'finanse' is not a department the gateway's config declares (departments); did you mean 'finance'?" \
  "'inspektion' is not one of the catalog's scenarios; did you mean 'inspection'?" "(5 problem(s))"; do
  grep -qF "$p" "$T/lint.txt" || fail "catalog lint does not say: $p: $(cat "$T/lint.txt")"
done
"$BIN" catalog show --config config/gateway.json >"$T/show.json" || fail "catalog show exited $?"
python3 - "$T/show.json" <<'PY' || fail "catalog show: $(head -c 600 "$T/show.json")"
import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))
assert s["catalog"] == "510800-2026@3", s["catalog"]
assert [m["measure_id"] for m in s["measures_by_department"]["finance"]] == ["P-FIN-01", "P-PPP-01", "I-FIN-01"], s
assert s["lists"]["red_list"]["type"] == "red"
PY
echo "cli_commands: ok"
