#!/usr/bin/env bash
# What an operator does: SIGTERM during delivery (nothing lost), a broken
# config reloaded (nothing changes), a valid one reloaded (applied, plugins
# restarted with their new settings, input keeps flowing), one that changes
# what only a restart applies (named in the log); a catalog with a problem
# refused, a new catalog version applied and kept, a published one not edited.
source "$(dirname "$0")/lib.sh"

summary=$(gen court --records 400 --per-file 50 --out "$T/gen" --seed 51 --start 40000)
valid=$(echo "$summary" | json_field valid)
start_sim provincial --slow-ms 100
start_sim city --slow-ms 100
BATCH_SIZE=10 destinations_json
cp "$SRC/config/catalog.json" "$T/catalog.json"
CATALOG=$T/catalog.json write_config
printf 'operator bob %s\n' operator-token-0123456789 >"$T/admin.tokens"
chmod 600 "$T/admin.tokens"
install_plugin "$BUILD/plugins/libcg_adapter_court.so"
mkdir -p "$T/court/inbox"
cp "$T"/gen/*.xml "$T/court/inbox/"
start_gateway

note "SIGTERM during delivery: a clean stop, then everything arrives after the restart"
wait_for 60 "delivery under way" ge 20 sim_held "$provincial_PORT"
[ "$(sim_held "$provincial_PORT")" -lt "$valid" ] || fail "delivery finished too early"
kill -TERM "$GW_PID"
wait "$GW_PID" || fail "the gateway did not stop cleanly on SIGTERM"
GW_PID=""
log_has 'stopping: plugins drain their in-flight input first' || fail "no drain on SIGTERM"
start_gateway
wait_for 120 "provincial has everything" eq "$valid" sim_held "$provincial_PORT"
wait_for 120 "city has everything" eq "$valid" sim_held "$city_PORT"

note "a broken config is refused on SIGHUP and by the API; the running one stays"
cp "$T/gw.json" "$T/gw.good.json"
sed -i 's/"scan_interval_ms": 200/"scan_intervall_ms": 200/' "$T/gw.json"
kill -HUP "$GW_PID"
wait_for 10 "reload refused" log_has 'config reload refused; the running config stays'
grep -q "did you mean 'scan_interval_ms'" "$T/gateway.log" || fail "the refusal does not say what is wrong"
A=http://127.0.0.1:$(cat "$T/data/run/admin.port")
code=$(curl -s -o "$T/reload.json" -w '%{http_code}' -H "Authorization: Bearer operator-token-0123456789" -X POST "$A/api/v1/config/reload")
[ "$code" = 400 ] && grep -q scan_intervall_ms "$T/reload.json" || fail "API reload of a broken config: $code $(cat "$T/reload.json")"
gen court --records 10 --per-file 10 --out "$T/gen2" --seed 52 --start 50000 --bad-every 0 >/dev/null
cp "$T"/gen2/*.xml "$T/court/inbox/"
wait_for 30 "input still flows" eq 0 files_in "$T/court/inbox"

note "a valid config is applied; the court plugin restarts with its new settings"
sed 's/"settle_ms": 100/"settle_ms": 150/' "$T/gw.good.json" >"$T/gw.json"
kill -HUP "$GW_PID"
wait_for 10 "reloaded" log_has '"msg":"config reloaded"'
wait_for 20 "plugin restarted with its new config" log_has 'adapter config changed; the plugin drains and restarts with it'
grep '"msg":"config reloaded"' "$T/gateway.log" | tail -1 | grep -q '"needs_restart":\[\]' ||
  fail "an adapter setting reported as needing a restart: $(grep 'config reloaded' "$T/gateway.log" | tail -1)"
gen court --records 10 --per-file 10 --out "$T/gen3" --seed 53 --start 60000 --bad-every 0 >/dev/null
cp "$T"/gen3/*.xml "$T/court/inbox/"
wait_for 30 "input flows after the reload" eq 0 files_in "$T/court/inbox"
wait_for 30 "all stored" eq $((valid + 20)) records
[ "$(sql 'SELECT count(*) FROM record_versions')" -eq $((valid + 20)) ] || fail "a record was stored twice"

note "a setting that only a restart applies (a destination's retry, the store's WAL gather) is named as such"
sed -e 's/"retry_min_ms": 100/"retry_min_ms": 150/' -e 's/"store": {}/"store": {"wal_gather": true}/' \
  "$T/gw.good.json" >"$T/gw.json"
kill -HUP "$GW_PID"
wait_for 10 "reloaded again" eq 2 log_count '"msg":"config reloaded"'
grep '"msg":"config reloaded"' "$T/gateway.log" | tail -1 | grep -q '"needs_restart":\["store","destinations"\]' ||
  fail "needs_restart: $(grep 'config reloaded' "$T/gateway.log" | tail -1)"

note "a catalog with a problem is refused on reload; a new version is applied and kept; a published one is not edited"
[ "$(sql "SELECT ref FROM catalog_versions")" = "510800-2026@3" ] || fail "the catalog's version is not kept"
catalog_edit() {  # catalog_edit PYTHON: applies the statement to the catalog `c` in $T/catalog.json
  python3 - "$T/catalog.json" "$1" <<'PY'
import json, sys
c = json.loads("".join(l for l in open(sys.argv[1], encoding="utf-8") if not l.startswith("//")))
exec(sys.argv[2])
json.dump(c, open(sys.argv[1], "w", encoding="utf-8"), ensure_ascii=False, indent=1)
PY
}
refused=$(log_count 'config reload refused; the running config stays')
catalog_edit 'c["measures"][2]["implementing"] = ["finanse"]'
kill -HUP "$GW_PID"
wait_for 10 "catalog refused" eq $((refused + 1)) log_count 'config reload refused; the running config stays'
grep -q "'finanse' is not a department the gateway's config declares (departments); did you mean 'finance'?" \
  "$T/gateway.log" || fail "the refusal does not name the catalog's problem"
catalog_edit 'c["measures"][2]["implementing"] = ["finance"]; c["version"] = 4; c["measures"][0]["feedback_within_working_days"] = 6'
kill -HUP "$GW_PID"
wait_for 10 "the new version kept" eq 2 sql "SELECT count(*) FROM catalog_versions"
[ "$(sql "SELECT group_concat(ref, ' ') FROM (SELECT ref FROM catalog_versions ORDER BY rowid)")" = "510800-2026@3 510800-2026@4" ] ||
  fail "catalog versions: $(sql 'SELECT ref FROM catalog_versions')"
[ "$(sql "SELECT count(*) FROM audit WHERE action='catalog.loaded'")" -eq 2 ] || fail "a catalog version's load is not audited"
catalog_edit 'c["measures"][0]["feedback_within_working_days"] = 7'
kill -HUP "$GW_PID"
wait_for 10 "the edited version refused" log_has 'was loaded before with other content'
[ "$(sql "SELECT count(*) FROM catalog_versions")" -eq 2 ] || fail "an edited version was kept"
stop_gateway
echo "e2e operations: ok"
