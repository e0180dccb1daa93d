#!/usr/bin/env bash
# `sweep serve s3://ROOT` as an AWS Lambda custom runtime (loopback Runtime API,
# tests/lambda_runtime_api.py) on s3rver: a warm function answers with row 1; a better row 2 is
# published to the bucket; a later invoke answers with version 2 (re-checked every second);
# `sweep collect s3://ROOT --publish-best` then copies row 2 to s3://ROOT/best/.
source "$(dirname "$0")/s3_lib.sh"
: "${SWEEP_WORKER:?}" "${SWEEP_BIN:?}"
start_zoo_sweep
export -f zoo_worker fail
export SWEEP_WORKER T
"$PY" "$HERE/lambda_runtime_api.py" reload "zoo_worker 2" -- \
  "$SWEEP_BIN" serve s3://b/results/x --poll-seconds 1 2> "$T/lambda.log" \
  || { cat "$T/lambda.log"; fail "lambda runtime from s3://"; }
grep -q 'now serving version 2' "$T/lambda.log" || { cat "$T/lambda.log"; fail "no reload line"; }
ls "$SWEEP_CACHE_DIR" > /dev/null || fail "no model cache"
echo "ok: a warm Lambda function moves to the better row published to s3://"

# A fixed-name best for readers of one key: `sweep collect --publish-best` on the s3:// root.
"$SWEEP_BIN" collect s3://b/results/x --publish-best > "$T/collect.log" 2>&1 \
  || { cat "$T/collect.log"; fail "collect --publish-best s3://"; }
"$TOOL" get s3://b/results/x/best/best.json "$T/best.json"
"$TOOL" get s3://b/results/x/best/model.h5 "$T/best.h5"
"$TOOL" get s3://b/results/x/2/model/model.h5 "$T/row2.h5"
cmp "$T/best.h5" "$T/row2.h5" || fail "s3://.../best/model.h5 is not row 2's"
[[ $("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["index"])' "$T/best.json") == 2 ]] \
  || fail "best.json: $(cat "$T/best.json")"
echo "ok: collect --publish-best on s3:// publishes row 2 as best/"
