#!/usr/bin/env bash
# The store defends itself when the gateway starts: an empty file is not
# remade as a new store, a corrupt one is refused, and `store check` says so.
source "$(dirname "$0")/lib.sh"

write_config
mkdir -p "$T/data"
: >"$T/data/gateway.db"
note "a 0-byte store file stops the start with what to do"
"$BIN" run --config "$T/gw.json" >"$T/start.log" 2>&1 && fail "the gateway started over an empty store file"
grep -q 'store_empty' "$T/start.log" || fail "no store_empty: $(tail -3 "$T/start.log")"
grep -q 'store init' "$T/start.log" || fail "the refusal does not say what to do"
[ ! -s "$T/data/gateway.db" ] || fail "the empty file was written to"

note "store init makes it a store; the gateway then starts"
"$BIN" store init --config "$T/gw.json" >"$T/init.out" 2>&1 || fail "store init: $(cat "$T/init.out")"
[ "$(stat -c %a "$T/data/gateway.db")" = 600 ] || fail "the store is mode $(stat -c %a "$T/data/gateway.db")"
start_gateway
gen court --records 300 --per-file 300 --out "$T/gen" --seed 5 >/dev/null
mkdir -p "$T/court/inbox"
install_plugin "$BUILD/plugins/libcg_adapter_court.so"
cp "$T"/gen/*.xml "$T/court/inbox/.c.part" && mv "$T/court/inbox/.c.part" "$T/court/inbox/c.xml"
wait_for 30 "the court file stored" eq 1 files_in "$T/court/done"
stop_gateway
"$BIN" store check --config "$T/gw.json" >"$T/check.out" 2>&1 || fail "store check on a sound store: $(cat "$T/check.out")"

note "a corrupt store is refused at start and by store check"
size=$(stat -c %s "$T/data/gateway.db")
python3 - "$T/data/gateway.db" <<'PY'
import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(0, 2); size = f.tell()
    f.seek(8192); f.write(bytes((i * 131) % 251 for i in range(8192, size)))
PY
"$BIN" store check --config "$T/gw.json" >"$T/check.out" 2>&1 && fail "store check passed a corrupt store"
grep -q store_corrupt "$T/check.out" || fail "store check: $(cat "$T/check.out")"
"$BIN" run --config "$T/gw.json" >"$T/start2.log" 2>&1 && fail "the gateway started on a corrupt store"
grep -q store_corrupt "$T/start2.log" || fail "no store_corrupt at start: $(tail -3 "$T/start2.log")"
echo "e2e store_defence: ok"
