#!/usr/bin/env bash
# On a terminal (a pty from script(1)) `sweep run` redraws one status line; in a pipe it
# prints plain lines only, with no control characters.
source "$(dirname "$0")/run_lib.sh"
command -v script > /dev/null || { echo "SKIP: script(1) not installed"; exit 0; }
write_grid_spec spec.yml
timeout 120 script -qfec "stty cols 160; '$SWEEP_BIN' run spec.yml -j 2 --storage S" tty.txt > /dev/null \
  || { cat tty.txt; fail "run under a pty"; }
grep -q $'\r\033\[K[0-9]/6 done, [0-9] running, 0 failed, 0 skipped | ' tty.txt \
  || { cat -v tty.txt; fail "no redrawn status line"; }
grep -q 'elapsed' tty.txt || fail "no elapsed time"
grep -q 'best train_accuracy=\|best val_accuracy=' tty.txt || { cat -v tty.txt; fail "no best so far"; }
grep -q 'row [0-5] succeeded in ' tty.txt || fail "no row lines"

timeout 120 "$SWEEP_BIN" run spec.yml -j 2 --storage P2 2>&1 | cat > pipe.txt
if grep -q $'[\r\033]' pipe.txt; then cat -v pipe.txt; fail "control characters in a pipe"; fi
expect_eq "$(grep -c '^row [0-5] succeeded in ' pipe.txt)" 6 "plain row lines"
echo PASS
