#!/usr/bin/env bash
# The SDK installs; the template and a shipped HTTP adapter (tax) build
# outside the repository against it alone, and the gateway accepts the
# results as plugins.
source "$(dirname "$0")/lib.sh"

cmake --install "$BUILD" --component sdk --prefix "$T/sdk" >/dev/null
[ -f "$T/sdk/include/credit_gateway/plugin.h" ] || fail "SDK headers not installed"
cp -r "$SRC/plugins/template" "$T/my"
cmake -S "$T/my" -B "$T/my/build" -DCMAKE_PREFIX_PATH="$T/sdk" >/dev/null || fail "template does not configure"
cmake --build "$T/my/build" >/dev/null || fail "template does not build"
"$BIN" plugin info "$T/my/build/libmy_adapter.so" >"$T/info.txt" || fail "plugin info: $(cat "$T/info.txt")"
grep -q '"name": "my-adapter"' "$T/info.txt" || fail "$(cat "$T/info.txt")"
grep -q '"abi": 1' "$T/info.txt" || fail "abi"
grep -q '^allowlist line: [0-9a-f]\{64\}  libmy_adapter.so$' "$T/info.txt" || fail "allowlist line"
note() { echo "-- $*"; }
note "no adapter or connector includes a core header"
if grep -rnE '#include "[a-z_]+/' "$SRC/adapters" "$SRC/plugins/platform_v1"; then
  fail "a plugin includes a core header; what plugins share with core belongs in plugins/sdk"
fi
note "the tax adapter, copied alone, builds against the installed SDK and its support library"
[ -f "$T/sdk/lib/libcg_sdk_support.a" ] || fail "the SDK support library is not installed"
[ -f "$T/sdk/include/credit_gateway/support/http_client.hpp" ] || fail "the support headers are not installed"
cp -r "$SRC/adapters/tax" "$T/tax"
if grep -rn '#include "' "$T/tax"; then fail "the tax adapter includes a header that is not the SDK's"; fi
cmake -S "$T/tax" -B "$T/tax/build" -DCMAKE_PREFIX_PATH="$T/sdk" >"$T/tax.log" 2>&1 || fail "tax does not configure: $(tail "$T/tax.log")"
cmake --build "$T/tax/build" >>"$T/tax.log" 2>&1 || fail "tax does not build: $(tail -20 "$T/tax.log")"
"$BIN" plugin info "$T/tax/build/libcg_adapter_tax.so" >"$T/tax-info.txt" || fail "plugin info: $(cat "$T/tax-info.txt")"
"$BIN" plugin info "$BUILD/plugins/libcg_adapter_tax.so" >"$T/tax-shipped.txt"
# The same plugin as the one built in the repository: name, version, options.
diff <(grep -v '^allowlist line\|sha256\|"file"' "$T/tax-info.txt") <(grep -v '^allowlist line\|sha256\|"file"' "$T/tax-shipped.txt") ||
  fail "the tax adapter built alone differs from the shipped one"
grep -q '"name": "tax-api-poll"' "$T/tax-info.txt" || fail "$(cat "$T/tax-info.txt")"
echo "sdk_template: ok"
