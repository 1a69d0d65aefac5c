#!/usr/bin/env bash
# 专用信用报告 through a running gateway fed the wave-2 market regulation and
# court files (with the statistics' Excel workbook and the monthly report): a department asks for one over its API and downloads the
# PDF; its text (pdftotext) names the subject, the window, the code and
# every domain; the code verifies without a token, with the SHA-256 of the
# PDF as downloaded and not that of a changed copy; an expired code is
# answered as expired, an unknown one as unknown; an address that verifies
# too often gets 429; another department cannot fetch the report; the
# command line and the admin API make and list reports; making and
# verifying are audited.
source "$(dirname "$0")/lib.sh"
W=$SRC/tests/fixtures/wave2

start_sim provincial
start_sim city
destinations_json
JOBS='{"sync": {"cron": "off"}}' DEPARTMENT_API_EXTRA=', "verify_per_minute": 6, "report_issuer": "广元市公共信用信息中心"' \
  write_config
printf 'operator bob %s\nviewer eve %s\n' operator-token-0123456789 viewer-token-01234567890 >"$T/admin.tokens"
printf 'finance cwj-system %s\napproval spj-system %s\n' finance-token-0123456789 approval-token-0123456789 \
  >"$T/department.tokens"
chmod 600 "$T/admin.tokens" "$T/department.tokens"
for p in court market_regulation; do install_plugin "$BUILD/plugins/libcg_adapter_$p.so"; done
start_gateway
wait_for 20 "two plugins running" ge 2 log_count '"msg":"plugin running"'
wait_for 10 "department API port" test -s "$T/data/run/department_api.port"
D=http://127.0.0.1:$(cat "$T/data/run/department_api.port")
A=http://127.0.0.1:$(cat "$T/data/run/admin.port")
FIN=(-H "Authorization: Bearer finance-token-0123456789")
APR=(-H "Authorization: Bearer approval-token-0123456789")
OPS=(-H "Authorization: Bearer operator-token-0123456789")
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

for f in market_regulation/sgs-2.xml court/sxbzxr-2.xml; do deliver_wave2 "$f"; done
# The company with the most active penalties, and one of its documents.
USCC=$(sql "SELECT subject_uscc FROM records WHERE kind = 'admin_penalty' AND status = 'active' AND subject_uscc IS NOT NULL GROUP BY subject_uscc ORDER BY count(*) DESC, subject_uscc LIMIT 1")
[ -n "$USCC" ] || fail "no company with a penalty was stored"

note "a department asks for a report and downloads its PDF"
curl -s "${FIN[@]}" -H 'Content-Type: application/json' -X POST "$D/api/v1/reports" \
  --data "{\"uscc\": \"$USCC\", \"years\": 3, \"purpose\": \"政府采购资格审查\"}" >"$T/made.json"
CODE=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["code"])' "$T/made.json") ||
  fail "no report made: $(cat "$T/made.json")"
curl -s -f "${FIN[@]}" "$D/api/v1/reports/$CODE.pdf" -o "$T/report.pdf" || fail "the PDF could not be fetched"
[ "$(code "${APR[@]}" "$D/api/v1/reports/$CODE.pdf")" = 404 ] || fail "another department fetched the report"
mkdir -p "$BUILD/test-artifacts" && cp "$T/report.pdf" "$BUILD/test-artifacts/credit-report.pdf"  # for a reader
pdftotext "$T/report.pdf" - | tr -d ' \n' >"$T/report.txt"
python3 - "$T/report.txt" "$T/made.json" "$CODE" <<'PY' || fail "the PDF does not say what it must: $(head -c 1500 "$T/report.txt")"
import json, sys
text, made, code = open(sys.argv[1]).read(), json.load(open(sys.argv[2])), sys.argv[3]
for want in ("专用信用报告", made["subject"]["uscc"], made["subject"]["name"], code, "近三年",
             made["window"]["from"] + "至" + made["window"]["to"], made["expires_on"], "广元市公共信用信息中心",
             "法院", "税务", "市场监管", "政府采购", "财政局", "行政审批局", "无违法违规记录", "第1页共"):
    assert want in text, want
assert made["years"] == 3 and made["pdf"].endswith(code + ".pdf"), made
PY
# Each penalty of the subject in the window, as stored, is in the text.
FROM_DAY=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["window"]["from"])' "$T/made.json")
sql "SELECT json_extract(v.body, '$.decision.document_number') FROM records r JOIN record_versions v ON v.rid = r.rid AND v.version = r.version WHERE r.subject_uscc = '$USCC' AND r.kind = 'admin_penalty' AND r.status = 'active' AND json_extract(v.body, '$.decision.decided_on') >= '$FROM_DAY'" >"$T/penalties.txt"
[ -s "$T/penalties.txt" ] || fail "the subject has no penalty in the window to look for"
while read -r doc; do
  grep -qF "$(echo "$doc" | tr -d ' ')" "$T/report.txt" || fail "penalty $doc is not in the report"
done <"$T/penalties.txt"
echo "   $(wc -l <"$T/penalties.txt") penalties of $USCC found in the PDF"

note "the code verifies without a token; the digest is the PDF's, not a changed copy's"
curl -s "$D/verify/$(echo "$CODE" | tr 'A-Z' 'a-z')" >"$T/verify.json"
python3 - "$T/verify.json" "$USCC" "$(sha256sum "$T/report.pdf" | cut -c1-64)" <<'PY' || fail "verification: $(cat "$T/verify.json")"
import json, sys
v = json.load(open(sys.argv[1]))
assert v["genuine"] is True and v["state"] == "valid", v
assert v["subject"]["uscc"] == sys.argv[2] and v["sha256"] == sys.argv[3], v
PY
cp "$T/report.pdf" "$T/changed.pdf"
printf '%% changed\n' >>"$T/changed.pdf"
[ "$(sha256sum "$T/changed.pdf" | cut -c1-64)" != "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sha256"])' "$T/verify.json")" ] ||
  fail "a changed PDF has the digest of the report"

note "expired and unknown codes"
sql "UPDATE credit_reports SET expires_on = '2026-01-31' WHERE code = '$CODE'"
curl -s "$D/verify/$CODE" | grep -q '"state":"expired"' || fail "an expired code was not answered as expired"
[ "$(code "$D/verify/ABCD-EFGH-JKMN-PQRS")" = 404 ] || fail "an unknown code was not answered 404"
for _ in 1 2 3 4; do code "$D/verify/$CODE" >/dev/null; done
[ "$(code "$D/verify/$CODE")" = 429 ] || fail "the seventh verification in a minute was not refused"
curl -s -D - -o /dev/null "$D/verify/$CODE" | grep -qi '^retry-after:' || fail "429 without Retry-After"

note "the command line and the admin API"
"$BIN" report credit --config "$T/gw.json" --uscc "$USCC" --years 1 --purpose 复核 --out "$T/cli.pdf" \
  2>"$T/cli.err" || fail "report credit: $(cat "$T/cli.err")"
pdftotext "$T/cli.pdf" - | tr -d ' \n' | grep -q "近一年" || fail "the CLI's PDF is not a one-year report"
curl -s "${OPS[@]}" -H 'Content-Type: application/json' -X POST "$A/api/v1/reports/credit" \
  --data "{\"uscc\": \"$USCC\", \"purpose\": \"抽查\"}" | grep -q '"code"' || fail "the admin API made no report"
curl -s "${OPS[@]}" "$A/api/v1/reports/credit?uscc=$USCC" >"$T/list.json"
python3 -c 'import json,sys; r = json.load(open(sys.argv[1]))["reports"]; assert len(r) == 3, r; assert {x["department"] for x in r} == {"finance", "operator"}, r' \
  "$T/list.json" || fail "the admin API lists: $(cat "$T/list.json")"
[ "$(code -H "Authorization: Bearer viewer-token-01234567890" -X POST "$A/api/v1/reports/credit" --data '{}')" = 403 ] ||
  fail "a viewer made a report"

note "the statistics as an Excel workbook, and the month's report as a PDF"
curl -s -f "${OPS[@]}" "$A/api/v1/statistics?period=month&by=department&format=xlsx" -o "$T/stats.xlsx" ||
  fail "no workbook"
curl -s -f "${OPS[@]}" "$A/api/v1/statistics?period=month&by=department&format=csv" -o "$T/stats.csv" || fail "no CSV"
/usr/bin/python3 - "$T/stats.xlsx" "$T/stats.csv" <<'PY' || fail "the workbook does not hold the statistics"
import csv, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
names = wb.sheetnames
for want in ("数据归集", "平台报送", "信用核查", "信用报告"):
    assert want in names, names
rows = {}
for ws in wb.worksheets:
    head = [c.value for c in ws[1]]
    assert head == ["期间", "部门", "部门代码", "类别", "目标平台", "指标", "指标代码", "数量"], head
    for r in ws.iter_rows(min_row=2, values_only=True):
        rows[(r[0], r[2] or "", r[6])] = r[7]
        assert isinstance(r[7], int), r
want = {(r["period"], r["department"], r["figure"]): int(r["n"]) for r in csv.DictReader(open(sys.argv[2], newline=""))}
assert rows == want, (sorted(set(rows.items()) ^ set(want.items())))[:10]
received = [r for r in wb["数据归集"].iter_rows(min_row=2, values_only=True) if r[6] == "received" and r[2] == "market_regulation"]
assert received and received[0][1] == "市场监管" and received[0][5] == "归集记录", received
made = [r for r in wb["信用报告"].iter_rows(min_row=2, values_only=True) if r[6] == "reports_made"]
assert sum(r[7] for r in made) == 3, made
PY
"$BIN" report statistics --config "$T/gw.json" --period year --out "$T/cli.xlsx" 2>"$T/cli.err" ||
  fail "statistics to xlsx: $(cat "$T/cli.err")"
/usr/bin/python3 -c 'import openpyxl,sys; assert "数据归集" in openpyxl.load_workbook(sys.argv[1]).sheetnames' "$T/cli.xlsx" ||
  fail "the CLI's workbook"
MONTH=$(TZ=Asia/Shanghai date +%Y-%m)
curl -s -f "${OPS[@]}" "$A/api/v1/reports/monthly?month=$MONTH" -o "$T/monthly.pdf" || fail "no monthly report"
cp "$T/monthly.pdf" "$BUILD/test-artifacts/monthly-report.pdf"
RECEIVED=$(python3 -c 'import csv,sys; print(sum(int(r["n"]) for r in csv.DictReader(open(sys.argv[1])) if r["figure"] == "received" and r["department"] == "market_regulation" and r["period"] == sys.argv[2]))' "$T/stats.csv" "$MONTH")
pdftotext -layout "$T/monthly.pdf" - >"$T/monthly.txt"
grep -q "社会信用信息归集共享月度报告" "$T/monthly.txt" || fail "the monthly report's title"
grep "市场监管" "$T/monthly.txt" | grep -q "$RECEIVED" || fail "the month's figure for 市场监管 ($RECEIVED received): $(grep 市场监管 "$T/monthly.txt")"
[ "$(code "${OPS[@]}" "$A/api/v1/reports/monthly?month=2026-13")" = 400 ] || fail "a bad month was not refused"
"$BIN" report monthly --config "$T/gw.json" --month "$MONTH" --department court --out "$T/court.pdf" 2>"$T/cli.err" ||
  fail "report monthly: $(cat "$T/cli.err")"
pdftotext "$T/court.pdf" - | grep -q "法院" || fail "the court's monthly report"

note "making and verifying are audited"
[ "$(sql "SELECT count(*) FROM audit WHERE action = 'report.made'")" = 3 ] || fail "reports made are not audited"
[ "$(sql "SELECT count(*) FROM audit WHERE action = 'report.verified'")" -ge 6 ] || fail "verifications are not audited"
stop_gateway
echo "e2e credit_report: ok"
