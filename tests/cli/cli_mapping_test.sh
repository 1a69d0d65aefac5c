#!/usr/bin/env bash
# credit-gateway mapping test: passes on the shipped golden cases, and fails
# loudly, with a diff, when a golden case is changed.
source "$(dirname "$0")/lib.sh"

cd "$SRC"
"$BIN" mapping test mappings >"$T/ok.txt" || { cat "$T/ok.txt"; fail "shipped golden cases fail"; }
grep -q 'mapping test: 16 case(s) passed, 0 failed' "$T/ok.txt" || fail "$(cat "$T/ok.txt")"

cp -r mappings "$T/mappings"
mkdir -p "$T/config" && cp -r config/code-tables "$T/config/"
# Change one expected value: 364031300 fen becomes 364031301.
sed -i 's/"amount_fen":364031300/"amount_fen":364031301/' "$T/mappings/court/sxbzxr.tests/sample-1/expected.jsonl"
set +e
(cd "$T" && "$BIN" mapping test mappings) >"$T/bad.txt"
rc=$?
set -e
[ $rc -ne 0 ] || fail "a changed golden case passed"
grep -q 'FAIL mappings/court/sxbzxr.json \[sample-1\]' "$T/bad.txt" || fail "no FAIL line: $(cat "$T/bad.txt")"
grep -q '/detail/amount_fen: expected 364031301, got 364031300' "$T/bad.txt" || fail "no diff: $(cat "$T/bad.txt")"
echo "cli_mapping_test: ok"
