#!/usr/bin/env bash
# The platform simulator's benchmark modes: --hold digests (a backlog of
# millions without keeping bodies) still answers the contract by version and
# digest, and refuses body lookups; /sim/sink counts another shipper's
# unsigned batches and refuses what is not a list of records.
source "$(dirname "$0")/lib.sh"
start_sim full
start_sim digests --hold digests
"$BIN" map --mapping "$SRC/mappings/procurement/cgsx.json" --tables "$SRC/config/code-tables" \
  "$SRC/tests/fixtures/feeds/procurement/cgsx-1.json" >"$T/mapped.jsonl" 2>/dev/null || true
head -3 "$T/mapped.jsonl" >"$T/records.jsonl"
[ "$(wc -l <"$T/records.jsonl")" -eq 3 ] || fail "the fixture did not map to 3 records"

# push PORT BATCH_ID [FIELD=VALUE]: a signed batch of the three records (version 1,
# or with FIELD changed); prints the statuses the platform answered.
push() {
  python3 - "$1" "$2" "$SECRET_FILE" "$T/records.jsonl" "${3:-}" <<'PY'
import hashlib, hmac, json, sys, time, urllib.request, uuid
port, batch_id, secret_file, records, change = sys.argv[1:6]
recs = [dict(json.loads(l), version=1) for l in open(records, encoding="utf-8")]
if change:
    k, v = change.split("=", 1)
    recs[0]["detail"][k] = v
body = json.dumps({"batch_id": batch_id, "source": "gw-e2e", "records": recs}, ensure_ascii=False).encode()
secret = open(secret_file).read().strip().encode()
ts, nonce, path = str(int(time.time() * 1000)), uuid.uuid4().hex, "/api/v1/records:batch"
sts = "\n".join(["POST", path, ts, nonce, hashlib.sha256(body).hexdigest()])
req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method="POST", headers={
    "Content-Type": "application/json", "X-App-Id": "gw-e2e", "X-Timestamp": ts, "X-Nonce": nonce,
    "Idempotency-Key": batch_id, "X-Signature": hmac.new(secret, sts.encode(), hashlib.sha256).hexdigest()})
print(" ".join(r["status"] for r in json.load(urllib.request.urlopen(req))["results"]))
PY
}

note "digests only: the same answers as a simulator that keeps the records"
for p in "$full_PORT" "$digests_PORT"; do
  [ "$(push "$p" batch-0001)" = "accepted accepted accepted" ] || fail "first push not accepted on port $p"
  [ "$(push "$p" batch-0002)" = "duplicate duplicate duplicate" ] || fail "a re-send is not a duplicate on port $p"
  [ "$(push "$p" batch-0003 facts=changed)" = "rejected duplicate duplicate" ] ||
    fail "other content under the same version was not refused on port $p"
done
[ "$(sim_held "$digests_PORT")" -eq 3 ] || fail "the digests-only simulator does not count what it holds"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$full_PORT/sim/records")" = 200 ] || fail "full: /sim/records"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$digests_PORT/sim/records")" = 409 ] ||
  fail "digests only: /sim/records must say the bodies are not kept"

note "/sim/sink counts records of unsigned batches, and refuses anything else"
sink() { curl -s -o /dev/null -w '%{http_code}' -X POST --data-binary "$2" "http://127.0.0.1:$1/sim/sink"; }
[ "$(sink "$full_PORT" '{"records":[{"a":1},{"a":2}]}')" = 200 ] || fail "sink: object with records"
[ "$(sink "$full_PORT" '[{"a":3}]')" = 200 ] || fail "sink: a plain array"
[ "$(sink "$full_PORT" '{"records":[{"a":4}')" = 400 ] || fail "sink: truncated JSON accepted"
[ "$(sink "$full_PORT" '{"other":[1]}')" = 400 ] || fail "sink: an object without records accepted"
count=$(sim "$full_PORT" /sim/stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["sink_records"])')
[ "$count" -eq 3 ] || fail "sink counted $count records, not 3"
note "platform simulator: ok"
