# Shared by the command-line tests: $1 the credit-gateway executable, $2 the
# source tree; a temp folder $T removed at exit.
set -euo pipefail
BIN=$1
SRC=$2
BUILD=$(dirname "$(dirname "$BIN")")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
