# Shared helpers for the end-to-end tests. Each test gets its own temp folder,
# ipc:// sockets inside it and servers on port 0.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
BIN=$BUILD/core/credit-gateway
T=$(mktemp -d /tmp/cg-e2e-XXXXXX)
PIDS=()
GW_PID=""

cleanup() {
  local rc=$?
  [ -n "$GW_PID" ] && kill -9 "$GW_PID" 2>/dev/null || true
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ $rc -ne 0 ] && [ -f "$T/gateway.log" ]; then
    echo "---- last lines of the gateway log ----" >&2
    tail -40 "$T/gateway.log" >&2
  fi
  if [ -n "${CG_E2E_KEEP:-}" ] && [ $rc -ne 0 ]; then echo "kept $T" >&2; else rm -rf "$T"; fi
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  if [ -s "${T:-}/gateway.log" ]; then  # what the gateway said last, for the CI log (IDs are masked there)
    echo "--- last lines of the gateway log:" >&2
    tail -n 40 "$T/gateway.log" | cut -c1-400 >&2
  fi
  exit 1
}
note() { echo "-- $*"; }

# wait_for SECONDS DESCRIPTION COMMAND...: polls until the command succeeds.
wait_for() {
  local secs=$1 what=$2
  shift 2
  local end=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $end ]; then
      gateway_stacks
      fail "timed out after ${secs}s waiting for: $what"
    fi
    sleep 0.2
  done
}

log_has() { grep -q -- "$1" "$T/gateway.log"; }
log_count() { grep -c -- "$1" "$T/gateway.log" || true; }

# install_plugin FILE [NAME]: allowlists, then moves the file into the folder atomically.
install_plugin() {
  local src=$1 name=${2:-$(basename "$1")}
  mkdir -p "$T/plugins"
  sha256sum "$src" | awk -v n="$name" '{print $1 "  " n}' >>"$T/plugins/ALLOWLIST"
  cp "$src" "$T/plugins/.$name.tmp"
  mv "$T/plugins/.$name.tmp" "$T/plugins/$name"
}

# write_config: the gateway config for this test; STORE, DESTINATIONS and
# JOBS (JSON objects) in the environment set those members.
write_config() {
  local tax_port=${TAX_PORT:-1}
  cat >"$T/gw.json" <<JSON
{
  "node_id": "e2e",
  "data_dir": "$T/data",
  "log_level": "info",
  "store": ${STORE:-{\}},
  "mappings": {"dir": "${MAPPINGS_DIR:-$SRC/mappings}", "code_tables_dir": "${TABLES_DIR:-$SRC/config/code-tables}"},
  "catalog": "${CATALOG:-$SRC/config/catalog.json}",
  "calendar_dir": "$SRC/config/calendar",
  "departments": {"finance": "财政局", "approval": "行政审批局"},
  "plugins": {"dir": "$T/plugins", "allowlist_file": "$T/plugins/ALLOWLIST", "scan_interval_ms": 200,
              "heartbeat_ms": 200, "hang_timeout_ms": ${HANG_TIMEOUT_MS:-3000}, "restart_min_ms": 200,
              "restart_max_ms": 2000, "drain_timeout_ms": 5000},
  "destinations": ${DESTINATIONS:-{\}},
  "jobs": ${JOBS:-{\}},
  "admin": {"listen": "127.0.0.1:0", "tokens_file": "$T/admin.tokens"},
  "department_api": {"listen": "127.0.0.1:0", "tokens_file": "$T/department.tokens"${DEPARTMENT_API_EXTRA:-}},
  "adapters": {
    "court-file-drop": {"inbox": "$T/court/inbox", "done": "$T/court/done", "failed": "$T/court/failed",
                        "settle_ms": 100, "retry_ms": 500, "feedback_dir": "$T/feedback/court"${COURT_EXTRA:-}},
    "tax-api-poll": {"url": "http://127.0.0.1:$tax_port/page-{page}.json", "schedule": "0 3 * * *", "retry_ms": 300,
                     "feedback_dir": "$T/feedback/tax"},
    "market-regulation-zmq": {"endpoint": "ipc://$T/mr.sock", "feedback_dir": "$T/feedback/market_regulation"},
    "procurement-http": {"listen": "127.0.0.1:0", "port_file": "$T/procurement.port",
                         "feedback_url": "http://127.0.0.1:${FEEDBACK_PORT:-1}/feedback"},
    "test-crashy": {"inbox": "$T/crashy/inbox", "done": "$T/crashy/done", "marker": "$T/crashy/marker"},
    "test-hang": {"marker": "$T/hang.marker"}
  }
}
JSON
  mkdir -p "$T/plugins"
  touch "$T/plugins/ALLOWLIST"
}

# deliver_wave2 FILE: a wave-2 sample (tests/fixtures/wave2) by its department's
# transport: a court file by file drop (waited for until stored), a market
# regulation one by ZeroMQ.
deliver_wave2() {
  case "$1" in
    court/*)
      mkdir -p "$T/court/inbox"
      cp "$SRC/tests/fixtures/wave2/$1" "$T/court/inbox/"
      wait_for 30 "$1 stored" test -f "$T/court/done/$(basename "$1")"
      ;;
    *) "$BIN" send --endpoint "ipc://$T/mr.sock" "$SRC/tests/fixtures/wave2/$1" >/dev/null || fail "send $1" ;;
  esac
}

start_gateway() {
  "$BIN" run --config "$T/gw.json" >>"$T/gateway.log" 2>&1 &
  GW_PID=$!
  local end=$((SECONDS + 20))
  until log_has '"msg":"gateway started"'; do
    if ! kill -0 "$GW_PID" 2>/dev/null; then
      local rc=0
      wait "$GW_PID" || rc=$?
      GW_PID=""
      fail "the gateway exited with status $rc before it started$( ((rc > 128)) && echo " (signal $((rc - 128)))")"
    fi
    if [ $SECONDS -ge $end ]; then
      gateway_stacks
      fail "timed out after 20s waiting for: gateway started"
    fi
    sleep 0.2
  done
}

# gateway_stacks: every thread's stack of the running gateway, for a hang's CI log.
gateway_stacks() {
  [ -n "$GW_PID" ] && command -v gdb >/dev/null || return 0
  echo "--- the gateway's threads (pid $GW_PID):" >&2
  timeout 60 gdb -batch -nx -p "$GW_PID" -ex "thread apply all bt 30" 2>/dev/null | grep -E '^(Thread|#)' | cut -c1-300 >&2 || true
}

stop_gateway() {
  kill -TERM "$GW_PID"
  wait "$GW_PID" || fail "gateway exited non-zero on SIGTERM"
  GW_PID=""
}

kill9_gateway() {
  kill -9 "$GW_PID"
  wait "$GW_PID" 2>/dev/null || true
  GW_PID=""
}

records() { "$BIN" export --config "$T/gw.json" 2>/dev/null | wc -l; }
quarantined() { "$BIN" quarantine list --config "$T/gw.json" 2>/dev/null | wc -l; }
sql() { sqlite3 -cmd ".timeout 10000" "$T/data/gateway.db" "$1"; }  # waits for the gateway's writes

# start_static_server DIR: serves DIR over HTTP on a free port; sets TAX_PORT.
start_static_server() {
  (cd "$1" && exec python3 -u -m http.server 0 --bind 127.0.0.1) >"$T/static.log" 2>&1 &
  PIDS+=($!)
  wait_for 10 "static server" grep -q 'port [0-9]' "$T/static.log"
  TAX_PORT=$(grep -o 'port [0-9]*' "$T/static.log" | awk 'NR==1{print $2}')
}

gen() { python3 "$SRC/tools/feedgen/feedgen.py" "$@"; }
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }

# ge N COMMAND...: the command's output (a number) is at least N. eq: equal.
# Use these with wait_for, so that the number is taken again on every try.
ge() { local n=$1; shift; [ "$("$@")" -ge "$n" ]; }
eq() { local n=$1; shift; [ "$("$@")" -eq "$n" ]; }
files_in() { find "$1" -maxdepth 1 -type f 2>/dev/null | wc -l; }

# start_sim NAME [ARGS...]: a platform simulator on a free port; sets <NAME>_PORT.
SECRET_FILE=""
start_sim() {
  local name=$1
  shift
  if [ -z "$SECRET_FILE" ]; then
    SECRET_FILE=$T/platform.secret
    head -c 32 /dev/urandom | sha256sum | cut -c1-48 >"$SECRET_FILE"
    chmod 600 "$SECRET_FILE"
  fi
  rm -f "$T/$name.port"
  "$BUILD/tools/platform-sim" --name "$name" --app-id "gw-e2e" --secret-file "$SECRET_FILE" \
    --listen "127.0.0.1:${SIM_PORT:-0}" --port-file "$T/$name.port" --data "$T/$name.data" "$@" >>"$T/$name.log" 2>&1 &
  eval "${name}_PID=$!"
  PIDS+=($!)
  wait_for 10 "$name simulator" test -s "$T/$name.port"
  eval "${name}_PORT=$(cat "$T/$name.port")"
}
sim() { curl -s "http://127.0.0.1:$1$2"; }
sim_faults() { curl -s -X POST --data-binary "$2" "http://127.0.0.1:$1/sim/faults" >/dev/null; }
sim_held() { sim "$1" /sim/stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["records_held"])'; }

# destinations_json: both platforms, connector from the build, allowlisted.
destinations_json() {
  install_connector
  DESTINATIONS=$(cat <<JSON
{"provincial": {"connector_file": "$T/connectors/libcg_connector_platform_v1.so", "base_url": "http://127.0.0.1:$provincial_PORT",
                "app_id": "gw-e2e", "secret_file": "$SECRET_FILE", "batch_size": ${BATCH_SIZE:-50}, "concurrency": ${CONCURRENCY:-2}, "linger_ms": 50,
                "timeout_ms": 2000, "retry_min_ms": 100, "retry_max_ms": 1000, "circuit_failures": 3, "circuit_open_ms": 1000, "pull": true, "feedback": true},
 "city": {"connector_file": "$T/connectors/libcg_connector_platform_v1.so", "base_url": "http://127.0.0.1:$city_PORT",
          "app_id": "gw-e2e", "secret_file": "$SECRET_FILE", "batch_size": ${BATCH_SIZE:-50}, "concurrency": ${CONCURRENCY:-2}, "linger_ms": 50,
          "timeout_ms": 2000, "retry_min_ms": 100, "retry_max_ms": 1000, "circuit_failures": 3, "circuit_open_ms": 1000}}
JSON
)
  export DESTINATIONS
}
install_connector() {
  mkdir -p "$T/connectors" "$T/plugins"
  cp "$BUILD/plugins/libcg_connector_platform_v1.so" "$T/connectors/"
  sha256sum "$T/connectors/libcg_connector_platform_v1.so" | awk '{print $1 "  connector"}' >>"$T/plugins/ALLOWLIST"
}

# start_feedback_receiver: the procurement system's feedback endpoint; every
# POST body is kept as a file in $T/feedback/procurement. Sets FEEDBACK_PORT.
start_feedback_receiver() {
  mkdir -p "$T/feedback/procurement"
  python3 -u - "$T/feedback/procurement" >"$T/receiver.log" 2>&1 <<'PY' &
import http.server, os, sys
out = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        key = self.headers.get("Idempotency-Key", "none")
        with open(os.path.join(out, key + ".json"), "wb") as f:
            f.write(body)
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"{}")
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print("port", s.server_port, flush=True)
s.serve_forever()
PY
  PIDS+=($!)
  wait_for 10 "feedback receiver" grep -q '^port' "$T/receiver.log"
  FEEDBACK_PORT=$(awk '/^port/{print $2}' "$T/receiver.log")
}
# In these scripts a pipe ends in `grep -c PATTERN >/dev/null`, not `grep -q`:
# grep -q stops reading at the first match and, under pipefail, the command
# writing into the pipe dies of SIGPIPE and fails the test.
