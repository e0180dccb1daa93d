#!/usr/bin/env bash
# Vertex AI custom training (worker/vertex.h): a tuning trial (CLOUD_ML_TRIAL_ID=3) takes its
# parameters as --name=value / --name value flags, exports model.h5 + result.json flat to
# AIP_MODEL_DIR, keeps its checkpoint in AIP_CHECKPOINT_DIR, and writes its metric after each
# epoch and at the end the way cloudml-hypertune does (checked line for line against
# hypertune.py's json.dumps); then
# `sweep serve` with AIP_STORAGE_URI = that AIP_MODEL_DIR answers on Vertex's routes.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
cp "$SWEEP_SOURCE_DIR/tests/data/zoo.csv" "$T/zoo.csv"
echo "- {dataset: zoo.csv, hidden: [8], epochs: 6, learning_rate: 0.05, seed: 1}" >"$T/spec.yml"
base=$T/vertex-out   # the job's baseOutputDirectory: Vertex gives trial 3 {base}/3/...
trial_env=(CLOUD_ML_TRIAL_ID=3 CLOUD_ML_HP_METRIC_FILE="$T/hp/output.metrics"
  AIP_MODEL_DIR="$base/3/model/" AIP_CHECKPOINT_DIR="$base/3/checkpoints/")

env "${trial_env[@]}" "$SWEEP_WORKER" --params "$T/spec.yml" --storage "$T/results" \
  --learning_rate=0.01 --hidden '[64, 32]' --checkpoint_seconds=0 --keep_checkpoint true >"$T/trial.log" 2>&1 ||
  { cat "$T/trial.log"; fail "trial 3"; }
r=$T/results/3/result.json   # published under the trial id
[[ $(json_get "$r" 'd["params"]["learning_rate"]') == 0.01 ]] || fail "learning_rate flag"
[[ $(json_get "$r" 'd["params"]["hidden"]') == '[64, 32]' ]] || fail "hidden flag"
pass "trial flags --name=value and --name value became overrides of row 0, published as index 3"

[[ $(head -c 4 "$base/3/model/model.h5" | od -An -c | tr -d ' ') == '211HDF' ]] || fail "model.h5"
cmp "$base/3/model/model.h5" "$T/results/3/model/model.h5" || fail "exported model differs"
[[ $(json_get "$base/3/model/result.json" 'd["model"]') == model.h5 ]] || fail "export's result.json"
[[ -n $(find "$base/3/checkpoints" -name 'checkpoint*' -type f) ]] || fail "no checkpoint in AIP_CHECKPOINT_DIR"
[[ -z $(find "$T/results" -path '*checkpoint*' -type f) ]] || fail "checkpoint in the results root"
pass "AIP_MODEL_DIR holds model.h5 + result.json, AIP_CHECKPOINT_DIR the checkpoint"

cat >"$T/hypertune.py" <<'PYEOF'
# hypertune.py's report, redone: {tag: str(value), trial, global_step: str(int), timestamp,
# checkpoint_path}, json.dumps(sort_keys=True) a line. One per epoch, then the final one.
import json, sys, time
lines = open(sys.argv[1]).read().splitlines()
result = json.load(open(sys.argv[2]))
assert len(lines) == result["epochs"] + 1, lines
tag = "val_accuracy" if "val_accuracy" in result["metrics"] else "train_accuracy"
for step, line in enumerate(lines, 1):
    got = json.loads(line)
    assert isinstance(got["timestamp"], float) and abs(got["timestamp"] - time.time()) < 600
    value = float(got[tag]) if step <= result["epochs"] else result["metrics"][tag]
    want = {tag: str(float(value)), "trial": "3", "checkpoint_path": "",
            "global_step": str(min(step, result["epochs"])), "timestamp": got["timestamp"]}
    assert json.dumps(want, sort_keys=True) == line, (json.dumps(want, sort_keys=True), line)
print("last metric line:", lines[-1])
PYEOF
"$PY" "$T/hypertune.py" "$T/hp/output.metrics" "$r" || fail "not cloudml-hypertune's format"
pass "the metric file is cloudml-hypertune's: one line per epoch, then the final value"

expect_exit 2 "$SWEEP_WORKER" --index 0 --params "$T/spec.yml" --storage "$T/r2" --learning_rate=0.01
grep -q 'learning_rate' "$T/err" || fail "an unknown flag outside a trial must be refused"
expect_exit 2 env CLOUD_ML_TRIAL_ID=4 CLOUD_ML_HP_METRIC_FILE="$T/hp4" "$SWEEP_WORKER" \
  --params "$T/spec.yml" --storage "$T/r3" --learning_rat=0.01
grep -q 'learning_rat' "$T/err" || fail "a misspelt trial parameter must name itself: $(cat "$T/err")"
pass "parameter flags only in a trial; a misspelt one is exit 2"

port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])')
AIP_HTTP_PORT=$port AIP_HEALTH_ROUTE=/v1/endpoints/e/deployedModels/d \
  AIP_PREDICT_ROUTE=/v1/endpoints/e/deployedModels/d:predict AIP_STORAGE_URI="$base/3/model/" \
  start_serve "$T/vertex.log"
wait_ready /v1/endpoints/e/deployedModels/d
curl -fsS --data '{"instances": [[1,0,0,1,0,0,1,1,1,1,0,0,4,0,0,1]]}' \
  "$SERVE_URL/v1/endpoints/e/deployedModels/d:predict" | grep -q predictions || fail "predict"
stop_serve
pass "sweep serve with AIP_STORAGE_URI = the trial's AIP_MODEL_DIR"
