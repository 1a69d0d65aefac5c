#!/usr/bin/env bash
# Scaling: the end-to-end run of bench/e2e.sh with N and then 10 N records
# per department, side by side: wall time, CPU per record, peak RSS. Issue
# 7's target: ten times the records take about ten times as long, and memory
# stays flat (bounded by the configuration: the store's page cache and the
# pipeline's queues, not by how many records went through).
#
#   bench/scaling.sh [N]        default 25000 (then 250000): the smaller run
#                               long enough for the page cache and the queues
#                               to fill (about 5 s), as they do in the larger
#
# CACHE_MB and SYNC are passed on to bench/e2e.sh (its defaults: 128, full).
set -euo pipefail
N=${1:-25000}
here=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/cg-scaling-XXXXXX)
trap 'rm -rf "$T"' EXIT
for n in "$N" $((N * 10)); do
  echo "running bench/e2e.sh $n ..."
  "$here/e2e.sh" "$n" >"$T/$n.txt" 2>&1 || { cat "$T/$n.txt"; exit 1; }
  grep -E '^(machine|store|end to end|gateway):' "$T/$n.txt" | sed 's/^/  /'
done
python3 - "$T/$N.txt" "$T/$((N * 10)).txt" <<'PY'
import re, sys
def read(path):
    text = open(path).read()
    e = re.search(r"^end to end: (\d+) valid records at both platforms in ([\d.]+) s", text, re.M)
    g = re.search(r"^gateway: [\d.]+ CPU s .* = (\d+) us per record; peak RSS of one process (\d+) MiB", text, re.M)
    return int(e.group(1)), float(e.group(2)), int(g.group(1)), int(g.group(2))
(n1, t1, u1, r1), (n2, t2, u2, r2) = read(sys.argv[1]), read(sys.argv[2])
print("")
print("| valid records | time to both platforms | records/s | gateway CPU per record | peak RSS |")
print("|---|---|---|---|---|")
for n, t, u, r in ((n1, t1, u1, r1), (n2, t2, u2, r2)):
    print("| %d | %.2f s | %.0f | %d us | %d MiB |" % (n, t, n / t, u, r))
print("")
k = n2 / n1
print("%.0fx the records: %.1fx the time, %.2fx the CPU per record, %.2fx the peak RSS" % (k, t2 / t1, u2 / u1, r2 / r1))
# "About ten times": within a quarter either way. "Flat": the larger run's
# peak within a quarter of the smaller's (both bounded by the same settings).
time_ok = 0.75 * k <= t2 / t1 <= 1.25 * k
rss_ok = r2 <= 1.25 * r1
print("target, %.0fx the records in about %.0fx the time: %.1fx, %s" % (k, k, t2 / t1, "met" if time_ok else "NOT met"))
print("target, memory flat: peak RSS %d -> %d MiB, %s" % (r1, r2, "met" if rss_ok else "NOT met"))
PY
