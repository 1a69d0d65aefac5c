#!/usr/bin/env bash
# The department API of a running gateway: a court listing reaches the
# finance and approval bureaus, which have no adapter, as items that name
# their measures, the catalog version and a working-day deadline; each
# department's token reaches its own items only, never the admin API, and
# admin tokens never act as a department; every call is audited. Finance
# reports what it did (execution feedback): accepted once, the items no
# longer pending; procurement's system posts its report to its adapter, which
# passes it on through the plugin SDK; every report is relayed to the
# provincial platform exactly once through 503s, 429s and lost answers.
source "$(dirname "$0")/lib.sh"
F=$SRC/tests/fixtures/feeds

start_sim provincial --fail-rate 0.3 --throttle-rate 0.2 --drop-rate 0.3 --drop-first 3
start_sim city
start_feedback_receiver
destinations_json
JOBS='{"sync": {"cron": "off"}}' write_config
printf 'operator bob %s\n' operator-token-0123456789 >"$T/admin.tokens"
printf 'finance cwj-system %s\napproval spj-system %s\npolice gaj-system %s\n' \
  finance-token-0123456789 approval-token-0123456789 police-token-0123456789 >"$T/department.tokens"
chmod 600 "$T/admin.tokens" "$T/department.tokens"
install_plugin "$BUILD/plugins/libcg_adapter_court.so"
install_plugin "$BUILD/plugins/libcg_adapter_procurement.so"
start_gateway
wait_for 10 "department API port" test -s "$T/data/run/department_api.port"
D=http://127.0.0.1:$(cat "$T/data/run/department_api.port")
A=http://127.0.0.1:$(cat "$T/data/run/admin.port")
FIN=(-H "Authorization: Bearer finance-token-0123456789")
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

note "a token for a department the gateway does not know is reported at start and not used"
log_has "unknown department 'police'" || fail "the undeclared department is not reported"
[ "$(code -H 'Authorization: Bearer police-token-0123456789' "$D/api/v1/items")" = 401 ] || fail "police token accepted"

note "tokens: none, an admin token, another department's items, the admin API"
[ "$(code "$D/api/v1/items")" = 401 ] || fail "no token accepted"
[ "$(code -H 'Authorization: Bearer operator-token-0123456789' "$D/api/v1/items")" = 401 ] || fail "an admin token acted as a department"
[ "$(code "${FIN[@]}" "$D/api/v1/items?department=court")" = 403 ] || fail "finance read the court's items"
[ "$(code "${FIN[@]}" "$A/api/v1/status")" = 401 ] || fail "a department token reached the admin API"

note "the court lists dishonest judgment debtors; finance and approval get items"
mkdir -p "$T/court/inbox"
cp "$F/court/sxbzxr-1.xml" "$T/court/inbox/"
wait_for 30 "court file stored" test -f "$T/court/done/sxbzxr-1.xml"
curl -s "${FIN[@]}" "$D/api/v1/items?state=pending" >"$T/finance.json"
curl -s -H 'Authorization: Bearer approval-token-0123456789' "$D/api/v1/items" >"$T/approval.json"
python3 - "$T/finance.json" "$T/approval.json" "$(records)" <<'PY' || fail "items: $(head -c 2000 "$T/finance.json")"
import datetime, json, sys
fin = json.load(open(sys.argv[1]))["items"]
app = json.load(open(sys.argv[2]))["items"]
stored = int(sys.argv[3])
assert stored > 0 and len(fin) == stored and len(app) == stored, (len(fin), len(app), stored)
today = datetime.date.today().isoformat()
for i in fin:
    assert i["kind"] == "dishonest_debtor" and i["status"] == "active" and i["state"] == "pending", i
    assert i["catalog"] == "510800-2026@3", i
    ids = [m["measure_id"] for m in i["measures"]]
    if i["subject"]["type"] == "legal_person":
        assert ids == ["P-FIN-01", "P-PPP-01"], i
    else:
        assert ids == ["P-FIN-01"], i
    assert all(m["basis"] and m["type"] == "punishment" for m in i["measures"]), i
    assert i["due_on"] is None or i["due_on"] > today, i
for i in app:
    assert [m["measure_id"] for m in i["measures"]] == ["P-LIC-01"], i
assert not {i["item_id"] for i in fin} & {i["item_id"] for i in app}
PY

note "finance reports on every measure of its items; sent twice, it is held once"
python3 - "$T/finance.json" >"$T/report.json" <<'PY'
import datetime, json, sys
today = datetime.date.today().isoformat()
items = json.load(open(sys.argv[1]))["items"]
print(json.dumps({"feedback": [{"item_id": i["item_id"], "measure_id": m["measure_id"], "action": "applied",
                                "on": today, "case_ref": "CZ-" + i["item_id"], "note": "暂停拨付"}
                               for i in items for m in i["measures"]]}, ensure_ascii=False))
PY
reports=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["feedback"]))' "$T/report.json")
for attempt in first again; do
  curl -s "${FIN[@]}" -H 'Content-Type: application/json' --data-binary @"$T/report.json" "$D/api/v1/feedback" >"$T/fb-$attempt.json"
done
python3 - "$T/fb-first.json" "$T/fb-again.json" "$reports" <<'PY' || fail "feedback answers: $(head -c 1000 "$T/fb-first.json")"
import json, sys
first = json.load(open(sys.argv[1]))["results"]
again = json.load(open(sys.argv[2]))["results"]
assert len(first) == int(sys.argv[3]) == len(again) > 0
assert all(r["status"] == "accepted" for r in first), first
assert all(r["status"] == "duplicate" for r in again), again
assert [r["feedback_id"] for r in first] == [r["feedback_id"] for r in again]
PY
pending=$(curl -s "${FIN[@]}" "$D/api/v1/items?state=pending" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
[ "$pending" = 0 ] || fail "finance still has $pending items pending after reporting on all"
[ "$(sql "SELECT count(*) FROM execution_feedback")" = "$reports" ] || fail "reports held"

note "procurement's system reports through its adapter (the plugin SDK's feedback unit)"
OP=(-H "Authorization: Bearer operator-token-0123456789")
wait_for 10 "procurement adapter listening" test -s "$T/procurement.port"
P=http://127.0.0.1:$(cat "$T/procurement.port")
curl -s "${OP[@]}" "$A/api/v1/items?department=procurement&state=pending&limit=1000" >"$T/proc-items.json"
python3 - "$T/proc-items.json" "$(records)" >"$T/proc-report.json" <<'PY' || fail "procurement's items: $(head -c 600 "$T/proc-items.json")"
import datetime, json, sys
items = json.load(open(sys.argv[1]))["items"]
assert len(items) == int(sys.argv[2]), (len(items), sys.argv[2])
assert all([m["measure_id"] for m in i["measures"]] == ["P-PROC-01"] for i in items), items[0]
today = datetime.date.today().isoformat()
print(json.dumps({"feedback": [{"item_id": i["item_id"], "measure_id": "P-PROC-01", "action": "applied", "on": today,
                                "note": "限制投标"} for i in items]}, ensure_ascii=False))
PY
proc_reports=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["feedback"]))' "$T/proc-report.json")
[ "$(code -X POST --data-binary '{"feedback": 3}' "$P/feedback")" = 400 ] || fail "a malformed report was not refused"
curl -s -X POST -H 'Content-Type: application/json' --data-binary @"$T/proc-report.json" "$P/feedback" >"$T/proc-fb.json"
python3 - "$T/proc-fb.json" "$proc_reports" <<'PY' || fail "procurement's answer: $(head -c 600 "$T/proc-fb.json")"
import json, sys
results = json.load(open(sys.argv[1]))["results"]
assert len(results) == int(sys.argv[2]) and all(r["status"] == "accepted" for r in results), results[:2]
PY
[ "$(sql "SELECT count(*) FROM execution_feedback WHERE department = 'procurement' AND actor LIKE 'adapter:procurement-http@%'")" = "$proc_reports" ] ||
  fail "procurement's reports held with the adapter as actor"
reports=$((reports + proc_reports))

note "the provincial platform receives each report once, through faults"
fb_held() { sim "$provincial_PORT" /sim/stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["feedback_held"])'; }
wait_for 120 "every report at the provincial platform" eq "$reports" fb_held
sim "$provincial_PORT" /sim/stats >"$T/stats.json"
sim "$provincial_PORT" /sim/feedback >"$T/held-feedback.jsonl"
python3 - "$T/stats.json" "$T/held-feedback.jsonl" "$T/fb-first.json" "$T/proc-fb.json" <<'PY' || fail "platform's feedback: $(cat "$T/stats.json")"
import json, sys
stats = json.load(open(sys.argv[1]))
held = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
sent = {r["feedback_id"] for f in sys.argv[3:5] for r in json.load(open(f))["results"]}
assert all(v == 0 for v in stats["violations"].values()), stats["violations"]
assert stats["feedback_rejected"] == 0, stats
assert stats["faults_injected"] > 0, stats
ids = [f["feedback_id"] for f in held]
assert len(ids) == len(set(ids)) and set(ids) == sent, (len(ids), len(sent))
assert all(f["catalog"] == "510800-2026@3" for f in held)
assert all(f["note"] == {"finance": "暂停拨付", "procurement": "限制投标"}[f["department"]] for f in held)
PY
[ "$(sim "$city_PORT" /sim/stats | json_field feedback_held)" = 0 ] || fail "the city platform got feedback"
wait_for 20 "relay finished in the store" eq "$reports" sql "SELECT count(*) FROM feedback_relay WHERE state = 'delivered'"

note "operators see the reports with their relay, the answered items, and the relay's metrics"
curl -s "${OP[@]}" "$A/api/v1/feedback?department=finance&limit=1000" >"$T/admin-feedback.json"
curl -s "${OP[@]}" "$A/api/v1/items?department=finance&state=all&limit=1000" >"$T/admin-items.json"
python3 - "$T/admin-feedback.json" "$T/admin-items.json" "$reports" "$proc_reports" <<'PY' || fail "admin view: $(head -c 600 "$T/admin-feedback.json")"
import json, sys
reports = json.load(open(sys.argv[1]))
items = json.load(open(sys.argv[2]))["items"]
assert len(reports) == int(sys.argv[3]) - int(sys.argv[4]), len(reports)
assert all(r["relay"] == {"provincial": "delivered"} and r["actor"] == "department:finance/cwj-system" for r in reports), reports[0]
assert items and all(i["department"] == "finance" and i["state"] == "answered" for i in items), items[0]
PY
curl -s "$A/metrics" >"$T/metrics.txt"
grep -qF "cg_feedback_relayed_total{destination=\"provincial\"} $reports" "$T/metrics.txt" || fail "relayed metric: $(grep feedback "$T/metrics.txt")"
grep -qF 'cg_feedback_relay_pending{destination="provincial"} 0' "$T/metrics.txt" || fail "pending metric"
curl -s -X POST "${OP[@]}" "$A/api/v1/jobs/overdue/run" >"$T/overdue.json"
wait_for 10 "overdue job ran" bash -c "curl -s -H 'Authorization: Bearer operator-token-0123456789' '$A/api/v1/status' | grep -c '\"newly_overdue\":0' >/dev/null"

note "every call is in the audit with the department and the token's name"
calls=$(sql "SELECT count(*) FROM audit WHERE action = 'department_api.call' AND actor = 'department:finance/cwj-system'")
[ "$calls" -ge 2 ] || fail "finance's calls audited: $calls"
stop_gateway
echo "e2e department_api: ok"
