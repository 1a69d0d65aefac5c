#!/usr/bin/env bash
# Side by side with another widely used log and data shipper: syslog-ng
# (Debian 12's syslog-ng-core + syslog-ng-mod-http; Fluent Bit, Vector and
# Logstash are not packaged there) doing the same mapping-and-push work on
# the same N procurement records, on the same machine, one after the other:
#
#   syslog-ng:  NDJSON file -> json-parser -> dates, upper-case USCC, record id
#               (sha256), the canonical record as nested JSON (field for field
#               the gateway's record for the same input, times aside)
#               -> 2 HTTP destinations, batches
#               of 1,000, reliable disk buffer -> simulators' /sim/sink (counted)
#   gateway:    JSON arrays POSTed to the procurement adapter -> mapping (the
#               same fields), validation, durable SQLite store, outbox -> 2
#               platform simulators over the signed contract, batches of 1,000
#
# What syslog-ng does not do here, and the gateway does: check characters of
# USCC, date validity, deduplication and versions, a durable store with audit,
# HMAC signatures, nonces and per-record answers. Reports wall time, records/s,
# CPU seconds and peak RSS of each.
#
#   bench/side_by_side.sh [N]      N records (default 100000)
set -euo pipefail
N=${1:-100000}
# syslog-ng is not among the gateway's own dependencies: installed here when
# it is missing (Debian 12's packages, as root or with sudo; the binary is in
# /usr/sbin, which a user's PATH may leave out).
PATH=$PATH:/usr/sbin
if ! command -v syslog-ng >/dev/null; then
  "$(dirname "$0")/../scripts/install-deps.sh" --with-syslog-ng >&2 || true
  command -v syslog-ng >/dev/null || { echo "needs syslog-ng: ./scripts/install-deps.sh --with-syslog-ng" >&2; exit 2; }
fi
source "$(dirname "$0")/lib.sh" side
python3 "$SRC/tools/feedgen/feedgen.py" procurement --records "$N" --per-file 1000 --bad-every 0 --out "$T/gen" --seed 11 >/dev/null
python3 - "$T/gen" "$T/feed.ndjson" <<'PY'
import glob, json, sys
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for f in sorted(glob.glob(sys.argv[1] + "/*.json")):
        for r in json.load(open(f, encoding="utf-8")):
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
PY
echo "input: $N procurement records, $(du -sb "$T/gen" | awk '{printf "%.1f", $1 / 1048576}') MiB (JSON arrays for the gateway, the same as NDJSON for syslog-ng)"
start_sims --hold digests
port() { cat "$T/$1.port"; }

# Waits until both simulators count N in FIELD of /sim/stats; prints the time.
wait_for() {
  python3 - "$(port provincial)" "$(port city)" "$1" "$N" <<'PY'
import json, sys, time, urllib.request
ports, field, n = sys.argv[1:3], sys.argv[3], int(sys.argv[4])
last, since = None, time.time()
while True:
    got = [json.load(urllib.request.urlopen(f"http://127.0.0.1:{p}/sim/stats", timeout=10))[field] for p in ports]
    if min(got) >= n:
        print("%.3f" % time.time())
        break
    if got != last:
        last, since = got, time.time()
    elif time.time() - since > 60:
        sys.exit("stalled: the simulators count %s of %d" % (got, n))
    time.sleep(0.1)
PY
}
report() {  # NAME START END TIME_LOG
  python3 - "$@" "$N" <<'PY'
import re, sys
name, start, end, log, n = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], int(sys.argv[5])
text = open(log, errors="replace").read()
cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", text))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) // 1024
print("| %s | %.2f s | %.0f | %.1f s (%.0f us per record) | %d MiB |" % (name, end - start, n / (end - start), cpu, cpu * 1e6 / n, rss))
PY
}

# 1. syslog-ng
mkdir -p "$T/sng/buf"
canon='$(format-json --scope none record_id=$(sha256 --length 32 procurement\x1fprocurement_violation\x1f$(uppercase ${.r.tyshxydm})|${.d.y}-$(padding ${.d.m} 2 0)-$(padding ${.d.d} 2 0))
  version=int64(1) kind=procurement_violation status=active region=510802
  subject.type=legal_person subject.name=${.r.qymc} subject.uscc=$(uppercase ${.r.tyshxydm})
  decision.decided_on=${.d.y}-$(padding ${.d.m} 2 0)-$(padding ${.d.d} 2 0)
  decision.valid_until=${.u.y}-$(padding ${.u.m} 2 0)-$(padding ${.u.d} 2 0) decision.authority.name=${.r.zfdw}
  detail.facts=${.r.jtqx} detail.content=${.r.cfjg} detail.basis=${.r.cfyj} detail.extra.address=${.r.qydz}
  detail.extra.published_on=${.d.y}-$(padding ${.d.m} 2 0)-$(padding ${.d.d} 2 0)
  source.department=procurement source.system=${.sys} source.mapping=procurement.cgsx@1
  source.source_key=$(uppercase ${.r.tyshxydm})|${.d.y}-$(padding ${.d.m} 2 0)-$(padding ${.d.d} 2 0)
  source.received_at=${R_ISODATE} updated_at=${R_ISODATE})'
http_dest() {
  cat <<CONF
destination d_$1 { http(url("http://127.0.0.1:$(port "$1")/sim/sink") method("POST")
  headers("Content-Type: application/json") body-prefix('{"records":[') delimiter(",") body-suffix("]}")
  body("\${.canon}") batch-lines(1000) batch-timeout(20) workers(2)
  disk-buffer(reliable(yes) disk-buf-size(2147483648) mem-buf-size(16777216) dir("$T/sng/buf"))); };
CONF
}
date_parser() {  # NAME FIELD
  echo "parser p_$1 { regexp-parser(template(\"\${.r.$2}\") prefix(\".$1.\") patterns(\"^(?<y>[0-9]{4})/(?<m>[0-9]{1,2})/(?<d>[0-9]{1,2})\$\")); };"
}
cat >"$T/sng/sng.conf" <<CONF
@version: 3.38
options { stats-freq(0); log-msg-size(65536); log-fifo-size(100000); send-time-zone("+08:00"); };
source s_feed { file("$T/feed.ndjson" flags(no-parse) follow-freq(1) log-fetch-limit(1000) log-iw-size(100000)); };
parser p_json { json-parser(prefix(".r.")); };
$(date_parser d cfrq)
$(date_parser u gbjzrq)
rewrite r_canon { set("政府采购管理交易系统" value(".sys")); set("$canon" value(".canon")); };
$(http_dest provincial)
$(http_dest city)
log { source(s_feed); parser(p_json); parser(p_d); parser(p_u); rewrite(r_canon);
      destination(d_provincial); destination(d_city); };
CONF
syslog-ng --syntax-only -f "$T/sng/sng.conf"
start=$(date +%s.%N)
/usr/bin/time -v syslog-ng -F -f "$T/sng/sng.conf" -R "$T/sng/persist" -p "$T/sng/pid" -c "$T/sng/ctl" \
  >"$T/sng/out.log" 2>&1 &
SNG=$!
PIDS+=($SNG)
end=$(wait_for sink_records)
kill -TERM "$(pgrep -P $SNG)"
wait $SNG || true
row_sng=$(report "syslog-ng 3.38" "$start" "$end" "$T/sng/out.log")

# 2. the gateway, the same records
install_plugins "$B/plugins/libcg_adapter_procurement.so"
write_gateway_config '"destinations": {'"$(destination provincial '"linger_ms": 20'), $(destination city '"linger_ms": 20')"'},
 "adapters": {"procurement-http": {"listen": "127.0.0.1:0", "feedback_url": "http://127.0.0.1:1/feedback", "port_file": "'"$T"'/proc.port", "max_body_bytes": 67108864}}' \
  '"max_inflight": 8'
start=$(date +%s.%N)
/usr/bin/time -v "$BIN" run --config "$T/gw.json" 2>"$T/gateway.log" &
GW=$!
PIDS+=($GW)
wait_ready "$GW" "$T/proc.port"
# A client with as many posts in flight as the gateway takes (max_inflight
# 8), each waiting for its answer: posting every file at once measured curl's
# one-second retry sleeps after "busy", not the gateway.
printf '%s\0' "$T"/gen/*.json |
  xargs -0 -P 8 -I{} curl -sf --retry 100 --retry-max-time 600 -o /dev/null -X POST --data-binary @{} \
    "http://127.0.0.1:$(cat "$T/proc.port")/ingest" &
end=$(wait_for records_held)
kill -TERM "$(pgrep -P $GW)"
wait $GW || true
row_gw=$(report "credit-gateway $(git -C "$SRC" rev-parse --short HEAD)" "$start" "$end" "$T/gateway.log")

echo ""
echo "| shipper | $N records at both destinations after | records/s | CPU (plugin hosts included) | peak RSS |"
echo "|---|---|---|---|---|"
echo "$row_sng"
echo "$row_gw"
