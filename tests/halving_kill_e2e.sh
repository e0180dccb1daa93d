#!/usr/bin/env bash
# Crash anywhere, resume exactly (issue 18): `sweep run` of the 27-row successive-halving grid
# is SIGKILLed, with its workers, at 10 random moments (inside training, between rungs, while a
# promotion or a band record is being written); rerunning the same command each time, then once
# to the end, gives byte-identical promotion files and bit-identical final rows to an
# uninterrupted run, and `sweep plan --check` passes.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/halving_lib.sh"
cd "$T"
write_halving_spec spec.yml
sed -i 's/rows=300/rows=4000/' spec.yml  # slower rows: kills land inside training too
timeout 120 "$SWEEP_BIN" run spec.yml --storage ref -j 1 >ref.log 2>&1 || { cat ref.log; fail "reference"; }

kills=0
for point in 1 2 3 4 5 6 7 8 9 10; do
  "$SWEEP_BIN" run spec.yml --storage S -j 1 >>runs.log 2>&1 &
  runner=$!
  sleep "$("$PY" -c 'import random; print(round(random.uniform(0.03, 0.2), 3))')"
  workers=$(ps -o pid= --ppid "$runner" || true)
  if kill -KILL "$runner" 2>/dev/null; then
    kills=$((kills + 1))
    for w in $workers; do kill -KILL "$w" 2>/dev/null || true; done
  fi
  wait "$runner" 2>/dev/null || true
  for w in $workers; do while kill -0 "$w" 2>/dev/null; do sleep 0.01; done; done
  echo "kill point $point: $(halving_counts S) (band records at 1, at 3, models); $(ls S/rungs 2>/dev/null | wc -l) promotions"
done
((kills >= 6)) || fail "only $kills of 10 runs were still going when killed"
timeout 120 "$SWEEP_BIN" run spec.yml --storage S -j 1 >last.log 2>&1 || { cat last.log; fail "last run"; }
expect_eq "$(halving_counts S)" "27 9 3" "band records at 1 and 3, models"
same_decisions ref S
for r in $(json_get ref/rungs/0-2.json '" ".join(map(str, d["rows"]))'); do
  "$PY" "$SWEEP_SOURCE_DIR/tests/checkpoint_check.py" same "ref/$r" "S/$r" || fail "row $r differs"
done
"$SWEEP_BIN" plan --storage S --check >check.out 2>&1 || { cat check.out; fail "plan --check"; }
pass "$kills SIGKILLs of sweep run and its workers: same promotions, bit-identical final rows"
