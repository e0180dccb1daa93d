#!/usr/bin/env bash
# The CLI's rough edges (issue 15 item 12): an unknown command lists the commands (with "did you
# mean"), `sweep help [CMD]` shows the help, a misspelled flag gets "did you mean", and one row
# is "1 row".
source "$(dirname "$0")/lib.sh"
expect_exit 2 "$SWEEP_BIN" foo
grep -q "unknown command 'foo'; the commands are: expand, validate, run" "$T/err" || fail "$(cat "$T/err")"
expect_exit 2 "$SWEEP_BIN" colect
grep -q "(did you mean 'collect'?)" "$T/err" || fail "$(cat "$T/err")"
expect_exit 0 "$SWEEP_BIN" help
grep -q "Subcommands:" "$T/out" || fail "sweep help: $(head -3 "$T/out")"
expect_exit 0 "$SWEEP_BIN" help serve
grep -q '^Usage: sweep serve' "$T/out" || fail "sweep help serve: $(head -3 "$T/out")"
expect_exit 2 "$SWEEP_BIN" help nope
expect_exit 2 "$SWEEP_BIN" run --stoarge "$T/s" spec.yml
grep -q "sweep run: unknown option '--stoarge' (did you mean '--storage'?)" "$T/err" \
  || fail "$(cat "$T/err")"
echo '- {dataset: "synthetic:blobs?rows=60", epochs: 1}' > "$T/one.yml"
expect_exit 0 "$SWEEP_BIN" run "$T/one.yml" --storage "$T/s1"
grep -q '^sweep: 1 row in ' "$T/err" || fail "$(cat "$T/err")"
grep -q '1 of 1 row succeeded' "$T/err" || fail "$(cat "$T/err")"
expect_exit 0 "$SWEEP_BIN" validate "$T/one.yml"
grep -qx '1 row OK' "$T/out" || fail "validate: $(cat "$T/out")"
expect_exit 0 "$SWEEP_BIN" expand "$T/one.yml"
grep -q '^1 row (list, hash ' "$T/err" || fail "expand: $(cat "$T/err")"
echo '- {dataset: "synthetic:blobs?rows=60", lr: 1}' > "$T/bad1.yml"
expect_exit 2 "$SWEEP_BIN" validate "$T/bad1.yml"
grep -qx '1 problem in a spec of 1 row' "$T/err" || fail "validate bad: $(cat "$T/err")"
pass "unknown commands and flags, help, 1 row"
