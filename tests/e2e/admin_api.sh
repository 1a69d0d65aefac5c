#!/usr/bin/env bash
# The admin API as operators use it: tokens and roles, status of departments,
# destinations and jobs, quarantine with the rule that failed and replay after
# a mapping fix, a record's history, a subject's records (ID numbers masked for
# viewers), job triggers, /metrics and health.
source "$(dirname "$0")/lib.sh"
F=$SRC/tests/fixtures/feeds

# A copy of the code tables, so that the test can "fix the mapping".
cp -r "$SRC/config/code-tables" "$T/tables"
start_sim provincial --changes "$F/platform/changes-1.json"
start_sim city
destinations_json
TABLES_DIR=$T/tables JOBS='{"sync": {"cron": "off"}}' write_config
printf 'viewer alice %s\noperator bob %s\n' viewer-token-0123456789 operator-token-0123456789 >"$T/admin.tokens"
chmod 600 "$T/admin.tokens"
for p in court market_regulation; do install_plugin "$BUILD/plugins/libcg_adapter_$p.so"; done
start_gateway
wait_for 20 "plugins running" ge 2 log_count '"msg":"plugin running"'
wait_for 10 "admin port" test -s "$T/data/run/admin.port"
A=http://127.0.0.1:$(cat "$T/data/run/admin.port")
V=(-H "Authorization: Bearer viewer-token-0123456789")
O=(-H "Authorization: Bearer operator-token-0123456789")

note "every API request needs a token; writes need the operator role"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$A/api/v1/status")" = 401 ] || fail "no token accepted"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer wrong-token-000000000' "$A/api/v1/status")" = 401 ] || fail "bad token accepted"
[ "$(curl -s -o /dev/null -w '%{http_code}' "${V[@]}" -X POST "$A/api/v1/jobs/expiry/run")" = 403 ] || fail "viewer could run a job"

note "records arrive; one penalty has a code no table knows"
mkdir -p "$T/court/inbox"
cp "$F/court/sxbzxr-1.xml" "$T/court/inbox/"
sed 's#<CF_CFLB>罚款</CF_CFLB><CF_NR>罚款人民币2.35万元#<CF_CFLB>通报</CF_CFLB><CF_NR>罚款人民币2.35万元#' "$F/market_regulation/sgs-1.xml" >"$T/sgs.xml"
"$BIN" send --endpoint "ipc://$T/mr.sock" "$T/sgs.xml" >/dev/null
wait_for 30 "court file stored" test -f "$T/court/done/sxbzxr-1.xml"

note "status shows departments, destinations and jobs"
curl -s "${V[@]}" "$A/api/v1/status" >"$T/status.json"
python3 - "$T/status.json" <<'PY' || fail "status: $(cat "$T/status.json")"
import json, sys
s = json.load(open(sys.argv[1]))
deps = {p["department"]: p for p in s["plugins"]}
assert deps["court"]["state"] == "running" and deps["court"]["records"] == 10, deps
assert {d["name"] for d in s["destinations"]} == {"provincial", "city"}, s["destinations"]
assert {j["job"] for j in s["jobs"]} >= {"reconcile", "expiry"}, s["jobs"]
import datetime
def rfc3339(v):  # every time the status gives is RFC 3339, like the rest of the API
    return v == "" or datetime.datetime.fromisoformat(v).tzinfo is not None
assert rfc3339(deps["court"]["last_input_at"]) and deps["court"]["last_input_at"], deps["court"]
for d in s["destinations"]:
    assert rfc3339(d["last_success_at"]) and rfc3339(d["last_error_at"]), d
for j in s["jobs"]:
    assert rfc3339(j["next_run"]) and rfc3339(j["last_started_at"]), j
PY

note "quarantine lists the rule and field; replay after the code table is fixed"
curl -s "${V[@]}" "$A/api/v1/quarantine?rule=unknown_code" >"$T/q.json"
id=$(python3 -c 'import json,sys; q=json.load(open(sys.argv[1])); assert len(q)==1 and q[0]["field"]=="detail.penalty_types", q; print(q[0]["id"])' "$T/q.json") ||
  fail "quarantine: $(cat "$T/q.json")"
curl -s "${O[@]}" -X POST --data "{\"id\": $id}" "$A/api/v1/quarantine/replay" | grep -c 'still quarantined' >/dev/null || fail "replay before the fix"
python3 - "$T/tables/penalty_type.json" <<'PY'
import json, re, sys
p = sys.argv[1]
text = re.sub(r"^\s*//.*$", "", open(p).read(), flags=re.M)
t = json.loads(text)
t["map"]["通报"] = "warning"
json.dump(t, open(p, "w"), ensure_ascii=False)
PY
curl -s "${O[@]}" -X POST --data "{\"id\": $id}" "$A/api/v1/quarantine/replay" >"$T/replay.json"
grep -q '"result":"replayed"' "$T/replay.json" || fail "replay after the fix: $(cat "$T/replay.json")"
[ "$(sql "SELECT count(*) FROM audit WHERE action='quarantine.replayed' AND actor='operator:bob'")" -eq 1 ] ||
  fail "the replay was not audited with the caller: $(sql "SELECT actor, action FROM audit ORDER BY id DESC LIMIT 5")"

note "a record's history, and a subject's records with ID numbers masked for viewers"
curl -s "${V[@]}" "$A/api/v1/records/2d52aa0a7081f9003c027fba2e50b0d3" | grep -c '"action":"record.created"' >/dev/null || fail "history"
curl -s "${V[@]}" "$A/api/v1/subjects?id_number=620702198004229754" >"$T/subj-viewer.json"
curl -s "${O[@]}" "$A/api/v1/subjects?id_number=620702198004229754" >"$T/subj-operator.json"
grep -q '620702\*\*\*\*\*\*\*\*9754' "$T/subj-viewer.json" || fail "viewer: $(cat "$T/subj-viewer.json")"
if grep -q 620702198004229754 "$T/subj-viewer.json"; then fail "a viewer saw an unmasked ID number"; fi
grep -q 620702198004229754 "$T/subj-operator.json" || fail "operator lookup"

note "jobs are triggered through the API"
[ "$(curl -s -o /dev/null -w '%{http_code}' "${O[@]}" -X POST "$A/api/v1/jobs/expiry/run")" = 202 ] || fail "job trigger"
wait_for 20 "expiry run recorded" bash -c "[ \"\$(sqlite3 '$T/data/gateway.db' \"SELECT count(*) FROM job_runs WHERE job='expiry' AND status='ok'\")\" -ge 1 ]"
note "a job whose cron is off runs when triggered; an unknown one is named as such"
code=$(curl -s -o "$T/job.out" -w '%{http_code}' "${O[@]}" -X POST "$A/api/v1/jobs/sync/run")
[ "$code" = 202 ] || fail "trigger of the job with cron off answered $code: $(cat "$T/job.out")"
wait_for 20 "sync run recorded" bash -c "[ \"\$(sqlite3 '$T/data/gateway.db' \"SELECT count(*) FROM job_runs WHERE job='sync'\")\" -ge 1 ]"
code=$(curl -s -o "$T/job.out" -w '%{http_code}' "${O[@]}" -X POST "$A/api/v1/jobs/nosuch/run")
[ "$code" = 404 ] && grep -q unknown_job "$T/job.out" || fail "unknown job answered $code: $(cat "$T/job.out")"

note "metrics and health"
wait_for 30 "delivered to both" bash -c "curl -s '$A/metrics' | grep -q 'cg_records_out_total{destination=\"city\"} [1-9]'"
curl -s "$A/metrics" >"$T/metrics.txt"
for m in 'cg_records_in_total{department="court"' 'cg_outbox_depth{destination="provincial"}' \
         'cg_quarantine_open{department="court",rule="invalid_uscc"} 1' 'cg_delivery_latency_seconds_bucket' \
         'cg_circuit_open{destination="city"} 0' 'cg_plugin_restarts_total' 'cg_delivery_retries_total'; do
  grep -qF "$m" "$T/metrics.txt" || fail "metric missing: $m"
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$A/healthz")" = 200 ] || fail healthz
[ "$(curl -s -o /dev/null -w '%{http_code}' "$A/readyz")" = 200 ] || fail readyz
curl -s "$A/" | grep -c '<title>Credit Gateway</title>' >/dev/null || fail "dashboard page"

note "a tokens file that others can read is not used"
chmod 644 "$T/admin.tokens"
[ "$(curl -s -o /dev/null -w '%{http_code}' "${V[@]}" "$A/api/v1/status")" = 401 ] || fail "a world-readable tokens file was used"
chmod 600 "$T/admin.tokens"
[ "$(curl -s -o /dev/null -w '%{http_code}' "${V[@]}" "$A/api/v1/status")" = 200 ] || fail "the private tokens file again"

stop_gateway
note "a malformed tokens line is reported at start"
printf 'operator carol short\nadmin dave admin-token-0123456789\n' >>"$T/admin.tokens"
start_gateway
wait_for 20 "the gateway started again" ge 2 log_count '"msg":"gateway started"'
log_has "admin.tokens:3" || fail "the short token's line is not reported"
log_has "unknown role 'admin'" || fail "the unknown role is not reported"
if log_has "short\""; then fail "a token was quoted in the log"; fi
stop_gateway
echo "e2e admin_api: ok"
