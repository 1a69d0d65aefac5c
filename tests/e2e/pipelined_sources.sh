#!/usr/bin/env bash
# Sources that keep several units in flight: the tax adapter fetches pages
# ahead of the commits, and after a refused page fetches it again without
# its cursor ever passing it; credit-gateway send keeps several files
# unanswered and sends again the ones a busy gateway could not take.
source "$(dirname "$0")/lib.sh"

note "a tax API of 5 pages whose page 2 fails once"
tax=$(gen tax --records 50 --per-file 10 --out "$T/gen/tax" --seed 21 --start 5000)
mr=$(gen market_regulation --records 120 --per-file 10 --out "$T/gen/mr" --seed 22 --start 6000)
valid=$(( $(echo "$tax" | json_field valid) + $(echo "$mr" | json_field valid) ))
python3 -u "$SRC/tests/e2e/answer_server.py" --root "$T/gen/tax" --log "$T/requests.log" \
  --once 'page-2.json={"code": "99", "msg": "busy", "data": {"pages": 5, "rows": []}}' >"$T/tax_api.out" 2>&1 &
PIDS+=($!)
wait_for 10 "tax API" grep -q 'port [0-9]' "$T/tax_api.out"
TAX_PORT=$(awk '/port/{print $2; exit}' "$T/tax_api.out")
write_config
install_plugin "$BUILD/plugins/libcg_adapter_tax.so"
install_plugin "$BUILD/plugins/libcg_adapter_market_regulation.so"
start_gateway
wait_for 20 "two plugins running" ge 2 log_count '"msg":"plugin running"'

note "market regulation: 12 files, 8 in flight against the gateway's 4"
wait_for 10 "ZeroMQ endpoint" test -S "$T/mr.sock"
"$BIN" send --endpoint "ipc://$T/mr.sock" --in-flight 8 "$T"/gen/mr/*.xml >"$T/send.out" 2>"$T/send.err" ||
  fail "send failed: $(cat "$T/send.out" "$T/send.err")"
[ "$(grep -c ': stored (' "$T/send.out")" -eq 12 ] || fail "not every file stored: $(cat "$T/send.out" "$T/send.err")"
grep -q 'could not take it now' "$T/send.err" || fail "8 in flight against max_inflight 4: the gateway never said busy"
for f in "$T"/gen/mr/*.xml; do
  [ "$(grep -c "^$f: stored" "$T/send.out")" -eq 1 ] || fail "$f answered $(grep -c "^$f: stored" "$T/send.out") times"
done

note "tax: the pass completes, page 2 taken on its second fetch"
wait_for 60 "the pass is complete" log_has 'tax: all pages taken (5); next pass in'
grep -q '"next_page":1' "$T/data/state/tax-api-poll/cursor.json" || fail "cursor: $(cat "$T/data/state/tax-api-poll/cursor.json")"
log_has 'tax: page-2 was not taken' || fail "the refused page was not reported"
python3 - "$T/requests.log" <<'PY' || fail "fetch order: $(tr '\n' ' ' <"$T/requests.log")"
import sys
got = [l.strip().removeprefix("page-").removesuffix(".json") for l in open(sys.argv[1]) if l.strip()]
got = [int(p) for p in got]
assert got.count(2) == 2, got                              # refused once, fetched again
second = [i for i, p in enumerate(got) if p == 2][1]
assert any(p == 3 for p in got[:second]), got              # page 3 was fetched ahead of page 2's answer
assert all(p in got[second:] for p in (3, 4, 5)), got      # and the pages after page 2 again after it
assert got[0] == 1 and got.count(1) == 1, got
PY

note "every valid record stored once"
wait_for 30 "all valid records stored" eq "$valid" records
[ "$(sql 'SELECT count(*) FROM record_versions')" -eq "$valid" ] || fail "a record was stored twice"
stop_gateway
echo "e2e pipelined_sources: ok ($valid stored)"
