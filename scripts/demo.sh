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

rm -rf var && mkdir -p var/plugins var/inbox/court var/log
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

echo "== plugins: the four department adapters, allowlisted by SHA-256"
for p in court tax market_regulation procurement; do
  cp "build/plugins/libcg_adapter_$p.so" var/plugins/
done
(cd var/plugins && sha256sum *.so >ALLOWLIST)
$BIN check-config --config config/gateway.json

echo "== the tax bureau's paged API (a static stand-in on 127.0.0.1:18081)"
(cd "$FEEDS" && exec python3 -m http.server 18081 --bind 127.0.0.1) >var/log/tax-api.log 2>&1 &
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

for _ in $(seq 1 100); do
  n=$($BIN export --config config/gateway.json 2>/dev/null | wc -l)
  [ "$n" -ge 46 ] && [ -z "$(ls var/inbox/court)" ] && break
  sleep 0.2
done
kill -TERM $GW && wait $GW || true

echo
echo "== result"
$BIN export --config config/gateway.json >var/records.jsonl
$BIN quarantine list --config config/gateway.json >var/quarantine.jsonl
echo "   $(wc -l <var/records.jsonl) canonical records stored (var/records.jsonl)"
echo "   $(wc -l <var/quarantine.jsonl) records quarantined with the rule they broke (var/quarantine.jsonl):"
python3 -c '
import json
for l in open("var/quarantine.jsonl"):
    q = json.loads(l)
    print("     #%s %-18s %-26s %s" % (q["id"], q["department"], q.get("field", ""), q["rule"]))'
