#!/usr/bin/env bash
# The dashboard in headless Chromium (Debian's package): the page loads with
# no outside resource, shows the departments, destinations, jobs and the
# quarantine with the rule that failed; a screenshot is kept.
source "$(dirname "$0")/lib.sh"
F=$SRC/tests/fixtures/feeds
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || fail "chromium is not installed (./scripts/install-deps.sh --with-browser)"

start_sim provincial
start_sim city
destinations_json
write_config
printf 'viewer alice %s\n' viewer-token-0123456789 >"$T/admin.tokens"
chmod 600 "$T/admin.tokens"
install_plugin "$BUILD/plugins/libcg_adapter_court.so"
mkdir -p "$T/court/inbox"
cp "$F/court/sxbzxr-1.xml" "$T/court/inbox/"
start_gateway
wait_for 30 "court file stored" test -f "$T/court/done/sxbzxr-1.xml"
wait_for 30 "delivered" eq 10 sim_held "$city_PORT"
URL="http://127.0.0.1:$(cat "$T/data/run/admin.port")/#token=viewer-token-0123456789"
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$T/chromium" --virtual-time-budget=8000)

"$CHROMIUM" "${flags[@]}" --dump-dom "$URL" >"$T/dom.html" 2>"$T/chromium.log" || fail "chromium: $(tail -5 "$T/chromium.log")"
for want in court-file-drop provincial city reconcile invalid_uscc key_missing 'subject.uscc' '>running<' '>closed<'; do
  grep -qF -- "$want" "$T/dom.html" || fail "the dashboard does not show '$want'"
done
if grep -qE '(src|href)="https?://' "$T/dom.html"; then fail "the dashboard loads something from outside"; fi

mkdir -p "$BUILD/test-artifacts"
"$CHROMIUM" "${flags[@]}" --window-size=1400,1100 --screenshot="$BUILD/test-artifacts/dashboard.png" "$URL" 2>>"$T/chromium.log" ||
  fail "screenshot failed"
[ "$(stat -c %s "$BUILD/test-artifacts/dashboard.png")" -gt 20000 ] || fail "the screenshot is (nearly) empty"
stop_gateway
echo "e2e dashboard_browser: ok (screenshot: $BUILD/test-artifacts/dashboard.png)"
