#!/usr/bin/env bash
# Hostile units through every transport of a running gateway: each is refused
# or quarantined with its rule, file and byte; the gateway stays up, the other
# departments go on, and a restart does not meet the same unit again.
source "$(dirname "$0")/lib.sh"

H=$SRC/tests/fixtures/hostile
XML=(xml-surrogate-reference.xml xml-reference-beyond-unicode.xml xml-nul-reference.xml xml-undefined-entity.xml
     xml-control-character.xml xml-surrogate-reference-bare.xml)
JSON=(json-number-beyond-double.json json-syntax-error-after-multibyte.json)

mkdir -p "$T/tax"
cp "$H/json-syntax-error-after-multibyte.json" "$T/tax/page-1.json"
start_static_server "$T/tax"
write_config
for p in court tax market_regulation procurement; do install_plugin "$BUILD/plugins/libcg_adapter_$p.so"; done
start_gateway
wait_for 20 "four plugins running" ge 4 log_count '"msg":"plugin running"'
alive() { kill -0 "$GW_PID" 2>/dev/null || fail "the gateway died: $(tail -5 "$T/gateway.log")"; }

note "court: hostile files dropped into the inbox end in failed/ with their reason"
mkdir -p "$T/court/inbox"
for f in "${XML[@]}"; do cp "$H/$f" "$T/court/inbox/.$f.part" && mv "$T/court/inbox/.$f.part" "$T/court/inbox/$f"; done
wait_for 30 "hostile court files in failed/" eq "${#XML[@]}" bash -c "ls '$T/court/failed' | grep -c '\.xml$'"
alive
for f in "${XML[@]}"; do
  grep -q '"code":"malformed_xml"' "$T/court/failed/$f.error.json" || fail "court: no reason beside $f"
done

note "court: a file whose root element was renamed is refused, not taken as empty"
sed 's/SXBZXR_FEED/SXBZXR_FEED_V2/g' "$H/xml-nul-reference.xml" | sed 's/&#0;//' >"$T/court/inbox/.renamed.xml.part"
mv "$T/court/inbox/.renamed.xml.part" "$T/court/inbox/renamed.xml"
wait_for 30 "the renamed file in failed/" test -f "$T/court/failed/renamed.xml.error.json"
grep -q '"code":"no_records_path"' "$T/court/failed/renamed.xml.error.json" ||
  fail "renamed root: $(cat "$T/court/failed/renamed.xml.error.json")"
log_has '"rule":"no_records_path"' || fail "the refusal of the renamed file is not in the log"
wait_for 10 "admin port" test -s "$T/data/run/admin.port"
wait_for 10 "counted in the metrics" bash -c \
  "curl -s http://127.0.0.1:$(cat "$T/data/run/admin.port")/metrics | grep -c 'rule=\"no_records_path\"'"

note "market regulation: hostile messages are answered 'refused', the next one is stored"
for f in "${XML[@]}"; do
  "$BIN" send --endpoint "ipc://$T/mr.sock" "$H/$f" >"$T/send.out" 2>&1 && fail "send of $f succeeded"
  grep -q 'refused and kept in quarantine: not well-formed XML' "$T/send.out" || fail "send $f: $(cat "$T/send.out")"
done
alive
gen market_regulation --records 5 --per-file 5 --out "$T/gen/mr" --seed 21 --start 5000 >/dev/null
"$BIN" send --endpoint "ipc://$T/mr.sock" "$T"/gen/mr/*.xml >"$T/send.out" 2>&1 || fail "send: $(cat "$T/send.out")"
grep -q 'stored (' "$T/send.out" || fail "a good message after the hostile ones: $(cat "$T/send.out")"

note "procurement: hostile bodies are refused with 400, the next one is stored"
wait_for 10 "procurement port" test -s "$T/procurement.port"
PP=$(cat "$T/procurement.port")
for f in "${JSON[@]}"; do
  code=$(curl -s -o "$T/proc.out" -w '%{http_code}' -X POST --data-binary @"$H/$f" "http://127.0.0.1:$PP/ingest")
  [ "$code" = 400 ] || fail "procurement answered $code to $f: $(cat "$T/proc.out")"
done
alive
gen procurement --records 4 --per-file 4 --out "$T/gen/proc" --seed 22 --start 6000 >/dev/null
code=$(curl -s -o "$T/proc.out" -w '%{http_code}' -X POST --data-binary @"$(ls "$T"/gen/proc/*.json | head -1)" \
  "http://127.0.0.1:$PP/ingest")
[ "$code" = 200 ] || fail "procurement answered $code to a good body after hostile ones: $(cat "$T/proc.out")"

note "tax: a hostile page is quarantined with its byte, the gateway stays up"
wait_for 30 "the tax page quarantined" bash -c "'$BIN' quarantine list --config '$T/gw.json' 2>/dev/null | grep -c 'page-1.json' "
alive
"$BIN" quarantine list --config "$T/gw.json" >"$T/q.jsonl" 2>/dev/null
python3 - "$T/q.jsonl" <<'PY' || fail "quarantine: $(head -c 2000 "$T/q.jsonl")"
import json, sys
units = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
xml = [u for u in units if u.get("rule") == "malformed_xml"]
assert len(xml) >= 12, f"{len(xml)} malformed_xml units (6 court files, 6 messages)"
for u in xml:
    s = json.dumps(u)
    assert "byte" in u["message"], u
tax = [u for u in units if "page-1.json" in json.dumps(u)]
assert tax and tax[0]["rule"] == "malformed_json", tax[:1]
assert "syntax error" in tax[0]["message"], tax[0]
PY

note "the court feed goes on after its hostile files"
gen court --records 10 --per-file 10 --out "$T/gen/court" --seed 23 --start 7000 >/dev/null
for f in "$T"/gen/court/*.xml; do cp "$f" "$T/court/inbox/.$(basename "$f").part"; mv "$T/court/inbox/.$(basename "$f").part" "$T/court/inbox/$(basename "$f")"; done
wait_for 30 "the good court file in done/" eq 1 files_in "$T/court/done"
alive

note "a restart meets none of the hostile units again"
stop_gateway
start_gateway
sleep 1
alive
[ -z "$(ls "$T/court/inbox")" ] || fail "court inbox not empty: $(ls "$T/court/inbox")"
stop_gateway
echo "e2e hostile_units: ok"
