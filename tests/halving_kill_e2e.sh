#!/usr/bin/env bash
# Crash anywhere, resume exactly (issue 18): `sweep run` of the 27-row successive-halving grid
# is SIGKILLed, with its workers, at 10 random moments (inside training, between rungs, while a
# promotion or a band record is being written); rerunning the same command each time, then once
# to the end, gives byte-identical promotion files and bit-identical final rows to an
# uninterrupted run, and `sweep plan --check` passes. The same with 5 kills of a `method: bayes`
# run (TPE waves): byte-identical wave files and results.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/halving_lib.sh"
cd "$T"
write_halving_spec spec.yml
sed -i 's/rows=300/rows=4000/' spec.yml  # slower rows: kills land inside training too
now() { date +%s.%N; }
# max_delay START POINTS: the longest random delay, so that POINTS kills land before the work is
# done however fast this machine is: the uninterrupted run's seconds / (POINTS + 5).
max_delay() { "$PY" -c "import sys; print(max(0.04, ($(now) - $1) / ($2 + 5)))"; }
t0=$(now)
timeout 120 "$SWEEP_BIN" run spec.yml --storage ref -j 1 >ref.log 2>&1 || { cat ref.log; fail "reference"; }
delay=$(max_delay "$t0" 10)

kills=0
# kill_run SPEC ROOT: starts `sweep run`, SIGKILLs it and its workers after a random delay of
# 0.03 s to $delay.
kill_run() {
  "$SWEEP_BIN" run "$1" --storage "$2" -j 1 >>runs.log 2>&1 &
  local runner workers w
  runner=$!
  sleep "$("$PY" -c "import random; print(round(random.uniform(0.03, $delay), 3))")"
  workers=$(ps -o pid= --ppid "$runner" || true)
  if kill -KILL "$runner" 2>/dev/null; then
    kills=$((kills + 1))
    for w in $workers; do kill -KILL "$w" 2>/dev/null || true; done
  fi
  wait "$runner" 2>/dev/null || true
  for w in $workers; do while kill -0 "$w" 2>/dev/null; do sleep 0.01; done; done
}
for point in 1 2 3 4 5 6 7 8 9 10; do
  kill_run spec.yml S
  echo "kill point $point: $(halving_counts S) (band records at 1, at 3, models); $(ls S/rungs 2>/dev/null | wc -l) promotions"
done
((kills >= 8)) || fail "only $kills of 10 runs were still going when killed (delays up to $delay s)"
timeout 120 "$SWEEP_BIN" run spec.yml --storage S -j 1 >last.log 2>&1 || { cat last.log; fail "last run"; }
same_halving_outcome ref S
pass "$kills SIGKILLs of sweep run and its workers: same promotions, bit-identical final rows"

write_bayes_spec bayes.yml 4
sed -i 's/rows=300/rows=4000/' bayes.yml
t0=$(now)
timeout 120 "$SWEEP_BIN" run bayes.yml --storage bref -j 1 >bref.log 2>&1 || { cat bref.log; fail "bayes reference"; }
delay=$(max_delay "$t0" 5)
kills=0
for point in 1 2 3 4 5; do
  kill_run bayes.yml B
  echo "bayes kill point $point: $(find B -name result.json | wc -l) results, $(ls B/waves 2>/dev/null | wc -l) waves"
done
((kills >= 4)) || fail "only $kills of 5 bayes runs were still going when killed (delays up to $delay s)"
timeout 120 "$SWEEP_BIN" run bayes.yml --storage B -j 1 >blast.log 2>&1 || { cat blast.log; fail "bayes last run"; }
same_waves bref B "waves differ"
"$PY" - bref B <<'PY' || fail "bayes rows differ from the uninterrupted run"
import json, sys
for i in range(24):
    a, b = (json.load(open(f"{root}/{i}/result.json")) for root in sys.argv[1:])
    assert a["status"] == b["status"] and a["params"] == b["params"], i
    assert a["metrics"] == b["metrics"], (i, a["metrics"], b["metrics"])
    assert [e.get("val_loss") for e in a["history"]] == [e.get("val_loss") for e in b["history"]], i
PY
pass "$kills SIGKILLs of a bayes run: byte-identical waves, the same params and metrics"
