#!/usr/bin/env bash
# The worker contract: index from the engine's variable, model.h5 + result.json published under
# {storage}/{index}, Keras layout readable by h5py as Keras 2's loader walks it.
source "$(dirname "$0")/lib.sh"

cat > "$T/p.yml" <<'YML'
- {dataset: "synthetic:blobs?rows=300&features=6&classes=3&seed=1", hidden: [8], epochs: 2, seed: 1}
- {dataset: "synthetic:blobs?rows=300&features=6&classes=3&seed=1", hidden: [16, 8], epochs: 2, seed: 2}
- {dataset: "synthetic:blobs?rows=300&features=6&classes=3&seed=1", hidden: [12, 5], epochs: 3,
   activation: tanh, optimizer: momentum, nesterov: true, learning_rate: 0.05, validation_split: 0.2}
YML
S=$T/storage
AWS_BATCH_JOB_ARRAY_INDEX=2 "$SWEEP_WORKER" --params "$T/p.yml" --storage "$S" > "$T/log" 2>&1 || { cat "$T/log"; fail "worker failed"; }
[[ -f $S/2/model/model.h5 && -f $S/2/result.json ]] || fail "row 2 not published"
[[ ! -e $S/0 && ! -e $S/1 ]] || fail "other rows published"
[[ $(json_get "$S/2/result.json" 'd["index"], d["status"], d["params"]["hidden"], len(d["history"])') == "2 succeeded [12, 5] 3" ]] \
  || fail "result.json content: $(cat "$S/2/result.json")"
json_get "$S/2/result.json" '[d["metrics"][k] for k in ("train_loss","train_accuracy","val_loss","val_accuracy")]' >/dev/null
# One history line per epoch, the rate as written in the spec (0.05, not 0.0500000007).
[[ $(grep -c '^    {"epoch":' "$S/2/result.json") == 3 ]] || fail "history not one line per epoch"
grep -q '"learning_rate":0.05,' "$S/2/result.json" || fail "learning_rate: $(grep -m1 epoch "$S/2/result.json")"
[[ $(grep -c '^epoch ' "$T/log") == 3 ]] || fail "expected one log line per epoch"
grep -q $'\033' "$T/log" && fail "ANSI codes in a non-terminal log"
pass "row 2 published"

"$PY" "$SWEEP_SOURCE_DIR/tests/h5py_keras_check.py" "$S/2/model/model.h5" > "$T/h5" || fail "h5py check"
[[ $(grep -v '^OK' "$T/h5") == $'dense (6, 12) (12,)\ndense_1 (12, 5) (5,)\ndense_2 (5, 3) (3,)' ]] \
  || fail "layer shapes: $(cat "$T/h5")"
grep -q '^OK: .*full model file' "$T/h5" || fail "not a full-model file (keras.models.load_model): $(cat "$T/h5")"
pass "h5py reads the weights as Keras would"

# Other engines' variables and the explicit flag.
SLURM_ARRAY_TASK_ID=0 "$SWEEP_WORKER" --params "$T/p.yml" --storage "$S" >/dev/null 2>&1 || fail "slurm index"
JOB_COMPLETION_INDEX=1 "$SWEEP_WORKER" --params "$T/p.yml" --storage "$S" >/dev/null 2>&1 || fail "k8s index"
[[ -f $S/0/result.json && -f $S/1/result.json ]] || fail "rows 0/1 not published"
SWEEP_PARAMS=$T/p.yml SWEEP_STORAGE=$T/s2 "$SWEEP_WORKER" --index 1 --set epochs=1 >/dev/null 2>&1 || fail "flag index"
[[ $(json_get "$T/s2/1/result.json" 'd["epochs"]') == 1 ]] || fail "--set epochs=1 not applied"
pass "index from SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX and --index; env SWEEP_PARAMS/SWEEP_STORAGE"

# Rerun overwrites cleanly, same seed -> identical weights.
cp "$S/2/model/model.h5" "$T/first.h5"
AWS_BATCH_JOB_ARRAY_INDEX=2 "$SWEEP_WORKER" --params "$T/p.yml" --storage "$S" --threads 1 >/dev/null 2>&1
AWS_BATCH_JOB_ARRAY_INDEX=2 "$SWEEP_WORKER" --params "$T/p.yml" --storage "$S" --threads 1 >/dev/null 2>&1
cp "$S/2/model/model.h5" "$T/a.h5"
AWS_BATCH_JOB_ARRAY_INDEX=2 "$SWEEP_WORKER" --params "$T/p.yml" --storage "$S" --threads 1 >/dev/null 2>&1
"$PY" - "$T/a.h5" "$S/2/model/model.h5" <<'PYEOF' || fail "reruns differ"
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r")["model_weights"], h5py.File(sys.argv[2], "r")["model_weights"]
for layer in a.attrs["layer_names"]:
    for w in a[layer].attrs["weight_names"]:
        assert np.array_equal(a[layer][w][()], b[layer][w][()]), (layer, w)
PYEOF
[[ -z $(find "$S" -name '*.tmp*') ]] || fail "temp files left behind"
pass "reruns overwrite cleanly and are bit-identical"

# A W&B spec's warning (random draws that repeat a row): `sweep` warns once, the array's workers
# stay quiet.
cat > "$T/wandb.yml" <<'YML'
method: random
run_cap: 2
parameters:
  dataset: {value: "synthetic:blobs?rows=100&features=4&classes=2&seed=1"}
  epochs: {value: 1}
  seed: {values: [1]}
YML
"$SWEEP_BIN" expand "$T/wandb.yml" > /dev/null 2> "$T/expand.err" || fail "expand wandb spec"
grep -q 'row 1 repeats row 0' "$T/expand.err" || fail "sweep expand did not warn: $(cat "$T/expand.err")"
"$SWEEP_WORKER" --params "$T/wandb.yml" --storage "$T/s3" --index 1 > "$T/wlog" 2>&1 || fail "worker on wandb spec"
grep -q 'repeats' "$T/wlog" && fail "the worker repeated the spec warning"
pass "spec warnings printed by sweep, not by every worker"
