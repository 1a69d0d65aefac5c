#!/usr/bin/env bash
# A backlog built while both platforms are down, then drained when they come
# back: N court records (files of 10,000, 10 % invalid) are stored while the
# two platform simulators refuse every connection; then both come back and
# the outbox drains. Reports the build and drain rates and the gateway's peak
# RSS during the drain, with the machine, build and commit.
#
#   bench/backlog.sh [N]      N records (default 500000)
set -euo pipefail
N=${1:-500000}
source "$(dirname "$0")/lib.sh" backlog
s=$(python3 "$SRC/tools/feedgen/feedgen.py" court --records "$N" --per-file 10000 --out "$T/gen" --seed 5 --start 0)
valid=$(echo "$s" | python3 -c 'import json,sys; print(json.load(sys.stdin)["valid"])')
echo "input: $N court records ($valid valid) in $(ls "$T/gen" | wc -l) files"
start_sims --hold digests
sim() { curl -s "http://127.0.0.1:$(cat "$T/$1.port")$2" "${@:3}"; }
for p in provincial city; do sim $p /sim/faults -X POST -d '{"down": true}' >/dev/null; done
mkdir -p "$T/court/inbox"
install_plugins "$B/plugins/libcg_adapter_court.so"
retry='"retry_min_ms": 200, "retry_max_ms": 2000, "circuit_open_ms": 1000'
write_gateway_config '"destinations": {'"$(destination provincial "$retry"), $(destination city "$retry")"'},
 "adapters": {"court-file-drop": {"inbox": "'"$T"'/court/inbox", "done": "'"$T"'/court/done", "settle_ms": 100}}'
"$BIN" run --config "$T/gw.json" 2>"$T/gateway.log" &
GW=$!
PIDS+=($GW)
for _ in $(seq 200); do grep -q '"msg":"plugin running"' "$T/gateway.log" 2>/dev/null && break; sleep 0.05; done
start=$(date +%s.%N)
mv "$T"/gen/*.xml "$T/court/inbox/"
files=$(ls "$T/court/inbox" | wc -l)
wal_peak=0  # the write-ahead log's file, sampled: it must start over under a sustained load
while [ "$(ls "$T/court/done" 2>/dev/null | wc -l)" -lt "$files" ]; do
  w=$(stat -c %s "$T/data/gateway.db-wal" 2>/dev/null || echo 0); [ "$w" -gt "$wal_peak" ] && wal_peak=$w
  sleep 0.5
done
built=$(date +%s.%N)
rss_built=$(awk '/VmRSS/{print $2}' "/proc/$GW/status")
pending=$(sqlite3 "$T/data/gateway.db" "SELECT count(*) FROM outbox")
for p in provincial city; do sim $p /sim/faults -X POST -d '{"down": false}' >/dev/null; done
back=$(date +%s.%N)
peak=0
held() { sim "$1" /sim/stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["records_held"])'; }
stored=$(sqlite3 "$T/data/gateway.db" "SELECT count(*) FROM records")
[ "$stored" -eq "$valid" ] || echo "note: the store holds $stored records, the feeds $valid valid ones"
last="" since=$(date +%s)
while true; do
  r=$(awk '/VmRSS/{print $2}' "/proc/$GW/status"); [ "$r" -gt "$peak" ] && peak=$r
  p=$(held provincial) c=$(held city)
  [ "$p" -ge "$stored" ] && [ "$c" -ge "$stored" ] && break
  if [ "$p $c" != "$last" ]; then last="$p $c" since=$(date +%s)
  elif [ $(( $(date +%s) - since )) -gt 60 ]; then echo "stalled: the platforms hold $p and $c of $stored"; exit 1; fi
  sleep 1
done
drained=$(date +%s.%N)
hwm=$(awk '/VmHWM/{print $2}' "/proc/$GW/status")  # the kernel's peak RSS of the gateway over the whole run
python3 - "$start" "$built" "$back" "$drained" "$stored" "$pending" "$rss_built" "$peak" "$hwm" \
  "$(stat -c %s "$T/data/gateway.db")" "$wal_peak" <<'PY'
import sys
start, built, back, drained = map(float, sys.argv[1:5])
valid, pending, rss_built, peak, hwm = map(int, sys.argv[5:10])
print("backlog: %d records stored in %.1f s (%.0f records/s) while both platforms were down; %d outbox entries"
      % (valid, built - start, valid / (built - start), pending))
print("drain: both platforms hold all %d records %.1f s after coming back (%.0f records/s per platform)"
      % (valid, drained - back, valid / (drained - back)))
print("store: %.1f GiB; largest write-ahead log seen while building %d MiB" % (int(sys.argv[10]) / 2**30, int(sys.argv[11]) // 2**20))
print("gateway RSS: %d MiB when the backlog was built; peak %d MiB during the drain (sampled each second); "
      "peak over the whole run %d MiB (VmHWM)" % (rss_built // 1024, peak // 1024, hwm // 1024))
verdict = "met" if hwm * 1024 < 300e6 else "NOT met"
if valid < 4500000:  # 5 M records generated, 10 % of them invalid
    verdict += " at this size; the target's backlog is 5 M records (bench/backlog.sh 5000000)"
print("target, a backlog of 5 M records drains with peak RSS < 300 MB: %d records, peak %.0f MB (%d MiB), %s"
      % (valid, hwm * 1024 / 1e6, hwm // 1024, verdict))
PY
