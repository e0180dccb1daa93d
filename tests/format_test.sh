#!/usr/bin/env bash
# Every C++ file the project tracks is as clang-format (.clang-format: Google, 100 columns)
# writes it. Fix with: git ls-files '*.cc' '*.h' '*.h.in' | xargs clang-format -i
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "clang-format not installed (scripts/setup.sh)"; exit 77; }
mapfile -t files < <(git ls-files '*.cc' '*.h' 2>/dev/null || find . -name '*.cc' -o -name '*.h')
((${#files[@]} > 50)) || { echo "format_test: found only ${#files[@]} files"; exit 1; }
if ! out=$(clang-format --dry-run --Werror "${files[@]}" 2>&1); then
  grep -E '^[^ ].*: (warning|error):' <<<"$out" | cut -d: -f1 | sort -u | sed 's/^/unformatted: /'
  exit 1
fi
echo "format_test: ${#files[@]} files formatted"
