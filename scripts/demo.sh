#!/usr/bin/env bash
# Installs what is missing, builds, and runs the gateway end to end on the
# embedded defaults (SQLite, config/gateway.json): the sample feeds of the four
# departments arrive by their real transports, and the records are stored.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
BIN=build/core/credit-gateway
FEEDS=tests/fixtures/feeds

rm -rf var && mkdir -p var/plugins/connectors var/inbox/court var/log var/secrets
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

echo "== plugins: the four department adapters, allowlisted by SHA-256"
for p in court tax market_regulation procurement; do
  cp "build/plugins/libcg_adapter_$p.so" var/plugins/
done
cp build/plugins/libcg_connector_platform_v1.so var/plugins/connectors/
(cd var/plugins && sha256sum *.so connectors/*.so >ALLOWLIST)
echo "== secrets for the two platforms (files readable only by this user, never in the config)"
for p in provincial city; do
  (umask 077 && head -c 32 /dev/urandom | sha256sum | cut -c1-48 >"var/secrets/$p.secret")
done
echo "== a department API token for the finance bureau's system (var/secrets/department.tokens)"
FINANCE_TOKEN=$(head -c 24 /dev/urandom | sha256sum | cut -c1-40)
(umask 077 && echo "finance cwj-system $FINANCE_TOKEN" >var/secrets/department.tokens)
$BIN check-config --config config/gateway.json

echo "== the provincial and city platforms (simulators on 127.0.0.1:18090 and :18091)"
build/tools/platform-sim --name provincial --app-id gw-510802-01 --secret-file var/secrets/provincial.secret \
  --listen 127.0.0.1:18090 --changes "$FEEDS/platform/changes-1.json" >var/log/provincial.log 2>&1 &
PIDS+=($!)
build/tools/platform-sim --name city --app-id gw-510802-01 --secret-file var/secrets/city.secret \
  --listen 127.0.0.1:18091 >var/log/city.log 2>&1 &
PIDS+=($!)

echo "== the tax bureau's paged API (a static stand-in on 127.0.0.1:18081)"
(cd "$FEEDS" && exec python3 -m http.server 18081 --bind 127.0.0.1) >var/log/tax-api.log 2>&1 &
PIDS+=($!)

echo "== the procurement system's feedback endpoint (127.0.0.1:18084; what it is sent goes to var/feedback/procurement)"
mkdir -p var/feedback/procurement
python3 - var/feedback/procurement >var/log/procurement-feedback.log 2>&1 <<'PY' &
import http.server, os, sys
class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(os.path.join(sys.argv[1], self.headers.get("Idempotency-Key", "item") + ".json"), "wb") as f:
            f.write(body)
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"{}")
http.server.HTTPServer(("127.0.0.1", 18084), Receiver).serve_forever()
PY
PIDS+=($!)

echo "== the gateway (log: var/log/gateway.log)"
$BIN run --config config/gateway.json >var/log/gateway.log 2>&1 &
GW=$!
PIDS+=($GW)
for _ in $(seq 1 100); do
  [ "$(grep -c '"msg":"plugin running"' var/log/gateway.log || true)" -ge 4 ] && break
  sleep 0.1
done

echo "== court: a GB18030 file dropped into var/inbox/court"
cp "$FEEDS/court/sxbzxr-1.xml" var/inbox/court/.sxbzxr-1.xml.part
mv var/inbox/court/.sxbzxr-1.xml.part var/inbox/court/sxbzxr-1.xml
echo "== market regulation: pushed over ZeroMQ by the front-end processor"
$BIN send --endpoint ipc://var/data/run/market_regulation.sock "$FEEDS/market_regulation/sgs-1.xml"
echo "== procurement: POSTed to the ingest endpoint"
curl -s -X POST -H 'Content-Type: application/json' --data-binary @"$FEEDS/procurement/cgsx-1.json" \
  http://127.0.0.1:18082/ingest | python3 -c 'import json,sys; a=json.load(sys.stdin); print("   answer:", a["status"], a["accepted"], "accepted,", len(a["quarantined"]), "quarantined")'

held() { curl -s "http://127.0.0.1:$1/sim/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["records_held"])'; }
for _ in $(seq 1 150); do
  [ "$(held 18090)" -ge 46 ] && [ "$(held 18091)" -ge 46 ] && break
  sleep 0.2
done
echo "== the finance bureau asks the department API for the measures it must apply"
curl -s -H "Authorization: Bearer $FINANCE_TOKEN" 'http://127.0.0.1:18088/api/v1/items?state=pending' >var/finance-items.json
echo "== before paying a subsidy, the finance bureau checks the first item's subject (信用核查)"
python3 -c '
import datetime, json
subject = json.load(open("var/finance-items.json"))["items"][0]["subject"]
who = {k: subject[k] for k in ("uscc", "id_type", "id_number", "name") if k in subject}
print(json.dumps({"scenario": "subsidy", "purpose": "2026年度财政补贴资格审查", "case_ref": "CZ-DEMO-1",
                  "on": datetime.date.today().isoformat(), "subjects": [who]}))' >var/finance-check.json
curl -s -H "Authorization: Bearer $FINANCE_TOKEN" -H 'Content-Type: application/json' \
  --data-binary @var/finance-check.json http://127.0.0.1:18088/api/v1/checks >var/finance-check-answer.json
echo "== the finance bureau reports what it did with the first item's measures (执行反馈)"
python3 -c '
import datetime, json
item = json.load(open("var/finance-items.json"))["items"][0]
print(json.dumps({"feedback": [{"item_id": item["item_id"], "measure_id": m["measure_id"], "action": "applied",
                                "on": datetime.date.today().isoformat(), "case_ref": "CZ-DEMO-1"}
                               for m in item["measures"]]}))' >var/finance-feedback.json
curl -s -H "Authorization: Bearer $FINANCE_TOKEN" -H 'Content-Type: application/json' \
  --data-binary @var/finance-feedback.json http://127.0.0.1:18088/api/v1/feedback >var/finance-feedback-answer.json
reported=$(python3 -c 'import json; print(len(json.load(open("var/finance-feedback.json"))["feedback"]))')
fb_held() { curl -s "http://127.0.0.1:$1/sim/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["feedback_held"])'; }
for _ in $(seq 1 100); do
  [ "$(fb_held 18090)" -ge "$reported" ] && break
  sleep 0.2
done
kill -TERM $GW && wait $GW || true

echo
echo "== result"
$BIN export --config config/gateway.json >var/records.jsonl
$BIN quarantine list --config config/gateway.json >var/quarantine.jsonl
echo "   $(wc -l <var/records.jsonl) canonical records stored (var/records.jsonl)"
echo "   at the provincial platform: $(held 18090) records; at the city platform: $(held 18091) records"
python3 -c '
import json
items = json.load(open("var/finance-items.json"))["items"]
print("   %d items for the finance bureau (var/finance-items.json), e.g.:" % len(items))
for i in items[:3]:
    print("     %s %s: %s, due %s" % (i["kind"], i["subject"].get("name", ""),
          ", ".join(m["measure_id"] for m in i["measures"]), i["due_on"]))'
python3 -c '
import json
a = json.load(open("var/finance-check-answer.json"))
r = a["results"][0]
print("   the finance bureau'"'"'s check %s (catalog %s): %s, %d hit(s) %s (var/finance-check-answer.json)" % (
    a["check_id"], a["catalog"], r["verdict"], len(r["hits"]),
    ", ".join(m["measure_id"] for h in r["hits"] for m in h["measures"])))'
echo "   the finance bureau's feedback: $(python3 -c 'import json; print(", ".join(r["status"] for r in json.load(open("var/finance-feedback-answer.json"))["results"]))') (var/finance-feedback-answer.json); at the provincial platform: $(fb_held 18090) reports"
echo "   $(wc -l <var/quarantine.jsonl) records quarantined with the rule they broke (var/quarantine.jsonl):"
python3 -c '
import json
for l in open("var/quarantine.jsonl"):
    q = json.loads(l)
    print("     #%s %-18s %-26s %s" % (q["id"], q["department"], q.get("field", ""), q["rule"]))'
