#!/usr/bin/env bash
# Issue 15 items 10 and 11 with the real binaries: a tutorial-style row gets every problem in one
# go (aliases suggested, `Adam` accepted and recorded as adam), and a CSV whose first line is
# metadata (sklearn's iris.csv) trains as it is with `skip_rows: 1`.
source "$(dirname "$0")/lib.sh"

# 1. All problems of a row at once: one line each from validate, one line from the worker.
cat > "$T/tutorial.yml" <<YML
- {lr: 0.01, num_units: 64, dropout: 0.2, optimizer: Adam, epochs: 5}
YML
expect_exit 2 "$SWEEP_BIN" validate "$T/tutorial.yml"
for want in "row 0: dropout: unknown key (not supported: the network has no dropout layers)" \
  "row 0: lr: unknown key (did you mean 'learning_rate'?)" \
  "row 0: num_units: unknown key (did you mean 'hidden'?)" \
  "row 0: dataset: required key missing"; do
  grep -qF "$T/tutorial.yml: $want" "$T/err" || fail "validate lacks '$want': $(cat "$T/err")"
done
! grep -q "optimizer" "$T/err" || fail "optimizer: Adam was refused: $(cat "$T/err")"
[[ $(grep -c "^$T/tutorial.yml: row 0: " "$T/err") == 4 ]] || fail "$(cat "$T/err")"
expect_exit 2 "$SWEEP_WORKER" --params "$T/tutorial.yml" --storage "$T/s0" --index 0
grep -qF "row 0: dropout: unknown key (not supported: the network has no dropout layers); lr: \
unknown key (did you mean 'learning_rate'?); num_units: unknown key (did you mean 'hidden'?); \
dataset: required key missing" "$T/err" || fail "worker: $(cat "$T/err")"
pass "a tutorial row's problems all at once, aliases suggested"

# 2. Choices ignore case; result.json records the canonical names.
cat > "$T/case.yml" <<YML
- {dataset: "synthetic:blobs?rows=60", optimizer: Adam, activation: ReLU, lr_schedule: Cosine,
   hidden: [4], epochs: 1, threads: 1}
YML
expect_exit 0 "$SWEEP_BIN" validate "$T/case.yml"
expect_exit 0 "$SWEEP_WORKER" --params "$T/case.yml" --storage "$T/s1" --index 0
got=$(json_get "$T/s1/0/result.json" \
  '[d["params"][k] for k in ("optimizer", "activation", "lr_schedule")]')
[[ $got == "['adam', 'relu', 'cosine']" ]] || fail "result.json params: $got"
pass "choices are case-insensitive and recorded in lower case"

# 3. sklearn's iris.csv: a metadata first line, then 4 features and a class index.
"$PY" - "$T/iris.csv" <<'PYEOF'
import random, sys
random.seed(3)
centres = [(5.0, 3.4, 1.5, 0.2), (5.9, 2.8, 4.3, 1.3), (6.6, 3.0, 5.6, 2.0)]
with open(sys.argv[1], "w") as f:
    f.write("150,4,setosa,versicolor,virginica\n")
    for _ in range(10):
        for label, c in enumerate(centres):
            f.write(",".join(f"{v + random.uniform(-.2, .2):.1f}" for v in c) + f",{label}\n")
PYEOF
cat > "$T/noskip.yml" <<YML
- {dataset: iris.csv, hidden: [8], epochs: 20, threads: 1}
YML
expect_exit 2 "$SWEEP_BIN" validate "$T/noskip.yml"
grep -qF "dataset of row 0: $T/iris.csv: line 1: field 3: 'setosa' is not a number (does the \
file start with a line that is not data? skip_rows: 1 skips it)" "$T/err" \
  || fail "validate without skip_rows: $(cat "$T/err")"
cat > "$T/iris.yml" <<YML
- {dataset: iris.csv, test_dataset: iris.csv, skip_rows: 1, hidden: [8], epochs: 20, threads: 1}
YML
expect_exit 0 "$SWEEP_BIN" validate "$T/iris.yml"
expect_exit 0 "$SWEEP_WORKER" --params "$T/iris.yml" --storage "$T/s2" --index 0
grep -q '30 rows x 4 features, 3 classes' "$T/err" || fail "worker log: $(cat "$T/err")"
[[ $(json_get "$T/s2/0/result.json" 'd["params"]["skip_rows"]') == 1 ]] || fail "no skip_rows"
[[ -f $T/s2/0/model/model.h5 ]] || fail "no model.h5"
pass "a CSV with a metadata first line trains with skip_rows: 1"

# 4. skip_rows on a file that is not CSV: an error naming the format, before anything is read.
cat > "$T/h5.yml" <<YML
- {dataset: "synthetic:blobs?rows=60", skip_rows: 1, epochs: 1}
YML
expect_exit 2 "$SWEEP_BIN" validate "$T/h5.yml"
grep -qF "skip_rows applies to CSV files only, not a synthetic: set" "$T/err" \
  || fail "validate: $(cat "$T/err")"
expect_exit 2 "$SWEEP_WORKER" --params "$T/h5.yml" --storage "$T/s3" --index 0
grep -qF "row 0: dataset: synthetic:blobs?rows=60: skip_rows applies to CSV files only" "$T/err" \
  || fail "worker: $(cat "$T/err")"
pass "skip_rows refused for a synthetic: set, naming it"
