#!/usr/bin/env bash
# The department API of a running gateway: a court listing reaches the
# finance and approval bureaus, which have no adapter, as items that name
# their measures, the catalog version and a working-day deadline; each
# department's token reaches its own items only, never the admin API, and
# admin tokens never act as a department; every call is audited.
source "$(dirname "$0")/lib.sh"
F=$SRC/tests/fixtures/feeds

JOBS='{"sync": {"cron": "off"}}' write_config
printf 'operator bob %s\n' operator-token-0123456789 >"$T/admin.tokens"
printf 'finance cwj-system %s\napproval spj-system %s\npolice gaj-system %s\n' \
  finance-token-0123456789 approval-token-0123456789 police-token-0123456789 >"$T/department.tokens"
chmod 600 "$T/admin.tokens" "$T/department.tokens"
install_plugin "$BUILD/plugins/libcg_adapter_court.so"
start_gateway
wait_for 10 "department API port" test -s "$T/data/run/department_api.port"
D=http://127.0.0.1:$(cat "$T/data/run/department_api.port")
A=http://127.0.0.1:$(cat "$T/data/run/admin.port")
FIN=(-H "Authorization: Bearer finance-token-0123456789")
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

note "a token for a department the gateway does not know is reported at start and not used"
log_has "unknown department 'police'" || fail "the undeclared department is not reported"
[ "$(code -H 'Authorization: Bearer police-token-0123456789' "$D/api/v1/items")" = 401 ] || fail "police token accepted"

note "tokens: none, an admin token, another department's items, the admin API"
[ "$(code "$D/api/v1/items")" = 401 ] || fail "no token accepted"
[ "$(code -H 'Authorization: Bearer operator-token-0123456789' "$D/api/v1/items")" = 401 ] || fail "an admin token acted as a department"
[ "$(code "${FIN[@]}" "$D/api/v1/items?department=court")" = 403 ] || fail "finance read the court's items"
[ "$(code "${FIN[@]}" "$A/api/v1/status")" = 401 ] || fail "a department token reached the admin API"

note "the court lists dishonest judgment debtors; finance and approval get items"
mkdir -p "$T/court/inbox"
cp "$F/court/sxbzxr-1.xml" "$T/court/inbox/"
wait_for 30 "court file stored" test -f "$T/court/done/sxbzxr-1.xml"
curl -s "${FIN[@]}" "$D/api/v1/items?state=pending" >"$T/finance.json"
curl -s -H 'Authorization: Bearer approval-token-0123456789' "$D/api/v1/items" >"$T/approval.json"
python3 - "$T/finance.json" "$T/approval.json" "$(records)" <<'PY' || fail "items: $(head -c 2000 "$T/finance.json")"
import datetime, json, sys
fin = json.load(open(sys.argv[1]))["items"]
app = json.load(open(sys.argv[2]))["items"]
stored = int(sys.argv[3])
assert stored > 0 and len(fin) == stored and len(app) == stored, (len(fin), len(app), stored)
today = datetime.date.today().isoformat()
for i in fin:
    assert i["kind"] == "dishonest_debtor" and i["status"] == "active" and i["state"] == "pending", i
    assert i["catalog"] == "510800-2026@3", i
    ids = [m["measure_id"] for m in i["measures"]]
    if i["subject"]["type"] == "legal_person":
        assert ids == ["P-FIN-01", "P-PPP-01"], i
    else:
        assert ids == ["P-FIN-01"], i
    assert all(m["basis"] and m["type"] == "punishment" for m in i["measures"]), i
    assert i["due_on"] is None or i["due_on"] > today, i
for i in app:
    assert [m["measure_id"] for m in i["measures"]] == ["P-LIC-01"], i
assert not {i["item_id"] for i in fin} & {i["item_id"] for i in app}
PY

note "every call is in the audit with the department and the token's name"
calls=$(sql "SELECT count(*) FROM audit WHERE action = 'department_api.call' AND actor = 'department:finance/cwj-system'")
[ "$calls" -ge 2 ] || fail "finance's calls audited: $calls"
stop_gateway
echo "e2e department_api: ok"
