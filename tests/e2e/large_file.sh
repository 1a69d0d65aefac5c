#!/usr/bin/env bash
# A court file over split_over_bytes is never read whole: it goes in parts cut
# on record boundaries, each committed on its own, and the file moves to done/
# once every part is in. A truncated large file: the good parts are stored,
# the broken part is refused, the file goes to failed/ with the parts listed.
source "$(dirname "$0")/lib.sh"

note "a court file of 3,000 records (about 2 MB), split over 200 kB in parts of 64 kB"
big=$(gen court --records 3000 --per-file 3000 --out "$T/gen/big" --seed 21 --start 7000)
valid=$(echo "$big" | json_field valid)
invalid=$(echo "$big" | json_field invalid)
f=$(ls "$T"/gen/big/*.xml)
size=$(stat -c %s "$f")
[ "$size" -gt 1000000 ] || fail "generated file is only $size bytes"

COURT_EXTRA=', "split_over_bytes": 200000, "part_bytes": 65536'
write_config
install_plugin "$BUILD/plugins/libcg_adapter_court.so"
start_gateway
wait_for 20 "court plugin running" ge 1 log_count '"msg":"plugin running"'
mkdir -p "$T/court/inbox"
cp "$f" "$T/court/inbox/.big.part" && mv "$T/court/inbox/.big.part" "$T/court/inbox/big.xml"

wait_for 60 "the large file moved to done/" eq 1 files_in "$T/court/done"
parts=$(grep -o 'large file big.xml taken in [0-9]* parts' "$T/gateway.log" | grep -o '[0-9]* parts' | cut -d' ' -f1)
[ "${parts:-0}" -ge 20 ] || fail "expected at least 20 parts, the log says '${parts:-none}'"
[ "$(records)" -eq "$valid" ] || fail "store holds $(records) records, the file has $valid valid ones"
[ "$(quarantined)" -eq "$invalid" ] || fail "quarantine holds $(quarantined), the file has $invalid invalid records"
[ "$(log_count '"msg":"unit committed"')" -eq "$parts" ] || fail "each part is one committed unit"
note "the records' source names the file and the byte range of their part"
sql "SELECT source FROM audit WHERE action='record.created' LIMIT 1" | grep -E 'big.xml \[bytes [0-9]+-[0-9]+\]' >/dev/null ||
  fail "audit source: $(sql "SELECT source FROM audit WHERE action='record.created' LIMIT 1")"

note "a truncated large file: good parts stored, the broken one refused, the file to failed/"
cut=$(gen court --records 1000 --per-file 1000 --out "$T/gen/cut" --seed 22 --start 20000)
g=$(ls "$T"/gen/cut/*.xml)
head -c $(( $(stat -c %s "$g") - 200 )) "$g" >"$T/cut.xml"
before=$(records)
cp "$T/cut.xml" "$T/court/inbox/.cut.part" && mv "$T/court/inbox/.cut.part" "$T/court/inbox/cut.xml"
wait_for 60 "the truncated file moved to failed/" test -s "$T/court/failed/cut.xml.error.json"
python3 - "$T/court/failed/cut.xml.error.json" <<'PY' || fail "error file: $(cat "$T/court/failed/cut.xml.error.json")"
import json, sys
e = json.load(open(sys.argv[1]))
assert e["parts"] >= 5, e["parts"]
assert len(e["refused"]) == 1, e["refused"]
r = e["refused"][0]
assert r["part"] == e["parts"] - 1, r  # the last part holds the cut
assert r["result"]["error"]["code"] in ("malformed_xml", "truncated"), r
PY
after=$(records)
[ "$after" -gt $((before + 500)) ] || fail "the good parts were not stored ($before before, $after after)"
[ -z "$(ls "$T/court/inbox")" ] || fail "court inbox not empty"

stop_gateway
echo "e2e large_file: ok ($parts parts, $valid records; truncated file: $((after - before)) records from its good parts)"
