#!/usr/bin/env bash
# The four departments' feeds (not the samples) arrive by their own transports;
# the store and the quarantine hold exactly what the feeds should give.
source "$(dirname "$0")/lib.sh"

note "generating feeds the gateway has not seen"
court=$(gen court --records 40 --per-file 20 --out "$T/gen/court" --seed 11 --start 1000)
tax=$(gen tax --records 30 --per-file 10 --out "$T/gen/tax" --seed 12 --start 2000)
mr=$(gen market_regulation --records 20 --per-file 20 --out "$T/gen/mr" --seed 13 --start 3000)
proc=$(gen procurement --records 20 --per-file 10 --out "$T/gen/proc" --seed 14 --start 4000)
valid=0
invalid=0
for s in "$court" "$tax" "$mr" "$proc"; do
  valid=$((valid + $(echo "$s" | json_field valid)))
  invalid=$((invalid + $(echo "$s" | json_field invalid)))
done

start_static_server "$T/gen/tax"
write_config
for p in court tax market_regulation procurement; do install_plugin "$BUILD/plugins/libcg_adapter_$p.so"; done
start_gateway
wait_for 20 "four plugins running" ge 4 log_count '"msg":"plugin running"' 

note "court: file drop (GB18030); a file name may hold '#'"
mkdir -p "$T/court/inbox"
first=1
for f in "$T"/gen/court/*.xml; do
  name=$(basename "$f")
  [ "$first" = 1 ] && name="batch#2-$name" && first=0
  cp "$f" "$T/court/inbox/.$name.part"
  mv "$T/court/inbox/.$name.part" "$T/court/inbox/$name"
done

note "market regulation: ZeroMQ push with credit-gateway send"
"$BIN" send --endpoint "ipc://$T/mr.sock" "$T"/gen/mr/*.xml >"$T/send.out" || fail "send failed: $(cat "$T/send.out")"
grep -q 'stored (18 accepted, 0 unchanged, 2 quarantined)' "$T/send.out" || fail "send: $(cat "$T/send.out")"
note "a message sent again is not stored twice"
"$BIN" send --endpoint "ipc://$T/mr.sock" "$T"/gen/mr/*.xml >"$T/send2.out"
grep -q 'stored (0 accepted, 18 unchanged, 2 quarantined)' "$T/send2.out" || fail "resend: $(cat "$T/send2.out")"

note "procurement: HTTP push, the answer lists accepted and quarantined records"
wait_for 10 "procurement port" test -s "$T/procurement.port"
PP=$(cat "$T/procurement.port")
for f in "$T"/gen/proc/*.json; do
  code=$(curl -s -o "$T/proc.out" -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary @"$f" "http://127.0.0.1:$PP/ingest")
  [ "$code" = 200 ] || fail "procurement answered $code: $(cat "$T/proc.out")"
  python3 - "$T/proc.out" <<'PY' || fail "procurement answer: $(cat "$T/proc.out")"
import json, sys
a = json.load(open(sys.argv[1]))
assert a["status"] == "stored", a
assert a["accepted"] == 9 and len(a["records"]) == 9, a
assert len(a["quarantined"]) == 1 and a["quarantined"][0]["field"], a
PY
done
code=$(curl -s -o "$T/bad.out" -w '%{http_code}' -X POST --data-binary 'not json at all' "http://127.0.0.1:$PP/ingest")
[ "$code" = 400 ] || fail "not-JSON body answered $code"
grep -q malformed_json "$T/bad.out" || fail "400 body: $(cat "$T/bad.out")"
head -c 9000000 /dev/zero | tr '\0' ' ' >"$T/big.json"
code=$(curl -s -o "$T/big.out" -w '%{http_code}' -X POST --data-binary @"$T/big.json" "http://127.0.0.1:$PP/ingest")
[ "$code" = 413 ] || fail "oversized body answered $code"

note "tax: paged API polled, position saved"
wait_for 30 "tax cursor back to page 1 after 3 pages" grep -q '"next_page":1' "$T/data/state/tax-api-poll/cursor.json"
wait_for 10 "the next pass is scheduled by its cron" log_has 'tax: all pages taken (3); next pass in'
sleep 1
[ "$(log_count '"source":"http://127.0.0.1:[0-9]*/page-1.json"')" -eq 1 ] || fail "the tax API was polled again before its schedule"
wait_for 30 "court files moved to done/" eq 2 files_in "$T/court/done"
ls "$T/court/done" | grep -q '^batch#2-' || fail "the file named with '#' did not reach done/: $(ls "$T/court/done")"

note "the store holds exactly what the feeds give"
wait_for 30 "all valid records stored" eq "$valid" records
[ "$(quarantined)" -eq "$invalid" ] || fail "quarantine has $(quarantined), expected $invalid"
[ "$(sql 'SELECT count(*) FROM record_versions')" -eq "$valid" ] || fail "a record was stored twice"
[ "$(sql "SELECT count(*) FROM audit WHERE action='record.created'")" -eq "$valid" ] || fail "audit incomplete"
[ -z "$(ls "$T/court/inbox")" ] || fail "court inbox not empty"

note "no personal ID number appears in the log"
ids=$(grep -ohE '[0-9]{17}[0-9X]' "$T"/gen/*/* | sort -u | awk 'NR<=200')
for id in $ids; do
  if grep -q "$id" "$T/gateway.log"; then fail "unmasked ID number in the log"; fi
done

stop_gateway
log_has '"msg":"gateway stopped"' || fail "no clean stop"
echo "e2e ingest_transports: ok ($valid stored, $invalid quarantined)"
