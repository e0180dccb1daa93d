#!/usr/bin/env bash
# jobs/vertex/ (issue 21): the CustomJob, HyperparameterTuningJob and models:upload bodies
# checked against the copy of Vertex AI's v1 schema in tests/data (Google's aiplatform protos,
# tests/tools/vertex_schema_extract.py) by tests/vertex_schema_check.py, which must also refuse
# broken bodies; `sweep expand --vertex-study` turns a W&B spec into a studySpec the schema
# accepts; then every tuning parameter, templated and generated, at each end of its range, is fed
# to sweep-worker as a trial would get it (CLOUD_ML_TRIAL_ID, --name=value flags) and must train.
source "$(dirname "$0")/lib.sh"
S=$SWEEP_SOURCE_DIR/tests/data/vertex_aiplatform_v1_schema.json
CHECK=$SWEEP_SOURCE_DIR/tests/vertex_schema_check.py
V=$SWEEP_SOURCE_DIR/jobs/vertex
"$PY" "$CHECK" "$S" "$V/custom-job.json" CustomJob || fail "custom-job.json"
"$PY" "$CHECK" "$S" "$V/hyperparameter-tuning-job.json" HyperparameterTuningJob ||
  fail "hyperparameter-tuning-job.json"
"$PY" "$CHECK" "$S" "$V/model-upload.json" Model model || fail "model-upload.json"
pass "the three bodies match Vertex AI's v1 schema"

# mutate NAME PYTHON-STATEMENT: a copy of the tuning job changed by the statement (on `d`).
mutate() {
  "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); $2; json.dump(d, open(sys.argv[2], 'w'))" \
    "$V/hyperparameter-tuning-job.json" "$T/$1.json"
  ! "$PY" "$CHECK" "$S" "$T/$1.json" HyperparameterTuningJob >"$T/$1.out" || fail "$1 accepted"
  grep -q "$3" "$T/$1.out" || fail "$1: $(cat "$T/$1.out")"
}
mutate unknown 'd["trialJobSpec"]["workerPoolSpecs"][0]["machineSpec"]["machinetype"] = "x"' 'unknown field'
mutate enum 'd["studySpec"]["metrics"][0]["goal"] = "MAXIMISE"' 'is not one of'
mutate required 'del d["trialJobSpec"]["workerPoolSpecs"][0]["containerSpec"]["imageUri"]' 'imageUri: required'
mutate output_only 'd["state"] = "JOB_STATE_QUEUED"' 'output only'
mutate oneof 'd["studySpec"]["parameters"][0]["integerValueSpec"] = {"minValue": "1", "maxValue": "2"}' 'set one'
mutate type 'd["maxTrialCount"] = "many"' 'is not a int32'
pass "the checker refuses unknown fields, bad enums, missing required, output-only, two oneofs, bad types"

cp "$SWEEP_SOURCE_DIR/tests/data/zoo.csv" "$T/zoo.csv"
echo "- {dataset: zoo.csv, hidden: [8], epochs: 5, learning_rate: 0.01, validation_split: 0.2}" >"$T/base.yml"
cat >"$T/wandb.yml" <<'YML'
method: random
run_cap: 3
metric: {name: val_loss, goal: minimize}
defaults: {dataset: zoo.csv, validation_split: 0.2}
parameters:
  learning_rate: {distribution: log_uniform_values, min: 0.001, max: 0.1}
  batch_size: {values: [64, 16]}
  optimizer: {values: [adam, sgd]}
  hidden: {values: [[8], [16, 8]]}
  epochs: {min: 3, max: 8}
  seed: {value: 7}
YML
"$SWEEP_BIN" expand "$T/wandb.yml" --vertex-study >"$T/study.json" || fail "expand --vertex-study"
"$PY" - "$V/hyperparameter-tuning-job.json" "$T/study.json" >"$T/generated.json" <<'PYEOF'
import json, sys
job = json.load(open(sys.argv[1]))
job["studySpec"] = json.load(open(sys.argv[2]))
print(json.dumps(job))
PYEOF
"$PY" "$CHECK" "$S" "$T/generated.json" HyperparameterTuningJob || fail "the generated study"
grep -q '"MINIMIZE"' "$T/study.json" && grep -q '"UNIT_LOG_SCALE"' "$T/study.json" || fail "$(cat "$T/study.json")"
expect_exit 2 "$SWEEP_BIN" expand "$T/base.yml" --vertex-study
pass "sweep expand --vertex-study maps a W&B spec to a studySpec Vertex's schema accepts"

# trials JOB SPEC ROOT METRIC: two trials, every parameter of JOB at its low end, then at its
# high end (categoricals: first, last), as the tuning service passes them to sweep-worker.
trials() {
  "$PY" - "$1" >"$T/trials" <<'PYEOF'
import json, sys
job = json.load(open(sys.argv[1]))
for end in (0, -1):
    flags = []
    for p in job["studySpec"]["parameters"]:
        if "doubleValueSpec" in p:
            v = p["doubleValueSpec"]["minValue" if end == 0 else "maxValue"]
        elif "integerValueSpec" in p:
            v = p["integerValueSpec"]["minValue" if end == 0 else "maxValue"]
        else:
            v = (p.get("discreteValueSpec") or p["categoricalValueSpec"])["values"][end]
        flags.append(f"--{p['parameterId']}={v}")
    print("\t".join(flags))
PYEOF
  local trial=1 flags
  while IFS=$'\t' read -r -a flags; do
    CLOUD_ML_TRIAL_ID=$trial CLOUD_ML_HP_METRIC_FILE="$T/hp$trial" SWEEP_HYPERTUNE_METRIC=$4 \
      "$SWEEP_WORKER" --params "$2" --storage "$3" "${flags[@]}" >"$T/trial$trial.log" 2>&1 ||
      { cat "$T/trial$trial.log"; fail "trial $trial of $1: ${flags[*]}"; }
    grep -q "\"$4\"" "$T/hp$trial" || fail "trial $trial reported no $4"
    trial=$((trial + 1))
  done <"$T/trials"
  [[ -f $3/1/result.json && -f $3/2/result.json ]] || fail "trials not side by side in $3"
}
trials "$V/hyperparameter-tuning-job.json" "$T/base.yml" "$T/trials-root" val_accuracy
trials "$T/generated.json" "$T/wandb.yml" "$T/wandb-root" val_loss
[[ $(json_get "$T/wandb-root/2/result.json" 'd["params"]["hidden"]') == '[16, 8]' ]] ||
  fail "a list-valued categorical did not reach the row"
"$SWEEP_BIN" collect "$T/trials-root" --format csv >"$T/board.csv" || fail "collect over trials"
[[ $(grep -c . "$T/board.csv") -ge 3 ]] || fail "leaderboard: $(cat "$T/board.csv")"
pass "every tuning parameter, templated or generated, trains at both ends as a trial; collect ranks the trials"
