#!/usr/bin/env bash
# Issue 15 item 2: a row whose loss becomes NaN or infinite has diverged; it has not succeeded.
# The real worker stops training at once and exits 0 with result.json (status diverged, where,
# the last finite epoch's metrics) and no model.h5; `sweep run` counts it apart and exits 0;
# collect never ranks it and lists it on its own line; status lists it apart and not to rerun;
# --failed and --missing leave it alone.
source "$(dirname "$0")/run_lib.sh"
cat > spec.yml <<'YAML'
defaults:
  dataset: "synthetic:regression?rows=200&features=8"
  loss: mse
  optimizer: sgd
  hidden: [16]
  epochs: 20
  validation_split: 0.2
runs:
  - {learning_rate: 0.01}
  - {learning_rate: LR_DIVERGES}
YAML
sed -i "s/LR_DIVERGES/${SWEEP_TEST_DIVERGING_LR:-0.3}/" spec.yml

# The worker alone: exit 0, a diverged result.json, no model.
"$SWEEP_WORKER" --params spec.yml --storage W --index 1 > worker.log 2>&1 \
  || { cat worker.log; fail "worker exit code $? for a diverged row"; }
grep -q 'row 1 diverged at epoch [0-9]* (step [0-9]*): \(train\|val\) loss ' worker.log \
  || { cat worker.log; fail "no divergence line"; }
! grep -q 'succeeded' worker.log || { cat worker.log; fail "a diverged row says succeeded"; }
[[ ! -e W/1/model/model.h5 ]] || fail "model.h5 published for a diverged row"
python3 - W/1/result.json <<'PY' || fail "result.json of the diverged row"
import json, math, sys
r = json.load(open(sys.argv[1]))
assert r["status"] == "diverged", r["status"]
assert r["format_version"] == 2, r
e = r["diverged_epoch"]
assert e >= 2, f"diverged in epoch {e}: pick a rate that diverges later (SWEEP_TEST_DIVERGING_LR)"
assert r["diverged_step"] >= 1
assert r["error"].startswith(f"diverged at epoch {e} (step "), r["error"]
assert "model" not in r and "exit_code" not in r, r
assert r["epochs"] == e - 1 == len(r["history"]) == r["best_epoch"], r
last = r["history"][-1]
for name in ("train_loss", "val_loss"):
    assert math.isfinite(last[name]), last
    assert r["metrics"][name] == last[name], (name, r["metrics"], last)
PY

# sweep run: row 0 succeeds, row 1 diverges; exit 0 (nothing to retry), counted apart.
timeout 120 "$SWEEP_BIN" run spec.yml --storage S -j 2 > run1.log 2>&1 || { cat run1.log; fail "run exit"; }
grep -q '^row 1 diverged at epoch [0-9]* (step [0-9]*): .* (no model)$' run1.log \
  || { cat run1.log; fail "run: row 1 line"; }
grep -q '^sweep: 1 of 2 rows succeeded, 1 diverged in ' run1.log || { cat run1.log; fail "run summary"; }
grep -q '^diverged rows: 1$' run1.log || { cat run1.log; fail "run: diverged list"; }
! grep -q -e '--failed\|failed rows' run1.log || { cat run1.log; fail "run: treated as failed"; }
[[ ! -e S/1/model/model.h5 ]] || fail "run: model.h5 for row 1"

timeout 30 "$SWEEP_BIN" collect S > collect.txt || fail "collect"
grep -q '^2 rows: 1 succeeded, 0 failed, 1 diverged, ' collect.txt || { cat collect.txt; fail "collect counts"; }
grep -q '^best: index 0 ' collect.txt || { cat collect.txt; fail "collect best"; }
grep -q '^diverged: 1: diverged at epoch ' collect.txt || { cat collect.txt; fail "collect diverged line"; }
! grep -q '^rerun' collect.txt || { cat collect.txt; fail "collect suggests a rerun"; }
timeout 30 "$SWEEP_BIN" collect S --format csv 2>/dev/null > board.csv
expect_eq "$(csv_rows board.csv)" 1 "CSV rows (the succeeded one only)"
timeout 30 "$SWEEP_BIN" status S > status.txt || fail "status"
grep -Eq '^  diverged +1  1$' status.txt || { cat status.txt; fail "status diverged line"; }
grep -q '^nothing to rerun$' status.txt || { cat status.txt; fail "status: diverged row to rerun"; }

# Neither --failed nor --missing (nor a plain rerun) starts it again.
touch -d '2000-01-01' S/1/result.json
for flags in --failed --missing "--missing --failed" ""; do
  # shellcheck disable=SC2086
  timeout 60 "$SWEEP_BIN" run spec.yml --storage S $flags > rerun.log 2>&1 \
    || { cat rerun.log; fail "run $flags exit"; }
  grep -q 'running 0 ' rerun.log || { cat rerun.log; fail "run $flags starts a row"; }
done
grep -q 'skipping 1 already succeeded and 1 diverged (--force reruns them)' rerun.log \
  || { cat rerun.log; fail "plain rerun: skip message"; }
[[ $(stat -c %Y S/1/result.json) -lt 1000000000 ]] || fail "diverged row rerun"
echo PASS
