#!/usr/bin/env bash
# The sample feeds pushed, then the provincial platform's change feed
# (changes-1.json) pulled: statuses, versions, dates, the audit trail, the
# feedback to each department and what was (and was not) pushed upstream all
# follow the lifecycle rules; a page delivered again changes nothing.
source "$(dirname "$0")/lib.sh"
F=$SRC/tests/fixtures/feeds

start_sim provincial --changes "$F/platform/changes-1.json"
start_sim city
start_static_server "$F/tax"
start_feedback_receiver
destinations_json
JOBS='{"sync": {"cron": "off", "page_size": 3}}' write_config
for p in court tax market_regulation procurement; do install_plugin "$BUILD/plugins/libcg_adapter_$p.so"; done
start_gateway
wait_for 20 "four plugins running" ge 4 log_count '"msg":"plugin running"'

note "the sample feeds arrive by their transports and reach both platforms"
mkdir -p "$T/court/inbox"
cp "$F/court/sxbzxr-1.xml" "$T/court/inbox/"
"$BIN" send --endpoint "ipc://$T/mr.sock" "$F/market_regulation/sgs-1.xml" >/dev/null
wait_for 10 "procurement port" test -s "$T/procurement.port"
curl -s -o /dev/null -X POST --data-binary @"$F/procurement/cgsx-1.json" "http://127.0.0.1:$(cat "$T/procurement.port")/ingest"
wait_for 60 "provincial holds the samples" eq 46 sim_held "$provincial_PORT"
wait_for 60 "city holds the samples" eq 46 sim_held "$city_PORT"

note "sync, three changes a page"
"$BIN" sync --now --config "$T/gw.json" >"$T/sync1.json" || fail "sync: $(cat "$T/sync1.json")"
python3 - "$T/sync1.json" <<'PY' || fail "sync counts: $(cat "$T/sync1.json")"
import json, sys
r = json.load(open(sys.argv[1]))
c = r["counts"]
assert r["status"] == "ok", r
assert c["pages"] == 4 and c["applied"] == 11 and c["repeated"] == 0, c
PY

note "a page delivered again (cursor not yet committed) changes nothing"
sql "UPDATE sync_cursors SET cursor='c3'"
"$BIN" sync --now --config "$T/gw.json" >"$T/sync2.json"
python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["counts"]; assert c["applied"]==0 and c["repeated"]==8, c' "$T/sync2.json" ||
  fail "re-delivered changes were applied again: $(cat "$T/sync2.json")"

note "statuses, versions and dates follow the rules"
"$BIN" export --config "$T/gw.json" >"$T/records.jsonl" 2>/dev/null
python3 - "$T/records.jsonl" <<'PY' || fail "lifecycle outcome differs"
import json, sys
r = {x["record_id"]: x for x in map(json.loads, open(sys.argv[1]))}
def check(rid, status, version, **kw):
    x = r[rid]
    assert x["status"] == status and x["version"] == version, (rid, x["status"], x["version"])
    for k, v in kw.items():
        assert x["decision"].get(k) == v, (rid, k, x["decision"].get(k))
check("2d52aa0a7081f9003c027fba2e50b0d3", "repaired", 2)
check("41b8e4c624ef95ea367c945b69c4b883", "repaired", 2)
check("2923549580d1fb0125de3e848acc36c1", "active", 3, valid_until="2025-01-18")   # one day suspended
check("7ddd41479fb01745984fe9a7e2128994", "revoked", 3)
check("10b2d60a527c1fc47e72a188c223ecf4", "suspended", 2)
check("98512076f43d89c3a798e496d88c5acc", "revoked", 2)
for rid in ["23c5e4997d0c413f7f67bf66b9d2f938", "ab0ccf40c1bc26e295d01e24cba0a8f7", "6e0e3e33ec8bd01799121b05492832c0"]:
    check(rid, "active", 1)
untouched = [x for k, x in r.items() if x["version"] != 1 and k not in (
    "2d52aa0a7081f9003c027fba2e50b0d3", "41b8e4c624ef95ea367c945b69c4b883", "2923549580d1fb0125de3e848acc36c1",
    "7ddd41479fb01745984fe9a7e2128994", "10b2d60a527c1fc47e72a188c223ecf4", "98512076f43d89c3a798e496d88c5acc")]
assert not untouched, untouched
assert len(r) == 49, len(r)
PY
[ "$(sql "SELECT origin FROM records WHERE record_id='23c5e4997d0c413f7f67bf66b9d2f938'")" = "platform:provincial" ] ||
  fail "an other region's record lost its origin"

note "the audit names the change behind every status change"
[ "$(sql "SELECT count(*) FROM audit WHERE action='record.status_changed'")" -eq 8 ] || fail "status changes in the audit"
[ "$(sql "SELECT count(*) FROM audit WHERE action='sync.change'")" -eq 11 ] || fail "applied changes in the audit"
sql "SELECT detail FROM audit WHERE action='record.status_changed' AND record_id='2923549580d1fb0125de3e848acc36c1' ORDER BY id" |
  grep -q '"change_id":"chg-1-0004"' || fail "the audit does not name chg-1-0004"

note "new versions go upstream to both platforms; other regions' records do not"
wait_for 60 "provincial has the repaired version" bash -c \
  "curl -s http://127.0.0.1:$provincial_PORT/sim/records | grep -q '\"record_id\":\"2d52aa0a7081f9003c027fba2e50b0d3\".*\"status\":\"repaired\"\|\"status\":\"repaired\".*\"record_id\":\"2d52aa0a7081f9003c027fba2e50b0d3\"'"
wait_for 60 "city has the revoked tax record" bash -c \
  "curl -s http://127.0.0.1:$city_PORT/sim/records | grep '98512076f43d89c3a798e496d88c5acc' | grep -q '\"version\":2'"
[ "$(sim_held "$provincial_PORT")" -eq 46 ] || fail "a record from another region was pushed to the provincial platform"
[ "$(sim_held "$city_PORT")" -eq 46 ] || fail "a record from another region was pushed to the city platform"

note "feedback reaches each department through its own channel"
wait_for 60 "court feedback files" eq 2 files_in "$T/feedback/court"
wait_for 60 "market regulation feedback files" eq 5 files_in "$T/feedback/market_regulation"
wait_for 60 "tax feedback file" eq 1 files_in "$T/feedback/tax"
wait_for 60 "procurement feedback posts" eq 26 files_in "$T/feedback/procurement"
iconv -f GB18030 -t UTF-8 "$T"/feedback/court/*.xml | grep -c '<ZT>已信用修复</ZT>' >/dev/null || fail "court feedback is not GB18030 XML in the court's style"
head -1 "$T"/feedback/court/*.xml | grep -c 'encoding="GB18030"' >/dev/null || fail "court feedback prolog"
grep -l '"jlbh":"98512076f43d89c3a798e496d88c5acc"' "$T"/feedback/tax/*.json | xargs grep -q '"zt":"revoked"' || fail "tax feedback"
grep -l '2923549580d1fb0125de3e848acc36c1' "$T"/feedback/market_regulation/*.xml | xargs grep -l '<YYJG>rejected</YYJG>' |
  xargs grep -q '<YXQ>2025-01-18</YXQ>' || fail "market regulation feedback of the rejected objection"
grep -l '"record_id":"23c5e4997d0c413f7f67bf66b9d2f938"' "$T"/feedback/procurement/*.json | xargs grep -q '"measures_apply":"yes"' ||
  fail "procurement did not receive the other region's dishonest debtor"
grep -l '"record_id":"2d52aa0a7081f9003c027fba2e50b0d3"' "$T"/feedback/procurement/*.json | xargs grep -q '"measures_apply":"no"' ||
  fail "procurement was not told the repaired debtor's measures stop"

stop_gateway

note "a change feed whose answer has the wrong types is an error that says so, and moves no cursor"
python3 -u "$SRC/tests/e2e/answer_server.py" --always '{"changes": [], "next_cursor": 5, "has_more": "yes"}' \
  >"$T/odd_feed.out" 2>&1 &
PIDS+=($!)
wait_for 10 "odd change feed" grep -q 'port [0-9]' "$T/odd_feed.out"
sed "s|http://127.0.0.1:$provincial_PORT|http://127.0.0.1:$(awk '/port/{print $2; exit}' "$T/odd_feed.out")|" "$T/gw.json" >"$T/gw-odd.json"
cursor_before=$(sql "SELECT cursor FROM sync_cursors")
if "$BIN" sync --now --config "$T/gw-odd.json" >"$T/sync-odd.json" 2>&1; then fail "an odd change feed was taken: $(cat "$T/sync-odd.json")"; fi
grep -q "next_cursor must be text and has_more true or false" "$T/sync-odd.json" || fail "odd feed: $(cat "$T/sync-odd.json")"
[ "$(sql "SELECT cursor FROM sync_cursors")" = "$cursor_before" ] || fail "the cursor moved"
echo "e2e sync_lifecycle: ok"
