#!/usr/bin/env bash
# Checks that every C and C++ file git tracks is as the repository's
# .clang-format writes it (clang-format 14, Debian 12's). With --fix, formats
# them instead.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --with-format >/dev/null
mapfile -t files < <(git ls-files '*.c' '*.h' '*.cpp' '*.hpp')
if [ "${1:-}" = "--fix" ]; then
  clang-format-14 -i "${files[@]}"
  echo "check-format: ${#files[@]} files formatted"
  exit 0
fi
if ! clang-format-14 --dry-run --Werror "${files[@]}"; then
  echo "check-format: the files above are not formatted; run scripts/check-format.sh --fix" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files formatted as .clang-format says"
