#!/usr/bin/env bash
# `sweep serve s3://ROOT` as an AWS Lambda custom runtime (loopback Runtime API,
# tests/lambda_runtime_api.py) on s3rver: a warm function answers with row 1; a better row 2 is
# published to the bucket; a later invoke answers with version 2 (re-checked every second).
source "$(dirname "$0")/s3_lib.sh"
: "${SWEEP_WORKER:?}" "${SWEEP_BIN:?}"
start_s3rver b
s3rver_credentials
export AWS_ENDPOINT_URL=$S3_URL

cat >"$T/params.yml" <<'YML'
- {dataset: zoo.csv, hidden: [], epochs: 3, seed: 2, learning_rate: 0.001}
- {dataset: zoo.csv, hidden: [8], epochs: 20, seed: 1, learning_rate: 0.01}
- {dataset: zoo.csv, hidden: [16], epochs: 300, seed: 1, learning_rate: 0.05}
YML
"$TOOL" put s3://b/sweeps/x/params.yml "$T/params.yml"
"$TOOL" put s3://b/sweeps/x/zoo.csv "$SWEEP_SOURCE_DIR/tests/data/zoo.csv"
worker() {
  "$SWEEP_WORKER" --index "$1" --params s3://b/sweeps/x/params.yml --storage s3://b/results/x \
    >"$T/worker-$1.log" 2>&1 || { cat "$T/worker-$1.log"; fail "worker $1"; }
}
worker 0
worker 1
export -f worker fail
export SWEEP_WORKER T
"$PY" "$HERE/lambda_runtime_api.py" reload "worker 2" -- \
  "$SWEEP_BIN" serve s3://b/results/x --poll-seconds 1 2> "$T/lambda.log" \
  || { cat "$T/lambda.log"; fail "lambda runtime from s3://"; }
grep -q 'now serving version 2' "$T/lambda.log" || { cat "$T/lambda.log"; fail "no reload line"; }
ls "$SWEEP_CACHE_DIR" > /dev/null || fail "no model cache"
echo "ok: a warm Lambda function moves to the better row published to s3://"
