#!/usr/bin/env bash
# The wave-2 samples through a running gateway, in their README's order: the
# market regulation bureau's and the court's files by their transports (their
# own removals, repairs and revocations among them), then the provincial
# platform's change feed. Every stored record's status and version match
# expected-2.json; the departments' latest files sent again change nothing.
source "$(dirname "$0")/lib.sh"
W=$SRC/tests/fixtures/wave2

start_sim provincial --changes "$W/platform/changes-2.json"
start_sim city
destinations_json
JOBS='{"sync": {"cron": "off"}}' write_config
for p in court market_regulation; do install_plugin "$BUILD/plugins/libcg_adapter_$p.so"; done
start_gateway
wait_for 20 "two plugins running" ge 2 log_count '"msg":"plugin running"'

note "the departments' first files, then their changes"
deliver_wave2 market_regulation/sgs-2.xml
deliver_wave2 court/sxbzxr-2.xml
deliver_wave2 market_regulation/sgs-2-changes.xml
deliver_wave2 court/sxbzxr-2-changes.xml

note "the provincial platform's changes"
"$BIN" sync --now --config "$T/gw.json" >"$T/sync.json" || fail "sync: $(cat "$T/sync.json")"
python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["counts"]; assert c["applied"] > 0 and c["invalid"] == 0, c' \
  "$T/sync.json" || fail "sync counts: $(cat "$T/sync.json")"

note "every record has the status and version expected-2.json names"
# compare: the market regulation and court records (the approval bureau's come through its front-end database).
compare() {
  "$BIN" export --config "$T/gw.json" >"$T/records.jsonl" 2>/dev/null
  python3 - "$T/records.jsonl" "$W/expected-2.json" <<'PY'
import json, sys
held = {r["record_id"]: r for r in map(json.loads, open(sys.argv[1]))}
want = [e for e in json.load(open(sys.argv[2])) if e["feed"] != "approval"]
stored = [e for e in want if e["ok"]]
problems = []
for e in stored:
    r = held.get(e["record_id"])
    if r is None:
        problems.append(("missing", e["key"]))
    elif (r["status"], r["version"]) != (e["final_status"], e["final_version"]):
        problems.append((e["key"], r["status"], r["version"], e["final_status"], e["final_version"]))
for e in want:
    if not e["ok"] and e["record_id"] in held:
        problems.append(("stored, should be quarantined", e["key"]))
assert not problems, problems
assert len(held) == len(stored), (len(held), len(stored))
PY
}
compare || fail "the records differ from expected-2.json"

note "the departments' latest files again change nothing, nor undo the platform's changes"
before=$(sql "SELECT count(*) FROM record_versions")
rm -f "$T/court/done/"*
deliver_wave2 court/sxbzxr-2.xml
deliver_wave2 market_regulation/sgs-2-changes.xml
deliver_wave2 court/sxbzxr-2-changes.xml
[ "$(sql "SELECT count(*) FROM record_versions")" = "$before" ] || fail "a re-send made a version"
compare || fail "the records changed on a re-send"
stop_gateway
echo "e2e wave2_lifecycle: ok"
