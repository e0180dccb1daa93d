#!/usr/bin/env bash
# A changed spec on a storage with results: refused (exit 2) naming the unchanged, changed, new
# and removed rows; with --replan the unchanged rows keep their results (not rerun), the changed
# rows' files move to {storage}/history/{stamp}/ with the old sweep.json, the rest runs.
# A W&B random spec whose run_cap grows from 3 to 5 keeps rows 0-2 as they are.
source "$(dirname "$0")/run_lib.sh"

write_list() {  # write_list LR...: one row per learning rate
  { for lr in "$@"; do
      echo "- {dataset: \"synthetic:blobs?rows=200&features=8&classes=3\", epochs: 2, learning_rate: $lr}"
    done; } > spec.yml
}
write_list 0.1 0.01 0.001
timeout 120 "$SWEEP_BIN" run spec.yml -j 2 --storage S > run1.log 2>&1 || { cat run1.log; fail "run 1"; }
touch -d '2000-01-01' S/{0,1,2}/result.json

# Row 1 changes, row 3 is new: refused, nothing moves, nothing runs.
write_list 0.1 0.05 0.001 0.2
code=0
timeout 60 "$SWEEP_BIN" run spec.yml --storage S > refused.log 2>&1 || code=$?
expect_eq "$code" 2 "changed spec without --replan"
grep -qF '2 unchanged (kept), 1 changed (rerun): 1, 1 new: 3, 0 removed' refused.log \
  || { cat refused.log; fail "refusal counts"; }
grep -qF -- '--replan' refused.log || fail "refusal names --replan"
[[ ! -e S/history && ! -e S/3 ]] || fail "a refused replan changed the storage"

timeout 120 "$SWEEP_BIN" run spec.yml -j 2 --storage S --replan > replan.log 2>&1 \
  || { cat replan.log; fail "--replan"; }
grep -q 'replanned S: 2 unchanged (kept), 1 changed (rerun): 1, 1 new: 3' replan.log \
  || { cat replan.log; fail "replan summary"; }
expect_eq "$(grep '^row [0-9]* succeeded in ' replan.log | awk '{print $2}' | sort | tr '\n' ' ')" \
  "1 3 " "rows run after the replan"
for i in 0 2; do
  [[ $(stat -c %Y S/$i/result.json) -lt 1000000000 ]] || fail "unchanged row $i was rerun"
done
history=$(ls -d S/history/*/)
[[ -f ${history}1/result.json && -f ${history}1/model/model.h5 && -f ${history}sweep.json ]] \
  || { find S/history; fail "row 1's old files and the old plan are not in history"; }
python3 - "$history" <<'PY' || fail "history contents"
import json, sys
h = sys.argv[1]
old = json.load(open(h + "sweep.json"))
assert old["count"] == 3 and old["rows"][1]["learning_rate"] == 0.01, old
assert json.load(open(h + "1/result.json"))["params"]["learning_rate"] == 0.01
new = json.load(open("S/sweep.json"))
assert new["count"] == 4 and len(new["row_hashes"]) == 4, new
assert json.load(open("S/1/result.json"))["params"]["learning_rate"] == 0.05
PY
timeout 30 "$SWEEP_BIN" status S > status.txt || { cat status.txt; fail "status after replan"; }
grep -Eq 'succeeded +4' status.txt || { cat status.txt; fail "status counts"; }
grep -q 'not part of a sweep' status.txt && { cat status.txt; fail "history reported as foreign"; }

# Removing a row moves it aside too; the rest stays.
write_list 0.1 0.05 0.001
timeout 60 "$SWEEP_BIN" run spec.yml --storage S --replan > shrink.log 2>&1 \
  || { cat shrink.log; fail "shrink"; }
grep -q '3 unchanged (kept), 0 changed (rerun), 0 new, 1 removed: 3' shrink.log \
  || { cat shrink.log; fail "shrink summary"; }
[[ ! -e S/3 ]] || fail "removed row 3 still in place"
expect_eq "$(ls -d S/history/*/ | wc -l)" 2 "history folders"

# W&B random: raising run_cap keeps the first rows (the same seed draws them again).
cat > rand.yml <<'YAML'
method: random
run_cap: 3
parameters:
  dataset: {value: "synthetic:blobs?rows=200&features=8&classes=3"}
  epochs: {value: 1}
  learning_rate: {distribution: log_uniform_values, min: 0.001, max: 0.1}
YAML
timeout 120 "$SWEEP_BIN" run rand.yml -j 2 --storage R > r1.log 2>&1 || { cat r1.log; fail "random run"; }
sed -i 's/run_cap: 3/run_cap: 5/' rand.yml
code=0
timeout 60 "$SWEEP_BIN" run rand.yml --storage R > r2.log 2>&1 || code=$?
expect_eq "$code" 2 "run_cap raised without --replan"
grep -qF '3 unchanged (kept), 0 changed (rerun), 2 new: 3,4, 0 removed' r2.log \
  || { cat r2.log; fail "run_cap refusal"; }
timeout 120 "$SWEEP_BIN" run rand.yml -j 2 --storage R --replan > r3.log 2>&1 \
  || { cat r3.log; fail "run_cap replan"; }
expect_eq "$(grep '^row [0-9]* succeeded in ' r3.log | awk '{print $2}' | sort | tr '\n' ' ')" \
  "3 4 " "rows run after raising run_cap"
echo PASS
