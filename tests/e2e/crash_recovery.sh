#!/usr/bin/env bash
# kill -9 of the gateway in the middle of ingest, twice: after restarts every
# record is stored exactly once and every broken one quarantined exactly once.
# The store's commits gather their WAL frames (store.wal_gather), whose
# self-test must pass at each start.
source "$(dirname "$0")/lib.sh"

summary=$(gen court --records 3000 --per-file 50 --out "$T/gen" --seed 31 --start 9000)
valid=$(echo "$summary" | json_field valid)
invalid=$(echo "$summary" | json_field invalid)

STORE='{"wal_gather": true}' write_config
install_plugin "$BUILD/plugins/libcg_adapter_court.so"
mkdir -p "$T/court/inbox"
cp "$T"/gen/*.xml "$T/court/inbox/"
start_gateway
log_has '"WAL write gather on' || fail "store.wal_gather did not turn the write gather on"

for round in 1 2; do
  wait_for 60 "ingest under way (round $round)" ge $((round * 5)) files_in "$T/court/done"
  note "kill -9 with $(files_in "$T/court/done") of 60 files done"
  kill9_gateway
  [ "$(files_in "$T/court/inbox")" -gt 0 ] || fail "ingest finished before the kill; make the feed larger"
  start_gateway
done

wait_for 120 "every file taken" eq 0 files_in "$T/court/inbox"
wait_for 30 "every valid record stored" eq "$valid" records
[ "$(sql 'SELECT count(*) FROM record_versions')" -eq "$valid" ] || fail "a record was stored twice"
[ "$(sql 'SELECT max(version) FROM records')" -eq 1 ] || fail "a re-sent record got a new version"
[ "$(quarantined)" -eq "$invalid" ] || fail "quarantine has $(quarantined), expected $invalid"
[ "$(files_in "$T/court/done")" -eq 60 ] || fail "not every file reached done/"
stop_gateway
echo "e2e crash_recovery: ok ($valid stored once, $invalid quarantined once, after two kill -9)"
