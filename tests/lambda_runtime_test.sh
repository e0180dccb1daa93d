#!/usr/bin/env bash
# `sweep serve` as an AWS Lambda custom runtime against a loopback Runtime API written in Python
# (tests/lambda_runtime_api.py: the AWS Runtime Interface Emulator cannot be installed here).
# Direct {"instances"} and {"inputs"} events, an API Gateway HTTP API 2.0 event with a base64 body, a
# malformed event, a bad shape and a passed deadline: the response and error posts are what the
# protocol specifies, the probabilities equal numpy's, the trace id reaches _X_AMZN_TRACE_ID;
# a model that cannot be loaded is posted to /runtime/init/error and the process exits 2.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
API="$SWEEP_SOURCE_DIR/tests/lambda_runtime_api.py"
export SWEEP_CACHE_DIR="$T/cache"

make_image_sweep "$T/s"
model="$T/s/1/model/model.h5"  # a path baked into the image
"$PY" "$API" local "$model" -- "$SWEEP_BIN" serve "$model" 2> "$T/lambda.log" \
  || { cat "$T/lambda.log"; fail "lambda runtime (model.h5)"; }
grep -q 'trace=Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1' \
  "$T/lambda.log" || { cat "$T/lambda.log"; fail "the trace id did not reach _X_AMZN_TRACE_ID"; }
grep -q '^lambda req-1 POST /v1/models/model:predict 200 .* v1 trace=' "$T/lambda.log" \
  || { cat "$T/lambda.log"; fail "no log line for req-1"; }
grep -q '^lambda req-2 .* trace=-$' "$T/lambda.log" \
  || { cat "$T/lambda.log"; fail "_X_AMZN_TRACE_ID kept from the previous invocation"; }
pass "lambda runtime: events, errors, deadline, trace"

"$PY" "$API" local "$model" -- "$SWEEP_BIN" serve "$T/s" --policy best 2> "$T/lambda-root.log" \
  | grep 'cold start' || { cat "$T/lambda-root.log"; fail "lambda runtime (sweep root)"; }
pass "lambda runtime: a local sweep root under --policy best"

"$PY" "$API" initerror -- "$SWEEP_BIN" serve "$T/nowhere/model.h5" \
  || fail "init error"
pass "lambda runtime: init error"
