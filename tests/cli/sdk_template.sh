#!/usr/bin/env bash
# The SDK installs, the template builds outside the repository against it,
# and the gateway accepts the result as a plugin.
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
echo "sdk_template: ok"
