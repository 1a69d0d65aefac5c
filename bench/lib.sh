# Shared by the benchmark scripts: the Release build, a run folder cleaned up
# at exit (KEEP=1 keeps it), processes stopped at exit, the machine line.
#   source "$(dirname "$0")/lib.sh" NAME    (after set -euo pipefail)
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
B=$SRC/build-release
cmake -S "$SRC" -B "$B" -DCMAKE_BUILD_TYPE=Release -DCG_BUILD_TESTS=OFF -DCG_BUILD_BENCH=ON >/dev/null
cmake --build "$B" -j"$(nproc)" >/dev/null
BIN=$B/core/credit-gateway
T=$(mktemp -d "/tmp/cg-${1:-bench}-XXXXXX")
PIDS=()  # stopped at exit, with their children (a gateway under /usr/bin/time)
SIMS=()  # the platform simulators' pids (start_sims)
bench_cleanup() {
  for p in "${PIDS[@]}"; do pkill -TERM -P "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${KEEP:-0}" != 0 ]; then echo "kept: $T"; else rm -rf "$T"; fi
}
trap bench_cleanup EXIT
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(uname -r); build: Release; commit: $(git -C "$SRC" rev-parse --short HEAD)"

# start_sims [ARGS...]: the two platform simulators ("provincial", "city") on
# free ports, sharing a fresh secret in $T/secret; waits for their port files.
start_sims() {
  head -c 32 /dev/urandom | sha256sum | cut -c1-48 >"$T/secret"
  chmod 600 "$T/secret"  # the gateway uses no secret file that others can read
  for p in provincial city; do
    "$B/tools/platform-sim" --name $p --app-id bench --secret-file "$T/secret" --listen 127.0.0.1:0 \
      --port-file "$T/$p.port" "$@" >/dev/null 2>&1 &
    PIDS+=($!)
    SIMS+=($!)
  done
  for _ in $(seq 50); do [ -s "$T/provincial.port" ] && [ -s "$T/city.port" ] && break; sleep 0.1; done
}

# install_plugins SO...: plugin files (connectors/ for the platform connector)
# into $T/plugins with their allowlist.
install_plugins() {
  mkdir -p "$T/plugins/connectors"
  cp "$@" "$T/plugins/"
  cp "$B/plugins/libcg_connector_platform_v1.so" "$T/plugins/connectors/"
  (cd "$T/plugins" && sha256sum *.so connectors/*.so >ALLOWLIST)
}

# wait_ready PID FILE...: waits (10 s at most) until each file (a port file,
# a socket) is there; if the gateway PID exits first or the time passes, the
# benchmark stops with the gateway's log, not with figures of nothing.
wait_ready() {
  local pid=$1 f ready
  shift
  for _ in $(seq 1000); do
    ready=1
    for f in "$@"; do [ -s "$f" ] || [ -S "$f" ] || ready=0; done
    [ $ready = 1 ] && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
  done
  echo "bench: the gateway is not ready (waiting for: $*); its log:" >&2
  head -40 "$T/gateway.log" >&2
  exit 1
}

# destination NAME [MEMBERS]: a simulator as a destination, batches of 1,000.
destination() {
  echo "\"$1\": {\"base_url\": \"http://127.0.0.1:$(cat "$T/$1.port")\", \"app_id\": \"bench\",
    \"secret_file\": \"$T/secret\", \"connector_file\": \"$T/plugins/connectors/libcg_connector_platform_v1.so\",
    \"batch_size\": 1000${2:+, $2}}"
}

# write_gateway_config MEMBERS [PLUGIN_MEMBERS]: $T/gw.json with what every
# benchmark shares (run folder, mappings, plugins, admin on port 0, no jobs)
# and MEMBERS ("destinations" and "adapters"). CACHE_MB=N in the environment
# sets store.cache_mb (default: the gateway's), and with it SYNC=normal|full
# store.synchronous; WAL_GATHER=false turns store.wal_gather off (on here).
write_gateway_config() {
  local store="\"store\": {\"wal_gather\": ${WAL_GATHER:-true}"
  [ -n "${CACHE_MB:-}" ] && store+=", \"cache_mb\": $CACHE_MB${SYNC:+, \"synchronous\": \"$SYNC\"}"
  store+="},"
  cat >"$T/gw.json" <<JSON
{"node_id": "bench", "data_dir": "$T/data", "catalog": "$SRC/config/catalog.json", "calendar_dir": "$SRC/config/calendar", "departments": {"finance": "财政局", "approval": "行政审批局"},
 "mappings": {"dir": "$SRC/mappings", "code_tables_dir": "$SRC/config/code-tables"},
 "plugins": {"dir": "$T/plugins", "allowlist_file": "$T/plugins/ALLOWLIST", "scan_interval_ms": 100${2:+, $2}},
 "admin": {"listen": "127.0.0.1:0", "tokens_file": "$T/tokens"},
 "department_api": {"listen": "off"}, $store
 "jobs": {"sync": {"cron": "off"}, "reconcile": {"cron": "off"}, "expiry": {"cron": "off"}},
 $1}
JSON
}

# stolen_seconds: CPU seconds the hypervisor has taken from this machine's
# CPUs since boot (/proc/stat "steal"): a shared cloud machine is slower
# while it grows, whatever the code does.
stolen_seconds() {
  awk -v k="$(getconf CLK_TCK)" '/^cpu /{printf "%.2f", $9 / k}' /proc/stat
}

# cpu_split BEFORE AFTER: how the machine's CPU time went between two
# readings of /proc/stat's "cpu" line (take them with `head -1 /proc/stat`):
# user, system, waiting for the disk, idle, stolen, in % of the whole. Idle
# time during a run says the machine was not the limit: a serial step was.
cpu_split() {
  awk -v a="$1" -v b="$2" 'BEGIN {
    split(a, x, " "); split(b, y, " ")  # cpu user nice system idle iowait irq softirq steal (guest: in user)
    for (i = 2; i <= 9; i++) { d[i] = y[i] - x[i]; t += d[i] }
    if (t <= 0) t = 1
    printf "user %.0f %%, system %.0f %%, waiting for the disk %.0f %%, idle %.0f %%, stolen %.0f %%",
      100 * (d[2] + d[3]) / t, 100 * (d[4] + d[7] + d[8]) / t, 100 * d[6] / t, 100 * d[5] / t, 100 * d[9] / t }'
}

# cpu_seconds PID...: user + system CPU seconds the processes have used so far.
cpu_seconds() {
  local tck total=0 p
  tck=$(getconf CLK_TCK)
  for p in "$@"; do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  awk -v t="$total" -v k="$tck" 'BEGIN{printf "%.1f", t / k}'
}

# thread_cpu PID: "name=seconds ..." for each thread of the process (threads
# of one name summed) and each of its child processes (plugin hosts), the
# largest first.
thread_cpu() {
  local tck
  tck=$(getconf CLK_TCK)
  {
    for t in /proc/"$1"/task/*; do
      echo "$(tr ' ' '_' <"$t/comm") $(awk '{print $14 + $15}' "$t/stat")"
    done
    for c in $(pgrep -P "$1"); do
      echo "host:$(tr ' ' '_' <"/proc/$c/comm") $(awk '{print $14 + $15}' "/proc/$c/stat")"
    done
  } | awk -v k="$tck" '{s[$1] += $2} END {for (n in s) if (s[n] > 0) printf "%s=%.2f\n", n, s[n] / k}' |
    sort -t= -k2 -rn | tr '\n' ' '
}
