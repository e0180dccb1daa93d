#!/usr/bin/env bash
# README.md "### Row keys" table == `sweep keys --markdown` (the table in sweep/spec/row_keys.cc).
# To fix a failure, edit the table in code and paste `sweep keys --markdown` into the README.
source "$(dirname "$0")/lib.sh"

# The Markdown table lines (starting with '|') of the "### Row keys" section.
awk '/^### /{in_section = ($0 == "### Row keys")} in_section && /^\|/' \
  "$SWEEP_SOURCE_DIR/README.md" > "$T/readme"
[[ -s $T/readme ]] || fail "README.md: no table under '### Row keys'"
"$SWEEP_BIN" keys --markdown > "$T/code" || fail "sweep keys --markdown failed"
diff -u "$T/readme" "$T/code" > "$T/diff" \
  || { cat "$T/diff" >&2; fail "README row keys != sweep keys --markdown"; }
pass "README row-key table matches sweep keys --markdown ($(wc -l < "$T/code") lines)"

"$SWEEP_BIN" keys > "$T/text" || fail "sweep keys failed"
grep -q '^learning_rate  *number  *0.001  *> 0  *initial step size$' "$T/text" \
  || { cat "$T/text" >&2; fail "sweep keys: no aligned learning_rate line"; }
pass "sweep keys lists the keys"
