#!/usr/bin/env bash
# One large court feed file (default 2 GiB, GB18030 XML, 10 % invalid records)
# dropped into the court inbox of the real gateway (Release build, SQLite,
# durable commits, no destinations: this measures the file's way in). The file
# is never read whole: the adapter sends it in parts cut on record boundaries.
# Reports time, records/s and the peak RSS (VmHWM) of the gateway and of the
# court plugin host, with the machine, build and commit.
#
#   bench/large_file.sh [SIZE_MB] [PART_BYTES]     defaults: 2048, 4194304
set -euo pipefail
SIZE_MB=${1:-2048}
PART=${2:-4194304}
source "$(dirname "$0")/lib.sh" large
# Chunks of 100,000 records (about 48 MB) stitched into one document.
per=100000
chunks=$(( (SIZE_MB * 1024 * 1024 + 48 * 1024 * 1024 - 1) / (48 * 1024 * 1024) ))
mkdir -p "$T/gen" "$T/court/inbox"
valid=0
for i in $(seq 0 $((chunks - 1))); do
  s=$(python3 "$SRC/tools/feedgen/feedgen.py" court --records $per --per-file $per --out "$T/gen/$i" --seed $((100 + i)) --start $((i * per)))
  valid=$((valid + $(echo "$s" | python3 -c 'import json,sys; print(json.load(sys.stdin)["valid"])')))
done
{
  head -n 2 "$T/gen/0/court-000001.xml"
  for i in $(seq 0 $((chunks - 1))); do sed '1,2d;$d' "$T/gen/$i/court-000001.xml"; rm -rf "$T/gen/$i"; done
  echo '</SXBZXR_FEED>'
} >"$T/big.xml.part"
size=$(stat -c %s "$T/big.xml.part")
echo "input: one file of $((size / 1024 / 1024)) MiB, $((chunks * per)) records ($valid valid); parts of $PART bytes"

install_plugins "$B/plugins/libcg_adapter_court.so"
write_gateway_config '"adapters": {"court-file-drop": {"inbox": "'"$T"'/court/inbox", "done": "'"$T"'/court/done",
   "settle_ms": 200, "split_over_bytes": '"$PART"', "part_bytes": '"$PART"'}}'
"$BIN" run --config "$T/gw.json" 2>"$T/gateway.log" &
GW=$!
PIDS+=($GW)
for _ in $(seq 200); do grep -q '"msg":"plugin running"' "$T/gateway.log" 2>/dev/null && break; sleep 0.05; done
HOST=$(pgrep -P "$GW" -f plugin-host | head -1)
start=$(date +%s.%N)
mv "$T/big.xml.part" "$T/court/inbox/big.xml"
peak_gw=0 peak_host=0
hwm() { awk '/VmHWM/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
while [ ! -e "$T/court/done/big.xml" ]; do
  sleep 1
  kill -0 "$GW" 2>/dev/null || { echo "the gateway stopped"; tail -5 "$T/gateway.log"; exit 1; }
done
end=$(date +%s.%N)
peak_gw=$(hwm "$GW")
peak_host=$(hwm "$HOST")
parts=$(grep -o 'taken in [0-9]* parts' "$T/gateway.log" | grep -o '[0-9]*' | head -1 || true)
kill -TERM "$GW"
wait "$GW" || true
GW=""
stored=$(sqlite3 "$T/data/gateway.db" "SELECT count(*) FROM records")
python3 - "$start" "$end" "$size" "$stored" "$valid" "$parts" "$peak_gw" "$peak_host" <<'PY'
import sys
start, end, size, stored, valid, parts, gw, host = sys.argv[1:]
el = float(end) - float(start)
print("file taken in %s parts in %.1f s: %.1f MB/s, %.0f records/s; %s records stored (%s valid in the file; records with the same key are one record)"
      % (parts, el, int(size) / el / 1e6, int(stored) / el, stored, valid))
print("peak RSS (VmHWM): gateway %d MiB, court plugin host %d MiB" % (int(gw) // 1024, int(host) // 1024))
# The target's file is 2 GB: held whole, it alone would be more than the
# gateway and its plugin host use together (their page cache and queues are
# set by the configuration, whatever the file's size).
peak = (int(gw) + int(host)) * 1024
verdict = ("met" if peak < int(size) / 2 else "NOT met") if int(size) >= 2**30 else "not measured (run it with 2048)"
print("target, a 2 GB file with memory bounded by configuration: gateway and plugin host together peak at %d MiB "
      "for a file of %d MiB, %s" % (peak // 2**20, int(size) // 2**20, verdict))
PY
