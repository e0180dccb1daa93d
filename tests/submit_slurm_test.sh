#!/usr/bin/env bash
# `sweep submit --engine slurm` on a real single-node Slurm (Debian's slurm-wlm + munge, started
# here as root with a config under the temp folder; shared/notes/local-services.md §2): a 4-row
# sweep with MaxArraySize=3, so it goes out as two arrays (rows 0-2, then row 3 via
# SWEEP_INDEX_OFFSET), at most 2 tasks at a time, --wait until done; then every row succeeded
# (result.json and `sweep collect`), each task left its log, and all daemons stop by pid. A
# bad-input row fails once, and status/collect show its reason from the task log.
# Skips (77) without root or without slurmctld/slurmd/munged: scripts/setup.sh installs them.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

source "$(dirname "$0")/slurm_lib.sh"

cat >"$T/spec.yml" <<'YAML'
method: grid
parameters:
  dataset:
    value: "synthetic:blobs?rows=200&features=8&classes=3"
  hidden:
    value: [16]
  epochs:
    value: 2
  batch_size:
    value: 32
  learning_rate:
    values: [0.001, 0.003, 0.01, 0.03]
YAML
S="$T/results"
cd "$T" || exit 1
expect_exit 0 timeout 300 "$SWEEP_BIN" submit spec.yml --engine slurm --storage results \
  --max-parallel 2 --wait --wait-timeout 240
cat "$T/out"
[[ $(grep -c "^submitted " "$T/out") == 2 ]] || { cat "$T/err"; dump_logs; fail "want 2 arrays (MaxArraySize=3)"; }
grep -q "(array 0-2%2, rows 0-2)" "$T/out" || fail "first array"
grep -q "(array 0-0%2, rows 3)" "$T/out" || fail "second array (row 3 via the offset)"
grep -q "^done: 4 succeeded, 0 failed, 0 without a result" "$T/out" || { cat "$T/err"; dump_logs; fail "not all rows succeeded"; }

for i in 0 1 2 3; do
  [[ $(json_get "$S/$i/result.json" 'd["status"]') == succeeded ]] || fail "row $i not succeeded"
  [[ $(json_get "$S/$i/result.json" 'd["index"]') == "$i" ]] || fail "row $i has another index"
  [[ -s $S/$i/model/model.h5 ]] || fail "row $i: no model"
done
lr3=$(json_get "$S/3/result.json" 'd["params"]["learning_rate"]')
[[ $lr3 == 0.03 ]] || fail "row 3 trained learning_rate=$lr3, not the 4th value (offset lost?)"
logs=("$S"/.slurm/sweep-*_*.out)
[[ ${#logs[@]} == 4 ]] || fail "want 4 task logs, got ${#logs[@]}: ${logs[*]}"
pass "4 rows succeeded through 2 arrays; per-task logs in results/.slurm"

expect_exit 0 "$SWEEP_BIN" collect "$S"
cat "$T/out" "$T/err"
grep -q "^4 rows: 4 succeeded, 0 failed, 0 unfinished, 0 missing, 0 corrupt" "$T/out" "$T/err" \
  || fail "sweep collect does not show 4 succeeded"
! grep -q "^problem:" "$T/out" "$T/err" || fail "sweep collect sees foreign files (the logs?)"
expect_exit 0 "$SWEEP_BIN" collect "$S" --format json
[[ $("$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$T/out") == 4 ]] \
  || fail "leaderboard does not hold 4 rows"
pass "sweep collect: 4 succeeded"

# A row with bad input fails for good (the worker exits 2 before training, Slurm does not
# requeue it): --wait reports it from the task exit codes and exits 2 too; the good row succeeds.
cat >bad.yml <<'YAML'
- {dataset: "synthetic:blobs?rows=200&features=8&classes=3", epochs: 1}
- {dataset: "synthetic:blobs?rows=200&features=8&classes=3", epochs: 1, learning_rate: -1}
YAML
expect_exit 2 timeout 300 "$SWEEP_BIN" submit bad.yml --engine slurm --storage bad-results --wait --wait-timeout 240
grep -q "^done: 1 succeeded, 0 failed, 1 without a result (highest task exit code 2)" "$T/out" || { cat "$T/out" "$T/err"; fail "bad row not reported"; }
grep -q "did not succeed (1)" "$T/err" || { cat "$T/err"; fail "failed row not named"; }
grep -q "^  row 1: learning_rate must be > 0, got -1 (" "$T/out" || { cat "$T/out"; fail "--wait does not say why"; }
grep -q "learning_rate" "$T"/bad-results/.slurm/*_1.out || fail "the task log does not say why"
pass "a bad-input row fails once, is reported, and submit --wait exits 2"

# It published nothing, so it counts as missing; status and collect show why, from its task log.
expect_exit 0 "$SWEEP_BIN" status bad-results
cat "$T/out"
grep -q "^  row 1: learning_rate must be > 0, got -1 (bad-results/.slurm/[^ ]*_1.out)$" "$T/out" \
  || fail "sweep status does not give the missing row's reason"
grep -q "^to rerun: 1  (\`sweep submit bad.yml --engine slurm --storage bad-results --missing --failed\`" "$T/out" \
  || fail "sweep status does not resubmit to Slurm"
expect_exit 0 "$SWEEP_BIN" collect bad-results
if ! grep -q "^missing: 1$" "$T/out" "$T/err" || ! grep -q "^  row 1: .*learning_rate" "$T/out" "$T/err"; then
  cat "$T/out" "$T/err"
  fail "sweep collect does not give the missing row's reason"
fi
pass "status and collect show the bad row's reason from its Slurm log, and resubmit to Slurm"

# A second submit of the same spec into the same storage is the same sweep: --failed finds none.
expect_exit 0 "$SWEEP_BIN" submit spec.yml --engine slurm --storage results --failed --wait
grep -q "nothing to submit" "$T/err" || fail "--failed resubmitted finished rows"
# Another spec into the same storage is refused before anything is queued.
sed 's/0.03]/0.1]/' spec.yml >other.yml
expect_exit 2 "$SWEEP_BIN" submit other.yml --engine slurm --storage results
grep -q "3 unchanged (kept), 1 changed (rerun): 3, 0 new, 0 removed" "$T/err" \
  || { cat "$T/err"; fail "the refusal does not count the rows"; }
pass "resubmission: nothing failed; a changed spec into the same storage is refused"

# --replan moves row 3 aside before --missing selects: only row 3 is queued, rows 0-2 stay.
touch -d '2000-01-01' "$S"/{0,1,2}/result.json
expect_exit 0 timeout 300 "$SWEEP_BIN" submit other.yml --engine slurm --storage results \
  --replan --missing --wait --wait-timeout 240
grep -q "replanned .*1 changed (rerun): 3" "$T/err" || { cat "$T/err"; fail "replan not logged"; }
grep -q "(array 0-0, rows 3)" "$T/out" || { cat "$T/out"; fail "--missing after --replan"; }
[[ $(json_get "$S/3/result.json" 'd["params"]["learning_rate"]') == 0.1 ]] || fail "row 3 not rerun"
for i in 0 1 2; do
  [[ $(stat -c %Y "$S/$i/result.json") -lt 1000000000 ]] || fail "unchanged row $i was rerun"
done
ls "$S"/history/*/3/result.json >/dev/null || fail "row 3's old result is not in history"
pass "submit --replan --missing reruns only the changed row"

# --pack 3: the 4 rows in one array of 2 tasks (rows 0-2, then row 3), each task one process.
expect_exit 0 timeout 300 "$SWEEP_BIN" submit spec.yml --engine slurm --storage packed --pack 3 \
  --wait --wait-timeout 240
grep -q "(array 0-1, rows 0-3)" "$T/out" || { cat "$T/out" "$T/err"; fail "--pack 3 array"; }
grep -q "^done: 4 succeeded, 0 failed, 0 without a result" "$T/out" || { cat "$T/err"; dump_logs; fail "packed rows"; }
plogs=("$T"/packed/.slurm/sweep-*_*.out)
[[ ${#plogs[@]} == 2 ]] || fail "want 2 task logs, got ${#plogs[@]}"
grep -q "pack of 3: 3 trained" "$T"/packed/.slurm/*_0.out || fail "task 0 did not train rows 0-2"
grep -q "pack of 1: 1 trained" "$T"/packed/.slurm/*_1.out || fail "task 1 did not train row 3"
lrs=(0.001 0.003 0.01 0.03)
for i in 0 1 2 3; do
  [[ $(json_get "$T/packed/$i/result.json" 'd["params"]["learning_rate"]') == "${lrs[$i]}" ]] \
    || fail "packed row $i trained another row"
done
pass "submit --pack 3: 4 rows in 2 Slurm tasks, each row published as its own"
