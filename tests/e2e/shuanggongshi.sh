#!/usr/bin/env bash
# 双公示 timeliness through a running gateway: the market regulation bureau's
# wave-2 licences and penalties arrive while the city platform is down; the
# report gives every pair of deadlines-2.json (the quarantined two as well,
# with why), the provincial platform's acceptance at once and the city's
# once it is back, without moving the first; the admin API answers the
# same as JSON and CSV, the metric counts what no platform has taken, and
# the publicity job names each overdue one in the log once and counts them
# and the late ones in the statistics.
source "$(dirname "$0")/lib.sh"
W=$SRC/tests/fixtures/wave2

start_sim provincial
start_sim city
destinations_json
JOBS='{"sync": {"cron": "off"}, "publicity": {"cron": "off"}}' write_config
printf 'operator bob %s\nviewer vic %s\n' operator-token-0123456789 viewer-token-0123456789 >"$T/admin.tokens"
chmod 600 "$T/admin.tokens"
install_plugin "$BUILD/plugins/libcg_adapter_market_regulation.so"
sim_faults "$city_PORT" '{"down": true}'
start_gateway
wait_for 20 "the adapter running" ge 1 log_count '"msg":"plugin running"'
A=http://127.0.0.1:$(cat "$T/data/run/admin.port")
OP=(-H "Authorization: Bearer operator-token-0123456789")

note "the licences and penalties arrive with the city platform down"
deliver_wave2 market_regulation/sgs-2.xml
deliver_wave2 market_regulation/sgs-2-changes.xml
wait_for 30 "both files stored" ge 2 log_count '"msg":"unit committed"'
unaccepted() { sql "SELECT count(*) FROM publicity WHERE accepted_at IS NULL"; }
wait_for 30 "the provincial platform took every one" eq 0 unaccepted
"$BIN" report shuanggongshi --config "$T/gw.json" --out "$T/first.csv" 2>"$T/report.err" || fail "report: $(cat "$T/report.err")"

note "every deadline of deadlines-2.json, the quarantined ones with why"
python3 - "$T/first.csv" "$W/deadlines-2.json" <<'PY' || fail "the report differs from deadlines-2.json: $(head -c 1500 "$T/first.csv")"
import csv, json, sys
rows = {r["record_id"]: r for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8"))}
want = json.load(open(sys.argv[2]))
assert set(rows) == {w["record_id"] for w in want}, (len(rows), len(want))
for w in want:
    r = rows[w["record_id"]]
    assert r["due_on"] == w["due_on"] and r["decided_on"] == w["decided_on"], (w, r)
    assert r["kind"] == w["kind"] and r["department"] == "market_regulation", (w, r)
    if "quarantined" in w:
        rule, field = w["quarantined"].split()
        assert r["state"] == "overdue" and r["accepted_at"] == "", r
        assert "quarantined" in r["reason"] and rule in r["reason"] and field in r["reason"], r
    else:
        assert r["state"] == "late" and int(r["working_days_late"]) > 0, r
        assert r["accepted_by"].startswith("provincial=") and "city=" not in r["accepted_by"], r
        assert r["document_number"] == w["document_number"], (w, r)
PY

note "the city platform back: its acceptance is kept, the first one does not move"
first_at=$(sql "SELECT group_concat(accepted_at) FROM (SELECT accepted_at FROM publicity ORDER BY rid)")
sim_faults "$city_PORT" '{"down": false}'
city_took() { sql "SELECT count(*) FROM publicity_accepted WHERE destination = 'city'"; }
wait_for 60 "the city platform took them" eq 25 city_took
[ "$(sql "SELECT group_concat(accepted_at) FROM (SELECT accepted_at FROM publicity ORDER BY rid)")" = "$first_at" ] ||
  fail "a later acceptance moved the first"

note "the statistics agree with the files sent and with each platform's own counts, after a restart too"
stats_agree() {
  "$BIN" report statistics --config "$T/gw.json" --period year --by department,destination >"$T/stats.csv" ||
    fail "statistics: $(cat "$T/stats.csv")"
  sim "$provincial_PORT" /sim/stats >"$T/provincial.json"
  sim "$city_PORT" /sim/stats >"$T/city.json"
  python3 - "$T/stats.csv" "$W/market_regulation/sgs-2.xml" "$W/market_regulation/sgs-2-changes.xml" \
    "$T/provincial.json" "$T/city.json" <<'PY'
import csv, json, sys
import xml.etree.ElementTree as ET
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
def n(figure, dest=""):
    return sum(int(r["n"]) for r in rows if (r["figure"] == figure or figure.endswith(":") and r["figure"].startswith(figure))
               and r["destination"] == dest and r["department"] in ("market_regulation", ""))
sent = sum(len(ET.parse(f).getroot()) for f in sys.argv[2:4])
assert n("received") + n("quarantined:") == sent, (n("received"), n("quarantined:"), sent)
for name, f in (("provincial", sys.argv[4]), ("city", sys.argv[5])):
    s = json.load(open(f))
    assert n("accepted", name) == s["records_accepted"] + s["records_duplicate"], (name, n("accepted", name), s)
PY
}
# Every version answered (not only the licences and penalties): the platforms' counts are final.
wait_for 60 "every version delivered" eq 0 sql "SELECT count(*) FROM outbox"
stats_agree || fail "statistics: $(cat "$T/stats.csv")"
stop_gateway
mv "$T/gateway.log" "$T/gateway.before-restart.log"
rm -f "$T/data/run/admin.port"
start_gateway
wait_for 10 "admin API port" test -s "$T/data/run/admin.port"
stats_agree || fail "statistics after a restart: $(cat "$T/stats.csv")"
A=http://127.0.0.1:$(cat "$T/data/run/admin.port")

note "the admin API: filters, JSON and CSV, a viewer too"
curl -s "${OP[@]}" "$A/api/v1/reports/shuanggongshi?department=market_regulation&state=overdue" >"$T/overdue.json"
python3 - "$T/overdue.json" <<'PY' || fail "admin report: $(head -c 800 "$T/overdue.json")"
import json, sys
body = json.load(open(sys.argv[1]))
assert len(body["entries"]) == 2 and all(e["quarantine_id"] > 0 for e in body["entries"]), body
assert body["counts"] == {"market_regulation": {"overdue": 2}}, body["counts"]
PY
curl -s -H "Authorization: Bearer viewer-token-0123456789" "$A/api/v1/reports/shuanggongshi?format=csv" >"$T/viewer.csv"
[ "$(wc -l <"$T/viewer.csv")" = 28 ] || fail "viewer CSV: $(head -c 600 "$T/viewer.csv")"
grep -q "provincial=.*city=\|city=.*provincial=" "$T/viewer.csv" || fail "both platforms' acceptance in the CSV"
code=$(curl -s -o "$T/bad.json" -w '%{http_code}' "${OP[@]}" "$A/api/v1/reports/shuanggongshi?from=2026-13-01")
[ "$code" = 400 ] && grep -q '"from' "$T/bad.json" || fail "a bad date: $code $(cat "$T/bad.json")"

note "the metric and the publicity job"
curl -s "$A/metrics" >"$T/metrics.txt"
grep -qF 'cg_shuanggongshi_unpublished{department="market_regulation",state="overdue"} 2' "$T/metrics.txt" ||
  fail "metric: $(grep shuanggongshi "$T/metrics.txt")"
"$BIN" job run publicity --config "$T/gw.json" >"$T/job1.json" 2>&1 || fail "job: $(cat "$T/job1.json")"
"$BIN" job run publicity --config "$T/gw.json" >"$T/job2.json" 2>&1 || fail "job again: $(cat "$T/job2.json")"
grep -q '"newly_noted":2' "$T/job1.json" || fail "first run: $(cat "$T/job1.json")"
grep -q '"newly_noted":0' "$T/job2.json" || fail "second run: $(cat "$T/job2.json")"
[ "$(sql "SELECT count(*) FROM audit WHERE action = 'publicity.noted'")" = 2 ] || fail "the notes are audited"
grep -q '"acceptances_counted":25' "$T/job1.json" || fail "first acceptances counted: $(cat "$T/job1.json")"
"$BIN" report statistics --config "$T/gw.json" --period year --figure publicity: --by department >"$T/publicity.csv"
python3 - "$T/publicity.csv" <<'PY' || fail "双公示 statistics: $(cat "$T/publicity.csv")"
import csv, sys
n = {r["figure"]: int(r["n"]) for r in csv.DictReader(open(sys.argv[1], newline="")) if r["department"] == "market_regulation"}
assert n == {"publicity:late": 25, "publicity:overdue": 2}, n
PY
echo "e2e shuanggongshi: ok"
