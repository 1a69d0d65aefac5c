#!/usr/bin/env bash
# Objections raised locally (platform-api.md §8): procurement objects to a
# court record through the department API, an operator to another through
# the CLI; the sync job sends them to the provincial platform (through
# faults: each opened once), the records are suspended here at once with a
# new version pushed and the implementing departments told; the platform's
# rejection later makes them active again, their valid_until kept whole.
source "$(dirname "$0")/lib.sh"
F=$SRC/tests/fixtures/feeds

start_sim provincial --fail-rate 0.3 --throttle-rate 0.2 --drop-rate 0.3 --drop-first 3
start_sim city
destinations_json
JOBS='{"sync": {"cron": "off"}}' write_config
printf 'procurement zfcg-system %s\n' procurement-token-0123456789 >"$T/department.tokens"
printf 'operator bob %s\n' operator-token-0123456789 >"$T/admin.tokens"
chmod 600 "$T/admin.tokens" "$T/department.tokens"
install_plugin "$BUILD/plugins/libcg_adapter_court.so"
start_gateway
wait_for 10 "department API port" test -s "$T/data/run/department_api.port"
wait_for 10 "admin port" test -s "$T/data/run/admin.port"
D=http://127.0.0.1:$(cat "$T/data/run/department_api.port")
A=http://127.0.0.1:$(cat "$T/data/run/admin.port")
PROC=(-H "Authorization: Bearer procurement-token-0123456789")

note "the court's records reach the platform"
mkdir -p "$T/court/inbox"
cp "$F/court/sxbzxr-1.xml" "$T/court/inbox/"
wait_for 30 "court file stored" test -f "$T/court/done/sxbzxr-1.xml"
stored=$(records)
wait_for 120 "provincial holds the records" eq "$stored" sim_held "$provincial_PORT"
first=$(sql "SELECT record_id FROM records ORDER BY record_id LIMIT 1")
second=$(sql "SELECT record_id FROM records ORDER BY record_id LIMIT 1 OFFSET 1")

note "procurement objects through its API; bad bodies are refused naming the field"
code() { curl -s -o "$T/answer.json" -w '%{http_code}' "$@"; }
[ "$(code "${PROC[@]}" --data-binary '{"record_id": "'"$first"'"}' "$D/api/v1/objections")" = 400 ] || fail "no reason accepted"
grep -q '"field":"reason"' "$T/answer.json" || fail "the refusal names no field: $(cat "$T/answer.json")"
[ "$(code "${PROC[@]}" --data-binary '{"record_id": "nosuch", "reason": "x"}' "$D/api/v1/objections")" = 404 ] ||
  fail "an unknown record was taken"
body='{"record_id": "'"$first"'", "reason": "被执行人已履行完毕，名单信息不实"}'
[ "$(code "${PROC[@]}" --data-binary "$body" "$D/api/v1/objections")" = 201 ] || fail "objection: $(cat "$T/answer.json")"
proc_id=$(json_field objection_id <"$T/answer.json")
[ "$(code "${PROC[@]}" --data-binary "$body" "$D/api/v1/objections")" = 200 ] || fail "a second raise was not a duplicate"

note "an operator objects through the CLI"
"$BIN" objection raise --config "$T/gw.json" --record "$second" --reason "案号与执行依据不符" --operator bob >"$T/cli.json" ||
  fail "objection raise: $(cat "$T/cli.json")"
op_id=$(json_field objection_id <"$T/cli.json")
[ "$(sql "SELECT count(*) FROM local_objections WHERE state = 'pending'")" = 2 ] || fail "two objections pending"
wait_for 30 "pending objections counted" bash -c "curl -s '$A/metrics' | grep -qx 'cg_objections{state=\"pending\"} 2'"

note "the sync sends them until the platform answers; each record is suspended at once"
for i in $(seq 1 20); do
  "$BIN" sync --now --config "$T/gw.json" >"$T/sync.json" 2>/dev/null || true
  [ "$(sql "SELECT count(*) FROM local_objections WHERE state = 'opened'")" = 2 ] && break
done
[ "$(sql "SELECT count(*) FROM local_objections WHERE state = 'opened'")" = 2 ] || fail "objections not opened: $(cat "$T/sync.json")"
sim "$provincial_PORT" /sim/stats >"$T/stats.json"
python3 - "$T/stats.json" <<'PY' || fail "platform's objections: $(cat "$T/stats.json")"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["objections_opened"] == 2, s
assert all(v == 0 for v in s["violations"].values()), s["violations"]
PY
for r in "$first" "$second"; do
  [ "$(sql "SELECT status || ' ' || version FROM records WHERE record_id = '$r'")" = "suspended 2" ] ||
    fail "record $r: $(sql "SELECT status, version FROM records WHERE record_id = '$r'")"
done
[ "$(sql "SELECT count(*) FROM feedback WHERE department = 'finance' AND version = 2")" = 2 ] ||
  fail "finance was not told of the suspensions"
wait_for 120 "the suspended versions at the platform" eq 2 bash -c \
  "curl -s http://127.0.0.1:$provincial_PORT/sim/records | grep -c '\"status\":\"suspended\"'"

note "the platform rejects both; the records are active again"
for id in "$proc_id" "$op_id"; do
  curl -s -X POST --data-binary '{"objection_id": "'"$id"'", "outcome": "rejected"}' \
    "http://127.0.0.1:$provincial_PORT/sim/resolve" >/dev/null
done
for i in $(seq 1 20); do
  "$BIN" sync --now --config "$T/gw.json" >"$T/sync.json" 2>/dev/null && break
done
for r in "$first" "$second"; do
  [ "$(sql "SELECT status || ' ' || version FROM records WHERE record_id = '$r'")" = "active 3" ] ||
    fail "record $r after the rejection: $(sql "SELECT status, version FROM records WHERE record_id = '$r'")"
done
"$BIN" objection list --config "$T/gw.json" >"$T/list.jsonl" 2>/dev/null
[ "$(grep -c '"state":"opened"' "$T/list.jsonl")" = 2 ] || fail "objection list: $(cat "$T/list.jsonl")"
[ "$(sql "SELECT count(*) FROM audit WHERE action = 'objection.raised'")" = 2 ] || fail "raising not audited"
wait_for 30 "opened objections counted" bash -c "curl -s '$A/metrics' | grep -qx 'cg_objections{state=\"opened\"} 2'"
stop_gateway
echo "e2e objections: ok"
