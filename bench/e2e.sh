#!/usr/bin/env bash
# End-to-end benchmark: N records in each department's native format (10 %
# invalid), through the real gateway (Release build, SQLite, durable commits)
# to two platform simulators over loopback. Reports throughput, delivery
# latency (store to platform answer, from the gateway's histogram), CPU
# seconds and peak RSS of the gateway, with the machine, build and commit.
#
#   bench/e2e.sh [N]        N records per department (default 20000)
#
# The store's page cache is 128 MiB here (CACHE_MB=N to change it), the
# setting docs/operations.md recommends for throughput once the store holds
# more than a few hundred thousand records; the gateway's default (32 MiB)
# is the memory-bounded one that bench/backlog.sh runs with. SYNC=normal
# measures what the durable commits cost (store.synchronous "normal": not
# durable across a power loss; the figures of docs/performance.md are FULL).
# TRACE=1 prints, four times a second, the records stored and the records at
# each platform (on stderr). CONC=N gives each destination N delivery lanes
# (its "concurrency"; default 2). GW_PRELOAD=/path/lib.so runs the gateway with
# that library preloaded (another malloc: docs/performance.md).
set -euo pipefail
N=${1:-20000}
export CACHE_MB=${CACHE_MB:-128}
source "$(dirname "$0")/lib.sh" bench
gen() { python3 "$SRC/tools/feedgen/feedgen.py" "$@"; }
per_file=1000
total_valid=0
for d in court tax market_regulation procurement; do
  s=$(gen "$d" --records "$N" --per-file "$per_file" --out "$T/gen/$d" --seed 7 --start 0)
  total_valid=$((total_valid + $(echo "$s" | python3 -c 'import json,sys; print(json.load(sys.stdin)["valid"])')))
done
bytes=$(du -sb "$T/gen" | cut -f1)
echo "input: $((4 * N)) records ($total_valid valid), $((bytes / 1024 / 1024)) MiB in native formats"
echo "store: SQLite, synchronous=${SYNC:-full}, page cache $CACHE_MB MiB"

start_sims --hold digests  # versions and digests, not bodies: the harness only counts
(cd "$T/gen/tax" && exec python3 -m http.server 0 --bind 127.0.0.1) >"$T/tax.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do grep -q 'port [0-9]' "$T/tax.log" && break; sleep 0.1; done
TAX=$(grep -o 'port [0-9]*' "$T/tax.log" | awk 'NR==1{print $2}')
mkdir -p "$T/court/inbox"
install_plugins "$B"/plugins/libcg_adapter_*.so
write_gateway_config '"destinations": {'"$(destination provincial "\"linger_ms\": 20${CONC:+, \"concurrency\": $CONC}"), $(destination city "\"linger_ms\": 20${CONC:+, \"concurrency\": $CONC}")"'},
 "adapters": {
   "court-file-drop": {"inbox": "'"$T"'/court/inbox", "done": "'"$T"'/court/done", "settle_ms": 50},
   "tax-api-poll": {"url": "http://127.0.0.1:'"$TAX"'/page-{page}.json", "interval_ms": 3600000},
   "market-regulation-zmq": {"endpoint": "ipc://'"$T"'/mr.sock"},
   "procurement-http": {"listen": "127.0.0.1:0", "feedback_url": "http://127.0.0.1:1/feedback", "port_file": "'"$T"'/proc.port", "max_body_bytes": 67108864}}' \
  '"max_inflight": 8'
start=$(date +%s.%N)
stolen0=$(stolen_seconds)
cpu0=$(head -1 /proc/stat)
LD_PRELOAD=${GW_PRELOAD:-} /usr/bin/time -v "$BIN" run --config "$T/gw.json" 2>"$T/gateway.log" &
GW=$!
PIDS+=($GW)
wait_ready "$GW" "$T/proc.port" "$T/mr.sock" "$T/data/run/admin.port"
ready=$(date +%s.%N)
cp "$T"/gen/court/*.xml "$T/court/inbox/"
"$BIN" send --endpoint "ipc://$T/mr.sock" "$T"/gen/market_regulation/*.xml >/dev/null &
# The procurement system's client: as many posts in flight as the gateway
# takes (max_inflight), each waiting for its answer; a 503 "busy" would be
# retried after its Retry-After, as the adapter's answer asks. (Posting every
# file at once measured curl's retry sleeps, a second each, not the gateway.)
printf '%s\0' "$T"/gen/procurement/*.json |
  xargs -0 -P 8 -I{} curl -sf --retry 100 --retry-max-time 600 -o /dev/null -X POST --data-binary @{} \
    "http://127.0.0.1:$(cat "$T/proc.port")/ingest" &
# One watcher process polls the simulators and the gateway's metrics (no
# process spawned per poll: the harness must not eat the CPU it measures).
read -r ingested end < <(python3 - "$T" "$total_valid" <<'PY'
import json, os, re, sys, time, urllib.request
t, n = sys.argv[1], int(sys.argv[2])
trace, t0 = os.environ.get("TRACE"), time.time()
port = lambda f: open(f"{t}/{f}").read().strip()
def get(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode()
ingested = None
last, since = None, time.time()
while True:
    held = [json.loads(get(f"http://127.0.0.1:{port(p + '.port')}/sim/stats"))["records_held"] for p in ("provincial", "city")]
    if held != last:
        last, since = held, time.time()
    elif time.time() - since > 60:  # no progress for a minute: say so rather than wait forever
        print(f"stalled: the platforms hold {held} of {n} valid records", file=sys.stderr)
        sys.exit(1)
    if ingested is None or trace:
        m = get(f"http://127.0.0.1:{port('data/run/admin.port')}/metrics")
        stored = sum(int(v) for v in re.findall(r"^cg_records_in_total\{[^}]*\} (\d+)", m, re.M))
        if ingested is None and stored >= n:
            ingested = time.time()
        if trace:  # TRACE=1: the run as it goes, on stderr
            print(f"{time.time() - t0:6.2f} s: stored {stored}, at the platforms {held}", file=sys.stderr)
    if min(held) >= n:
        end = time.time()
        print(f"{ingested or end:.3f} {end:.3f}")
        break
    time.sleep(0.25)  # each poll of /metrics costs the gateway a few ms of CPU
PY
)
sims_cpu=$(cpu_seconds "${SIMS[@]}")
stolen=$(awk -v a="$stolen0" -v b="$(stolen_seconds)" 'BEGIN{printf "%.2f", b - a}')
machine=$(cpu_split "$cpu0" "$(head -1 /proc/stat)")
threads=$(thread_cpu "$(pgrep -P $GW)")
ADMIN=$(cat "$T/data/run/admin.port")
curl -s "http://127.0.0.1:$ADMIN/metrics" >"$T/metrics.txt"
# SIGTERM the gateway itself (the child of /usr/bin/time), so that time(1)
# sees it exit and prints its report.
kill -TERM "$(pgrep -P $GW)"
wait $GW || true
# The machine's floor, measured now, on the same machine: parse-only speed of
# the feed formats, SQLite with the store's write pattern, loopback HTTP.
echo "measuring the floor (bench/micro_bench) ..."
"$B/bench/micro_bench" --benchmark_filter='Floor|BM_Map|StoreIngest' --benchmark_min_time=1 \
  --benchmark_format=json >"$T/floor.json" 2>/dev/null
python3 - "$T/metrics.txt" "$T/gateway.log" "$start" "$end" "$total_valid" "$ready" "${ingested:-$end}" "$T/floor.json" "$sims_cpu" "$threads" "$stolen" "$machine" <<'PY'
import json, re, sys
metrics, log, start, end, n = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
ready, ingested = float(sys.argv[6]), float(sys.argv[7])
bench = {b["name"]: b for b in json.load(open(sys.argv[8]))["benchmarks"]}
def rate(name):
    b = next((v for k, v in bench.items() if k.startswith(name)), None)
    return b.get("records/s", 0) if b else 0
print("startup: gateway and its 4 plugins ready (listening) %.2f s after start" % (ready - start))
el = end - ready
print("stored: all %d valid records committed %.2f s after the feeds were offered = %.0f records/s" % (n, ingested - ready, n / max(ingested - ready, 1e-3)))
print("end to end: %d valid records at both platforms in %.2f s = %.0f records/s" % (n, el, n / el))
for dest in ("provincial", "city"):
    b = [(float("inf") if m.group(1) == "+Inf" else float(m.group(1)), int(m.group(2)))
         for m in re.finditer(r'cg_delivery_latency_seconds_bucket\{destination="%s",le="([^"]+)"\} (\d+)' % dest, open(metrics).read())]
    total = b[-1][1]
    def q(p):
        for le, c in b:
            if c >= p * total:
                return le
    text_m = open(metrics).read()
    total_s = float(re.search(r'cg_delivery_latency_seconds_sum\{destination="%s"\} ([\d.e+-]+)' % dest, text_m).group(1))
    print("%s: latency arrival->platform's answer p50 <= %s s, p99 <= %s s (histogram buckets), mean %.2f s"
          % (dest, q(0.5), q(0.99), total_s / max(total, 1)))
text = open(log).read()
cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", text))
rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
print("gateway: %.1f CPU s (its plugin hosts included) = %.0f us per record; peak RSS of one process %d MiB"
      % (cpu, cpu * 1e6 / n, int(rss.group(1)) / 1024 if rss else -1))
sims = float(sys.argv[9])
print("platform simulators (both, on the same machine): %.1f CPU s = %.0f us per record each" % (sims, sims * 1e6 / n / 2))
import os
print("stolen by the hypervisor during the run: %s CPU s of %.1f (%d CPUs x the run's wall time)"
      % (sys.argv[11], os.cpu_count() * (end - start), os.cpu_count()))
print("the machine during the run (/proc/stat): " + sys.argv[12])
print("gateway CPU by thread and plugin host, us per record: " + ", ".join(
    "%s %.1f" % (name, float(sec) * 1e6 / n) for name, sec in (t.rsplit("=", 1) for t in sys.argv[10].split())))
e2e = n / el
print("")
print("| stage | this gateway | floor on this machine, same run | ratio |")
print("|---|---|---|---|")
for label, mine, floor, fl in [
        ("mapping, court GB18030 XML", "BM_MapCourt", "BM_FloorPugixml", "pugixml parse only"),
        ("mapping, market regulation XML", "BM_MapMarket", "BM_FloorPugixml", "pugixml parse only"),
        ("mapping, tax JSON", "BM_MapTax", "BM_FloorSimdjson", "simdjson parse only"),
        ("mapping, procurement JSON", "BM_MapProcurement", "BM_FloorSimdjson", "simdjson parse only"),
        ("store, 1,000 records per transaction", "BM_StoreIngest", "BM_FloorSqlite", "SQLite, same rows and sizes")]:
    a, b = rate(mine), rate(floor)
    print("| %s | %.0f records/s | %s: %.0f records/s | %.0f %% |" % (label, a, fl, b, 100 * a / b if b else 0))
http = rate("BM_FloorLoopbackHttp")
floor_e2e = min(rate("BM_FloorSimdjson"), rate("BM_FloorPugixml"), rate("BM_FloorSqlite"), http / 2)
print("| end to end, 4 formats, 2 destinations | %.0f records/s | slowest stage floor (parse, SQLite, HTTP/2): %.0f records/s | %.0f %% |"
      % (e2e, floor_e2e, 100 * e2e / floor_e2e if floor_e2e else 0))
print("")
# Issue 7's targets that this run measures (steady.sh, backlog.sh and
# large_file.sh report theirs).
verdict = lambda ok: "met" if ok else "NOT met"
print("target, end to end >= 50,000 records/s: %.0f records/s, %s" % (e2e, verdict(e2e >= 50000)))
for label, names in (("XML", ("BM_MapCourt", "BM_MapMarket")), ("JSON", ("BM_MapTax", "BM_MapProcurement"))):
    slowest = min(rate(x) for x in names)
    print("target, mapping %s >= 150,000 records/s per core: slowest format %.0f records/s on one thread, %s"
          % (label, slowest, verdict(slowest >= 150000)))
print("target, start with plugins loaded < 1 s: %.2f s, %s" % (ready - start, verdict(ready - start < 1)))
PY
