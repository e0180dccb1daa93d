#!/usr/bin/env bash
# Successive halving under `sweep run` (issue 18): a 27-row grid with early_terminate
# {min_iter 1, eta 3} trains 27 rows to epoch 1, 9 to epoch 3 and 3 to epoch 9, each promoted
# row going on from its checkpoint; the promoted rows are bit-identical to the same rows trained
# straight through by a plain worker; `sweep plan --check` recomputes the promotions and catches
# a changed band record; a rerun runs nothing; a second storage run from scratch with -j 1 gives
# byte-identical promotion files. With `brackets: 3` (Hyperband) the rows split into brackets
# starting at epochs 1, 3 and 9.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/halving_lib.sh"
cd "$T"
write_halving_spec spec.yml
"$SWEEP_BIN" expand spec.yml >/dev/null 2>expand.err || fail "expand"
grep -q "rung 0 27 rows to epoch 1, rung 1 9 rows to epoch 3, rung 2 3 rows to epoch 9" expand.err \
  || { cat expand.err; fail "expand shows no plan"; }

timeout 120 "$SWEEP_BIN" run spec.yml --storage S -j 2 >run.log 2>&1 || { cat run.log; fail "run"; }
grep -q "^sweep: rung 0: 27 rows to epoch 1, running 27$" run.log || { cat run.log; fail "rung 0"; }
grep -q "^sweep: rung 1: 9 rows to epoch 3, running 9; promoted rows " run.log || fail "rung 1"
grep -q "^sweep: rung 2: 3 rows to epoch 9, running 3; promoted rows " run.log || fail "rung 2"
grep -q "63 epochs over all rungs" run.log || fail "no epoch total"
expect_eq "$(halving_counts S)" "27 9 3" "band records at 1 and 3, models"
final=$(json_get S/rungs/0-2.json '" ".join(map(str, d["rows"]))')
for r in $final; do
  [[ -f S/$r/result.json && -f S/$r/model/model.h5 ]] || fail "promoted row $r has no result"
  expect_eq "$(json_get "S/$r/result.json" 'len(d["resumes"])')" 2 "row $r resumes"
done
pass "27 rows to epoch 1, 9 to 3, 3 to 9 (rows $final), going on from checkpoints"

for r in $final; do
  SWEEP_THREADS=1 "$SWEEP_WORKER" --index "$r" --params spec.yml --storage ref >/dev/null 2>&1 \
    || fail "straight run of row $r"
  "$PY" "$SWEEP_SOURCE_DIR/tests/checkpoint_check.py" same "ref/$r" "S/$r" \
    || fail "row $r promoted twice differs from row $r trained straight through"
done
pass "promoted rows are bit-identical to the same rows trained straight through"

"$SWEEP_BIN" plan --storage S --check >check.out 2>&1 || { cat check.out; fail "plan --check"; }
grep -q "2 decisions checked, 0 mismatches" check.out || { cat check.out; fail "check output"; }
cp -r S tampered
loser=$(json_get S/rungs/0-1.json '[e["row"] for e in d["ranking"]][-1]')
"$PY" - "tampered/$loser/bands/1.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["metrics"]["val_accuracy"] = 1.5
json.dump(d, open(sys.argv[1], "w"))
PY
expect_exit 1 "$SWEEP_BIN" plan --storage tampered --check
grep -q "rungs/0-1.json: differs" "$T/out" || { cat "$T/out"; fail "tampering not named"; }
pass "plan --check passes, and fails naming rungs/0-1.json when a band record changes"

"$SWEEP_BIN" status S >status.out 2>&1 || { cat status.out; fail "status"; }
grep -q "^  rung 2: 3 rows to epoch 9 (promoted: [0-9,-]*), 3 recorded; best row [0-9]* val_accuracy=" \
  status.out || { cat status.out; fail "status shows no rungs"; }
! grep -q "^problem:" status.out || { cat status.out; fail "status sees foreign files"; }
pass "sweep status shows each rung's rows, records and best"

timeout 60 "$SWEEP_BIN" run spec.yml --storage S >rerun.log 2>&1 || { cat rerun.log; fail "rerun"; }
[[ $(grep -c "running 0" rerun.log) == 3 ]] || { cat rerun.log; fail "the rerun ran rows"; }
timeout 120 "$SWEEP_BIN" run spec.yml --storage S2 -j 1 >run2.log 2>&1 || { cat run2.log; fail "run 2"; }
same_decisions S S2
pass "a rerun runs nothing; a fresh run with -j 1 makes byte-identical promotions"

# Hyperband (the `brackets` extension): 3 brackets of 16, 7 and 4 rows starting at epochs 1, 3, 9.
sed 's/strict: true}/strict: true, brackets: 3}/' spec.yml >hb.yml
timeout 120 "$SWEEP_BIN" run hb.yml --storage HB -j 2 >hb.log 2>&1 || { cat hb.log; fail "hyperband run"; }
grep -q "^sweep: rung 0 of bracket 1: 7 rows to epoch 3, running 7$" hb.log || { cat hb.log; fail "bracket 1"; }
grep -q "^sweep: rung 0 of bracket 2: 4 rows to epoch 9, running 4$" hb.log || fail "bracket 2"
"$SWEEP_BIN" plan --storage HB --check >hb.check 2>&1 || { cat hb.check; fail "hyperband plan --check"; }
grep -q "3 decisions checked, 0 mismatches" hb.check || { cat hb.check; fail "hyperband decisions"; }
expect_eq "$(find HB -name model.h5 | wc -l)" 7 "hyperband final rows (1 + 2 + 4)"
pass "brackets: 3: Hyperband's brackets 16@1, 7@3, 4@9; 7 final rows; plan --check passes"
