#!/usr/bin/env bash
# Plugins dropped in while the gateway runs: a crashing one, a hanging one,
# one built for another ABI, one missing a symbol, one not on the allowlist,
# a replaced one and a removed one. The gateway and the other departments go
# on; nothing is lost or stored twice.
source "$(dirname "$0")/lib.sh"
TP=$BUILD/test-plugins

HANG_TIMEOUT_MS=2000 write_config
install_plugin "$BUILD/plugins/libcg_adapter_court.so"
start_gateway
wait_for 20 "court plugin running" log_has '"plugin":"court-file-drop","ts"'
gen court --records 20 --per-file 10 --out "$T/gen" --seed 21 --start 5000 --bad-every 0 >/dev/null
files=("$T"/gen/*.xml)

note "a crashing plugin, dropped in while running: restarted, its input taken again"
mkdir -p "$T/crashy/inbox"
cp "${files[0]}" "$T/crashy/inbox/a.xml"
install_plugin "$TP/libcg_test_crash.so"
wait_for 20 "the crash was seen" log_has 'plugin host died'
wait_for 20 "the crashed plugin's file was taken after the restart" test -f "$T/crashy/done/a.xml"
grep -qE 'killed by signal [0-9]+|exited with status [1-9]' "$T/gateway.log" || fail "the crash reason is not logged"
wait_for 10 "10 records stored" eq 10 records
[ "$(sql 'SELECT max(version) FROM records')" -eq 1 ] || fail "a record got a second version"

note "the other department was not interrupted"
mkdir -p "$T/court/inbox"
cp "${files[1]}" "$T/court/inbox/b.xml"
wait_for 20 "court file taken" test -f "$T/court/done/b.xml"
wait_for 10 "20 records stored" eq 20 records
kill -0 "$GW_PID" || fail "the gateway died"

note "a plugin built for another ABI is refused with both versions named, and not restarted"
install_plugin "$TP/libcg_test_wrong_abi.so"
wait_for 20 "ABI refusal" log_has 'ABI version mismatch: the plugin was built for ABI 999, this gateway speaks ABI 1'
wait_for 10 "it stays stopped" log_has 'it stays stopped until its file changes'
sleep 2
[ "$(grep -c '"file":"libcg_test_wrong_abi.so","level":"info","msg":"plugin host started"' "$T/gateway.log")" -eq 1 ] ||
  fail "the wrong-ABI plugin was started more than once"

note "a plugin without the adapter symbol is refused, naming the symbol"
install_plugin "$TP/libcg_test_no_symbol.so"
wait_for 20 "missing symbol" log_has "missing symbol 'cg_plugin_adapter_v1'"

note "a plugin not on the allowlist is refused and not started until its digest is added"
cp "$TP/libcg_test_wrong_abi.so" "$T/intruder.tmp"
printf 'intruder' >>"$T/intruder.tmp"  # its own SHA-256
mv "$T/intruder.tmp" "$T/plugins/intruder.so"
wait_for 20 "allowlist refusal" log_has '"file":"intruder.so","level":"error","msg":"plugin refused: its SHA-256 is not on the allowlist; add it there'
sleep 1
if grep -q '"file":"intruder.so","level":"info","msg":"plugin host started"' "$T/gateway.log"; then fail "intruder started"; fi
[ "$(log_count '"file":"intruder.so","level":"error","msg":"plugin refused')" -eq 1 ] || fail "the refusal was logged more than once"
sha256sum "$T/plugins/intruder.so" | awk '{print $1 "  intruder.so"}' >>"$T/plugins/ALLOWLIST"
wait_for 20 "started once allowlisted, without a reload" \
  log_has '"file":"intruder.so","level":"info","msg":"plugin host started"'
rm "$T/plugins/intruder.so"

note "a hanging plugin is killed and restarted"
install_plugin "$TP/libcg_test_hang.so"
wait_for 20 "hang detected" log_has 'plugin host stopped answering'
wait_for 20 "restarted after the hang" log_has 'hung (no heartbeat)'
wait_for 20 "running again" ge 2 log_count '"plugin":"test-hang","ts".*"msg":"plugin started"\|"msg":"plugin started","pid":[0-9]*,"plugin":"test-hang"'

note "a replaced plugin is swapped after the old one drains"
cp "$BUILD/plugins/libcg_adapter_court.so" "$T/court-v2.so"
printf 'v2' >>"$T/court-v2.so"  # other bytes, same code: another SHA-256
install_plugin "$T/court-v2.so" libcg_adapter_court.so
wait_for 20 "swap started" log_has 'plugin replaced; the old version drains first'
wait_for 20 "new version started" log_has 'old plugin drained; starting the new version'
cp "$T/gen/$(basename "${files[1]}")" "$T/court/inbox/c.xml"
wait_for 20 "the new version takes files" test -f "$T/court/done/c.xml"

note "a removed plugin is stopped"
rm "$T/plugins/libcg_test_hang.so"
wait_for 20 "removal" log_has '"file":"libcg_test_hang.so","level":"info","msg":"plugin removed from the folder; stopping it"'

[ "$(sql 'SELECT count(*) FROM record_versions')" -eq 20 ] || fail "records stored twice"
kill -0 "$GW_PID" || fail "the gateway died"
stop_gateway
echo "e2e plugin_isolation: ok"
