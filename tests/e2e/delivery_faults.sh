#!/usr/bin/env bash
# Delivery to both platforms under injected faults (503, 429, answers lost
# after the batch was stored), with kill -9 of the gateway in the middle of
# delivery, and one platform down for a while: every valid record arrives at
# both platforms exactly once as a stored version, signatures valid, no nonce
# replayed, no batch id reused for other content (four lanes per platform);
# a record a platform rejects is a dead letter that an operator can see and
# replay.
source "$(dirname "$0")/lib.sh"

summary=$(gen court --records 600 --per-file 100 --out "$T/gen" --seed 41 --start 20000)
valid=$(echo "$summary" | json_field valid)
invalid=$(echo "$summary" | json_field invalid)

BATCH_SIZE=20
CONCURRENCY=4  # four lanes per platform, whose claims queue up at the store writer together
start_sim provincial --fail-rate 0.2 --throttle-rate 0.1 --drop-rate 0.2 --slow-ms 50
start_sim city --fail-rate 0.2 --drop-rate 0.2
destinations_json
write_config
install_plugin "$BUILD/plugins/libcg_adapter_court.so"
note "the city platform is down from the start; the provincial one must not wait for it"
kill "$city_PID"
wait "$city_PID" 2>/dev/null || true
mkdir -p "$T/court/inbox"
cp "$T"/gen/*.xml "$T/court/inbox/"
start_gateway

note "kill -9 in the middle of delivery"
wait_for 60 "delivery under way" ge 50 sim_held "$provincial_PORT"
held=$(sim_held "$provincial_PORT")
[ "$held" -lt "$valid" ] || fail "delivery finished before the kill; make the feed larger"
kill9_gateway
start_gateway
wait_for 120 "provincial has every record" eq "$valid" sim_held "$provincial_PORT"
wait_for 20 "circuit breaker for the city platform" log_has 'circuit open'

note "the city platform comes back (same port, same data) and gets everything"
SIM_PORT=$city_PORT start_sim city --fail-rate 0.2 --drop-rate 0.2
wait_for 120 "city has every record" eq "$valid" sim_held "$city_PORT"

note "contract checks at both platforms"
for port in "$provincial_PORT" "$city_PORT"; do
  sim "$port" /sim/stats >"$T/stats.json"
  python3 - "$T/stats.json" <<'PY' || fail "contract violation: $(cat "$T/stats.json")"
import json, sys
s = json.load(open(sys.argv[1]))
assert all(v == 0 for v in s["violations"].values()), s["violations"]
assert s["faults_injected"] > 0, "no fault was injected"
PY
  sim "$port" /sim/records >"$T/held.jsonl"
  python3 - "$T/held.jsonl" "$valid" <<'PY' || fail "records held differ"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == int(sys.argv[2]), len(recs)
assert len({r["record_id"] for r in recs}) == len(recs)
assert all(r["version"] == 1 for r in recs)
PY
done
"$BIN" export --config "$T/gw.json" 2>/dev/null | python3 -c '
import json, sys
ids = sorted(json.loads(l)["record_id"] for l in sys.stdin)
held = sorted(json.loads(l)["record_id"] for l in open(sys.argv[1]))
assert ids == held, "the platform holds other records than the gateway stored"' "$T/held.jsonl" || fail "record sets differ"

note "a record the platform rejects becomes a dead letter, and replays after the fix"
sim_faults "$provincial_PORT" '{"fail_rate": 0, "throttle_rate": 0, "drop_rate": 0}'
gen court --records 5 --per-file 5 --out "$T/gen2" --seed 42 --start 30000 --bad-every 0 >/dev/null
"$BIN" map --mapping "$SRC/mappings/court/sxbzxr.json" "$T"/gen2/*.xml >"$T/gen2.jsonl" 2>/dev/null
python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["record_id"])' "$T/gen2.jsonl" >"$T/reject.id"
rid=$(cat "$T/reject.id")
sim_faults "$provincial_PORT" "{\"reject_ids\": [\"$rid\"]}"
cp "$T"/gen2/*.xml "$T/court/inbox/"
wait_for 60 "dead letter" eq 1 bash -c "'$BIN' deadletter list --config '$T/gw.json' --destination provincial 2>/dev/null | wc -l"
"$BIN" deadletter list --config "$T/gw.json" --code rejected_by_platform | grep -c "\"record_id\":\"$rid\"" >/dev/null || fail "dead letter not listed"
"$BIN" deadletter show --config "$T/gw.json" --record "$rid" | grep -c '"field": "record_id"' >/dev/null || fail "deadletter show"
sim_faults "$provincial_PORT" '{"reject_ids": []}'
"$BIN" deadletter replay --config "$T/gw.json" --destination provincial --record "$rid" | grep -c '1 dead letter' >/dev/null || fail "replay"
wait_for 60 "replayed record delivered" eq $((valid + 5)) sim_held "$provincial_PORT"
[ "$("$BIN" deadletter list --config "$T/gw.json" 2>/dev/null | wc -l)" -eq 0 ] || fail "dead letter still listed"

note "reconciliation matches"
wait_for 60 "city caught up" eq $((valid + 5)) sim_held "$city_PORT"
# The platform holds a record before the gateway has its answer (an answer
# dropped by the fault is retried): reconcile once every answer is recorded.
wait_for 60 "every answer recorded" eq 0 sql "SELECT count(*) FROM outbox"
"$BIN" reconcile --config "$T/gw.json" >"$T/reconcile.out" || fail "reconcile: $(cat "$T/reconcile.out")"
grep -c '"match":true' "$T/reconcile.out" | grep -q 2 || fail "reconcile: $(cat "$T/reconcile.out")"

if grep -q "$(cat "$SECRET_FILE")" "$T/gateway.log"; then fail "the secret appears in the log"; fi
stop_gateway
echo "e2e delivery_faults: ok ($valid records at both platforms exactly once, $invalid quarantined)"
