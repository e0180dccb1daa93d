#!/usr/bin/env bash
# Bad input exits 2 with one clear line and publishes nothing.
source "$(dirname "$0")/lib.sh"
S=$T/storage
good='{dataset: "synthetic:blobs?rows=100&features=4&classes=2", epochs: 1'

check_bad() {  # NAME EXPECTED_SUBSTRING -- worker args...
  local name=$1 want=$2; shift 3
  expect_exit 2 "$SWEEP_WORKER" "$@"
  local lines; lines=$(grep -c . "$T/err" || true)
  [[ $lines == 1 ]] || { cat "$T/err"; fail "$name: expected one error line, got $lines"; }
  grep -qF -- "$want" "$T/err" || { cat "$T/err"; fail "$name: message lacks '$want'"; }
  [[ ! -e $S/0/result.json && ! -e $S/0/model/model.h5 ]] || fail "$name: published something"
  pass "$name: $(cat "$T/err")"
}

printf -- '- {dataset: x.csv, epochs: [1\n' > "$T/malformed.yml"
check_bad "malformed YAML" "malformed.yml" -- --params "$T/malformed.yml" --storage "$S" --index 0

printf -- '- %s\n' "{dataset: \"synthetic:blobs\", lerning_rate: 0.1}" > "$T/unknown.yml"
check_bad "unknown key" "did you mean 'learning_rate'" -- --params "$T/unknown.yml" --storage "$S" --index 0

printf -- '- %s, seed: 1}\n- %s, seed: 2}\n' "$good" "$good" > "$T/two.yml"
check_bad "index out of range" "2 rows" -- --params "$T/two.yml" --storage "$S" --index 5

printf -- '- {dataset: missing.csv}\n' > "$T/missing.yml"
check_bad "missing dataset" "missing.csv" -- --params "$T/missing.yml" --storage "$S" --index 0

printf '1,2,0\n3,4\n' > "$T/bad.csv"
printf -- '- {dataset: bad.csv}\n' > "$T/badcsv.yml"
check_bad "bad CSV" "line 2" -- --params "$T/badcsv.yml" --storage "$S" --index 0

check_bad "no index" "--index" -- --params "$T/two.yml" --storage "$S"
check_bad "missing params file" "nope.yml" -- --params "$T/nope.yml" --storage "$S" --index 0
printf -- '- {dataset: "synthetic:blobs", learning_rate: -1}\n' > "$T/range.yml"
check_bad "out of range" "learning_rate" -- --params "$T/range.yml" --storage "$S" --index 0
[[ ! -e $S ]] || [[ -z $(find "$S" -type f) ]] || fail "storage not empty: $(find "$S" -type f)"
printf -- '- {dataset: "synthetic:blobs?features=4", test_dataset: "synthetic:blobs?features=5"}\n' > "$T/shape.yml"
check_bad "test set shape" "has 5 features" -- --params "$T/shape.yml" --storage "$S" --index 0
printf -- '- {dataset: "synthetic:blobs?classes=3", test_dataset: "synthetic:blobs?classes=5"}\n' > "$T/classes.yml"
check_bad "test set classes" "labels up to 4" -- --params "$T/classes.yml" --storage "$S" --index 0

# device: cuda on a CPU-only build (the only build today: SWEEP_CUDA=ON stops CMake) fails before
# any data is read: the dataset does not exist, and the error is the CUDA one, not the missing file.
printf -- '- {dataset: no-such-file.csv, device: cuda}\n' > "$T/cuda.yml"
check_bad "device cuda on a CPU build" \
  "this build of sweep-worker has no CUDA (device: cuda); use device: cpu or a CUDA build" \
  -- --params "$T/cuda.yml" --storage "$S" --index 0
grep -q "no-such-file" "$T/err" && fail "device cuda: the worker read the data first: $(cat "$T/err")"
# `sweep validate` warns (the workers may be a CUDA build) and still exits 0.
printf -- '- {dataset: "synthetic:blobs", device: cpu}\n- {dataset: "synthetic:blobs", device: cuda}\n' \
  > "$T/cuda2.yml"
expect_exit 0 "$SWEEP_BIN" validate "$T/cuda2.yml"
grep -qF "row 1: device cuda: this build has no CUDA; the workers' build must have it" "$T/err" ||
  { cat "$T/err"; fail "validate: no device cuda warning"; }
grep -q "row 0" "$T/err" && fail "validate: warned about the cpu row: $(cat "$T/err")"
grep -q "2 rows OK" "$T/out" || fail "validate: $(cat "$T/out")"
pass "validate warns about device cuda: $(cat "$T/err")"
