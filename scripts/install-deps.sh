#!/usr/bin/env bash
# Installs the Debian 12 packages Credit Gateway builds and runs with.
# Safe to run again: only missing packages are installed.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git
  nlohmann-json3-dev libpugixml-dev libsimdjson-dev libzmq3-dev cppzmq-dev
  libboost-dev libboost-filesystem-dev
  libcurl4-openssl-dev libsqlite3-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  sqlite3 curl python3 time
  libcairo2-dev libpango1.0-dev libqrencode-dev libxlsxwriter-dev fonts-wqy-microhei
  poppler-utils python3-openpyxl
)

# Options (any number of them):
#   --with-browser    also Chromium, for the dashboard's browser test
#   --with-syslog-ng  also syslog-ng with its HTTP destination, for
#                     bench/side_by_side.sh (the gateway next to another shipper)
#   --with-fuzz       also clang and its libFuzzer runtime, for scripts/fuzz.sh
#   --with-format     also clang-format 14, for scripts/check-format.sh
#   --with-debugger   also gdb, for the stacks the end-to-end tests print when
#                     the gateway hangs
for opt in "$@"; do
  case "$opt" in
    --with-browser) PACKAGES+=(chromium) ;;
    --with-syslog-ng) PACKAGES+=(syslog-ng-core syslog-ng-mod-http) ;;
    --with-fuzz) PACKAGES+=(clang libclang-rt-14-dev) ;;
    --with-format) PACKAGES+=(clang-format-14) ;;
    --with-debugger) PACKAGES+=(gdb) ;;
    *) echo "install-deps: unknown option '$opt' (known: --with-browser, --with-syslog-ng, --with-fuzz, --with-format, --with-debugger)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
