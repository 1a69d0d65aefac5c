#!/usr/bin/env bash
# credit-gateway map: canonical records on stdout, quarantine to a file,
# a summary on stderr, broken files reported with their byte offset.
source "$(dirname "$0")/lib.sh"

cd "$SRC"
# A feed the mappings have not seen: one good company, one person with a bad check character.
"$BIN" map --mapping mappings/court/sxbzxr.json --quarantine "$T/q.jsonl" tests/fixtures/unseen/court.xml \
  >"$T/out.jsonl" 2>"$T/err.txt"
[ "$(wc -l <"$T/out.jsonl")" -eq 1 ] || fail "expected 1 record, got $(wc -l <"$T/out.jsonl")"
grep -q '"amount_fen":8800010' "$T/out.jsonl" || fail "money not converted exactly"
[ "$(wc -l <"$T/q.jsonl")" -eq 1 ] || fail "expected 1 quarantined"
grep -q '"field":"subject.id_number"' "$T/q.jsonl" || fail "quarantine names the wrong field"
grep -q '"line":4' "$T/q.jsonl" || fail "quarantine lacks the source line"
grep -q '510802198303027213' "$T/q.jsonl" || fail "the quarantine file keeps the raw record whole for replay"
grep -q 'map: 1 file(s), 1 record(s) mapped, 1 quarantined, 0 file(s) rejected' "$T/err.txt" || fail "summary: $(cat "$T/err.txt")"

# Without --quarantine the entries go to stderr, with personal ID numbers masked.
"$BIN" map --mapping mappings/court/sxbzxr.json tests/fixtures/unseen/court.xml >/dev/null 2>"$T/err2.txt"
grep -q '510802\*\*\*\*\*\*\*\*7213' "$T/err2.txt" || fail "ID not masked on stderr"
if grep -q '510802198303027213' "$T/err2.txt"; then fail "unmasked ID on stderr"; fi

# Broken and hostile files: exit 1, file and byte offset named, nothing on stdout.
for f in truncated-court.xml billion-laughs.xml wrong-encoding-court.xml; do
  set +e
  "$BIN" map --mapping mappings/court/sxbzxr.json "tests/fixtures/hostile/$f" >"$T/o" 2>"$T/e"
  rc=$?
  set -e
  [ $rc -eq 1 ] || fail "$f: exit $rc"
  [ ! -s "$T/o" ] || fail "$f: records were emitted from a broken file"
  grep -q "tests/fixtures/hostile/$f: error: .*byte [0-9]" "$T/e" || fail "$f: no byte offset: $(cat "$T/e")"
done

# Bad mapping: exit 2 with file:line.
sed 's/"kind": "dishonest_debtor"/"knd": "dishonest_debtor"/' mappings/court/sxbzxr.json >"$T/bad.json"
set +e
"$BIN" mapping lint "$T/bad.json" 2>"$T/lint.txt"
rc=$?
set -e
[ $rc -eq 1 ] || fail "lint exit $rc"
grep -q "$T/bad.json:[0-9]*: error: unknown key 'knd' in record; did you mean 'kind'?" "$T/lint.txt" || fail "lint: $(cat "$T/lint.txt")"
echo "cli_map: ok"
