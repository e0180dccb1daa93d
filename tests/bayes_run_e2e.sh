#!/usr/bin/env bash
# `method: bayes` as TPE waves under `sweep run` (issue 18): run_cap 24, wave_size 8 on a fixed
# seed gives waves/1.json and waves/2.json, each row trained as its wave file says; a rerun from
# scratch gives byte-identical proposals, and so does a copy of the storage (another machine)
# whose last wave file is deleted and recomputed; `sweep plan --check` passes, and fails when an
# earlier result changes.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/halving_lib.sh"
cd "$T"
write_bayes_spec spec.yml 6
echo '  batch_size: {distribution: int_uniform, min: 8, max: 64}' >>spec.yml
"$SWEEP_BIN" expand spec.yml >/dev/null 2>expand.err || fail "expand"
grep -q "^bayes (TPE): 24 rows in 3 waves of 8" expand.err || { cat expand.err; fail "expand shows no waves"; }
timeout 120 "$SWEEP_BIN" run spec.yml --storage S -j 2 >run.log 2>&1 || { cat run.log; fail "run"; }
grep -q "^sweep: wave 2: rows 16-23, running 8$" run.log || { cat run.log; fail "no wave 2"; }
[[ -f S/waves/1.json && -f S/waves/2.json && ! -e S/waves/3.json ]] || fail "wave files"
[[ $(find S -name result.json | wc -l) == 24 ]] || fail "not 24 results"
"$PY" - S <<'PY' || fail "a row is not its wave's proposal"
import json, sys
root = sys.argv[1]
for w in (1, 2):
    wave = json.load(open(f"{root}/waves/{w}.json"))
    for s, row in enumerate(wave["rows"]):
        got = json.load(open(f"{root}/{8 * w + s}/result.json"))["params"]
        assert got["batch_size"] == row["batch_size"] and got["hidden"] == row["hidden"], (w, s)
        assert abs(got["learning_rate"] - row["learning_rate"]) <= 1e-6 * row["learning_rate"], (w, s)
assert json.load(open(f"{root}/waves/2.json"))["random"] == [3, 7]
PY
pass "24 rows in 3 waves of 8; rows 8-23 trained as waves/1.json and waves/2.json propose"

"$SWEEP_BIN" status S >status.out 2>&1 || { cat status.out; fail "status"; }
grep -q "^  wave 2: rows 16-23 (proposed), 8 finished; best row [0-9]* val_accuracy=" status.out \
  || { cat status.out; fail "status shows no waves"; }
! grep -q "^problem:" status.out || { cat status.out; fail "status sees foreign files"; }

timeout 120 "$SWEEP_BIN" run spec.yml --storage S2 -j 1 >run2.log 2>&1 || { cat run2.log; fail "run 2"; }
same_waves S S2 "a rerun from scratch proposed other rows"
cp -r S copy
rm copy/waves/2.json
"$SWEEP_BIN" plan --storage copy --check >copy.check 2>&1 || { cat copy.check; fail "check of the copy"; }
timeout 60 "$SWEEP_BIN" run spec.yml --storage copy >copy.log 2>&1 || { cat copy.log; fail "copy run"; }
cmp S/waves/2.json copy/waves/2.json || fail "the copy recomputed another wave 2"
pass "byte-identical proposals from scratch and from a copy of the storage"

"$SWEEP_BIN" plan --storage S --check >check.out 2>&1 || { cat check.out; fail "plan --check"; }
grep -q "2 waves checked, 0 mismatches" check.out || { cat check.out; fail "check output"; }
"$PY" - S/9/result.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["metrics"]["val_accuracy"] = 2.0
json.dump(d, open(sys.argv[1], "w"))
PY
expect_exit 1 "$SWEEP_BIN" plan --storage S --check
grep -q "waves/2.json: differs" "$T/out" || { cat "$T/out"; fail "the changed result is not caught"; }
pass "plan --check recomputes the waves, and catches a changed earlier result"
