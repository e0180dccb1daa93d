# shellcheck shell=bash
# Shared by the successive-halving and `method: bayes` end-to-end tests (sourced after lib.sh).
#   write_halving_spec FILE   a 27-row W&B grid with early_terminate {min_iter 1, eta 3} and
#                             9 epochs of a cosine schedule on a small spiral set (< 0.1 s a row)
#   halving_counts ROOT       prints "BANDS1 BANDS3 MODELS": band records at epochs 1 and 3,
#                             and model.h5 files (rows that finished the last rung; a row that
#                             diverges publishes result.json with no model)
#   same_decisions A B        the two roots hold byte-identical rungs/ files
#   same_halving_outcome A B  B, a run of write_halving_spec's grid, ends as the run A: 27 band
#                             records at 1, 9 at 3, 3 models; same_decisions; the final rows
#                             bit-identical; `sweep plan --check` of B passes
#   write_bayes_spec FILE EPOCHS  `method: bayes`, run_cap 24 in TPE waves of 8 on seed 5:
#                             learning rate (log-uniform) and hidden sizes on the small spiral set
#   same_waves A B WHAT       waves/1.json and waves/2.json of A and B are byte-identical, or
#                             fails with WHAT
write_halving_spec() {
  cat >"$1" <<'YAML'
method: grid
metric: {name: val_accuracy, goal: maximize}
early_terminate: {type: hyperband, min_iter: 1, eta: 3, strict: true}
parameters:
  dataset: {value: "synthetic:spiral?rows=300&noise=0.3"}
  epochs: {value: 9}
  batch_size: {value: 32}
  validation_split: {value: 0.25}
  lr_schedule: {value: cosine}
  learning_rate: {values: [0.3, 0.03, 0.003]}
  hidden: {values: [[4], [16], [32, 16]]}
  seed: {values: [1, 2, 3]}
YAML
}

halving_counts() {
  local b1 b3 r
  b1=$(find "$1" -path '*/bands/1.json' | wc -l)
  b3=$(find "$1" -path '*/bands/3.json' | wc -l)
  r=$(find "$1" -name model.h5 | wc -l)
  echo "$b1 $b3 $r"
}

same_decisions() {
  local f
  for f in "$1"/rungs/*.json; do
    cmp -s "$f" "$2/rungs/$(basename "$f")" || fail "$(basename "$f") differs between $1 and $2"
  done
  # ls -A: a temp file left by a writer killed mid-write counts (promotions are created through
  # unnamed files: base/file.h CreateFileExclusive).
  [[ $(ls -A "$1/rungs") == $(ls -A "$2/rungs") ]] ||
    fail "rungs/ of $1 and $2 differ: $(ls -A "$1/rungs" | xargs) against $(ls -A "$2/rungs" | xargs)"
}

same_halving_outcome() {
  local r
  expect_eq "$(halving_counts "$2")" "27 9 3" "band records at 1 and 3, models"
  same_decisions "$1" "$2"
  for r in $(json_get "$1/rungs/0-2.json" '" ".join(map(str, d["rows"]))'); do
    "$PY" "$SWEEP_SOURCE_DIR/tests/checkpoint_check.py" same "$1/$r" "$2/$r" || fail "row $r differs"
  done
  "$SWEEP_BIN" plan --storage "$2" --check >"$T/check.out" 2>&1 || { cat "$T/check.out"; fail "plan --check"; }
}

write_bayes_spec() {
  cat >"$1" <<YAML
method: bayes
metric: {name: val_accuracy, goal: maximize}
run_cap: 24
wave_size: 8
seed: 5
parameters:
  dataset: {value: "synthetic:spiral?rows=300&noise=0.3"}
  epochs: {value: $2}
  validation_split: {value: 0.25}
  learning_rate: {distribution: log_uniform_values, min: 0.0003, max: 0.5}
  hidden: {values: [[4], [16], [32, 16]]}
YAML
}

same_waves() {
  local w
  for w in 1 2; do cmp "$1/waves/$w.json" "$2/waves/$w.json" || fail "$3"; done
}

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() { [[ "$1" == "$2" ]] || fail "$3: got '$1', want '$2'"; }
