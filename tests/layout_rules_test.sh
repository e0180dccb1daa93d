#!/usr/bin/env bash
# The layout rules (tests/layout_rules.py) hold on this tree, and catch a break when there is one.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
python3 "$here/layout_rules.py" "$here/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/storage" "$tmp/sweep/run" "$tmp/model"
printf '#include "sweep/spec/spec.h"\n' > "$tmp/storage/up.cc"          # storage reaching up
printf '#include "storage/layout.h"\n' > "$tmp/model/sideways.cc"       # model knows no files
printf 'auto k = "result.json";\n' > "$tmp/sweep/run/name.cc"           # a name outside layout
printf 'auto e = GetEnv("AWS_REGION");\n' > "$tmp/sweep/run/region.cc"  # an AWS decision
printf '#include "sweep/spec/spec.h"\nauto k = "result.json";\n' > "$tmp/storage/x_test.cc"
if out=$(python3 "$here/layout_rules.py" "$tmp"); then
  echo "layout_rules passed a tree with breaks:"; echo "$out"; exit 1
fi
for want in "storage/up.cc:1" "model/sideways.cc:1" "sweep/run/name.cc:1" "sweep/run/region.cc:1" \
            "4 break(s)"; do
  grep -qF "$want" <<<"$out" || { echo "missing '$want' in:"; echo "$out"; exit 1; }
done
echo "layout_rules_test: ok"
