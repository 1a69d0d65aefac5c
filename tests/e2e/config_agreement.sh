#!/usr/bin/env bash
# check-config, the start and every reload run one validation: a config one
# refuses, all refuse, naming every problem with its file; the running
# gateway keeps its config.
source "$(dirname "$0")/lib.sh"

cp -r "$SRC/mappings" "$T/mappings"
MAPPINGS_DIR=$T/mappings write_config
printf 'operator bob %s\n' operator-token-0123456789 >"$T/admin.tokens"
chmod 600 "$T/admin.tokens"
cp "$T/gw.json" "$T/gw.good.json"
"$BIN" check-config --config "$T/gw.json" >"$T/check.out" 2>&1 || fail "the good config: $(cat "$T/check.out")"

# variant NAME SED: a broken copy of the good config.
variant() { sed "$2" "$T/gw.good.json" >"$T/$1.json"; }
variant feed 's#"court-file-drop": {#"court-file-drop": {"feed": "court.nosuch", #'
variant allowlist "s#\"allowlist_file\": \"$T/plugins/ALLOWLIST\"#\"allowlist_file\": \"$T/plugins/NOSUCH\"#"
variant everything "s#\"allowlist_file\": \"$T/plugins/ALLOWLIST\"#\"allowlist_file\": \"$T/plugins/NOSUCH\", \"scan_intervall\": 1#; s#\"court-file-drop\": {#\"court-file-drop\": {\"feed\": \"court.nosuch\", #"
declare -A says=([feed]="no mapping named 'court.nosuch'" [allowlist]="NOSUCH does not exist")

note "check-config and the start refuse each broken config, naming the problem"
for v in feed allowlist; do
  "$BIN" check-config --config "$T/$v.json" >"$T/check.out" 2>&1 && fail "check-config accepted $v"
  grep -qF "${says[$v]}" "$T/check.out" || fail "check-config on $v: $(cat "$T/check.out")"
  "$BIN" run --config "$T/$v.json" >"$T/run.out" 2>&1 && fail "the gateway started with $v"
  grep -qF "${says[$v]}" "$T/run.out" || fail "the start with $v: $(cat "$T/run.out")"
done
"$BIN" check-config --config "$T/everything.json" >"$T/check.out" 2>&1 && fail "check-config accepted everything"
[ "$(grep -c '^error: ' "$T/check.out")" -ge 2 ] || fail "not every problem at once: $(cat "$T/check.out")"
grep -q "scan_intervall" "$T/check.out" || fail "the unknown key is not named: $(cat "$T/check.out")"

note "a mapping with a problem: check-config, the start, SIGHUP and the API all refuse it"
start_gateway
A=http://127.0.0.1:$(cat "$T/data/run/admin.port")
cp "$T/mappings/tax/zdsswf.json" "$T/zdsswf.good"
sed -i 's/"kind": "major_tax_violation"/"kind": "major_tax_violations"/' "$T/mappings/tax/zdsswf.json"
"$BIN" check-config --config "$T/gw.json" >"$T/check.out" 2>&1 && fail "check-config accepted the broken mapping"
grep -q "zdsswf.json" "$T/check.out" || fail "check-config does not name the mapping: $(cat "$T/check.out")"
kill -HUP "$GW_PID"
wait_for 10 "reload refused" log_has 'config reload refused; the running config stays'
grep 'config reload refused' "$T/gateway.log" | grep -q 'zdsswf.json' || fail "the refusal does not name the mapping"
code=$(curl -s -o "$T/reload.json" -w '%{http_code}' -H "Authorization: Bearer operator-token-0123456789" \
  -X POST "$A/api/v1/config/reload")
[ "$code" = 400 ] && grep -q zdsswf.json "$T/reload.json" || fail "API reload with a broken mapping: $code $(cat "$T/reload.json")"
for v in feed allowlist; do
  cp "$T/zdsswf.good" "$T/mappings/tax/zdsswf.json"
  cp "$T/$v.json" "$T/gw.json"
  code=$(curl -s -o "$T/reload.json" -w '%{http_code}' -H "Authorization: Bearer operator-token-0123456789" \
    -X POST "$A/api/v1/config/reload")
  [ "$code" = 400 ] || fail "API reload of $v answered $code: $(cat "$T/reload.json")"
done
stop_gateway
sed -i 's/"kind": "major_tax_violation"/"kind": "major_tax_violations"/' "$T/mappings/tax/zdsswf.json"
cp "$T/gw.good.json" "$T/gw.json"
"$BIN" run --config "$T/gw.json" >"$T/run.out" 2>&1 && fail "the gateway started without a mapping that loads"
grep -q "zdsswf.json" "$T/run.out" || fail "the start does not name the mapping: $(cat "$T/run.out")"
echo "e2e config_agreement: ok"
