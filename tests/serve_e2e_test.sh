#!/usr/bin/env bash
# `sweep serve ROOT` end to end with a real HTTP client on 127.0.0.1: the Vertex tutorial's
# body (one nested 28x28 instance), TF Serving row and columnar forms and KServe V2 infer give
# numpy's probabilities within 1e-5; the same on the routes Vertex AI sets (AIP_*); 25 kinds of
# bad request get their code and message and the server keeps serving; SIGTERM drains, exit 0.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

make_image_sweep "$T/s"
"$PY" "$SWEEP_SOURCE_DIR/tests/h5py_keras_check.py" "$T/s/1/model/model.h5" shape=28x28 > /dev/null \
  || fail "model.h5 does not take 28x28"

start_serve "$T/serve.log" "$T/s"
wait_ready /v2/health/ready
"$PY" "$SERVE_CLIENT" check "$SERVE_URL" "$T/s/1/model/model.h5" 1 || fail "predictions"
curl -sf "$SERVE_URL/v1/models/model" | grep -q '"AVAILABLE"' || fail "model status"
curl -sf "$SERVE_URL/v1/models/model/metadata" | grep -q '"shape":\[-1,28,28\]' \
  || fail "metadata: $(curl -s "$SERVE_URL/v1/models/model/metadata")"
"$PY" "$SERVE_CLIENT" bad "$SERVE_URL" || fail "bad requests"
curl -sf "$SERVE_URL/metrics" > "$T/metrics"
grep -q 'sweep_serve_requests_total{route="tf_predict",code="400"}' "$T/metrics" \
  || fail "metrics: $(head -20 "$T/metrics")"
grep -q '^sweep_serve_model_version 1$' "$T/metrics" || fail "metrics: version"
grep -q 'POST /v1/models/model:predict 200' "$T/serve.log" || fail "no access log line"
stop_serve
grep -q 'draining' "$T/serve.log" || fail "no drain line: $(tail -3 "$T/serve.log")"
pass "sweep serve ROOT: forms, errors, metrics, drain"

# Vertex AI custom container: AIP_HTTP_PORT binds 0.0.0.0; the model from AIP_STORAGE_URI.
port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])')
AIP_HTTP_PORT=$port AIP_HEALTH_ROUTE=/v1/endpoints/e/deployedModels/d \
  AIP_PREDICT_ROUTE=/v1/endpoints/e/deployedModels/d:predict AIP_STORAGE_URI="$T/s" \
  start_serve "$T/vertex.log"
grep -q "listening on http://0.0.0.0:$port" "$T/vertex.log" || fail "$(cat "$T/vertex.log")"
wait_ready /v1/endpoints/e/deployedModels/d
"$PY" "$SERVE_CLIENT" check "$SERVE_URL" "$T/s/1/model/model.h5" 1 \
  /v1/endpoints/e/deployedModels/d:predict || fail "Vertex routes"
stop_serve
pass "Vertex AI contract (AIP_HTTP_PORT, AIP_HEALTH_ROUTE, AIP_PREDICT_ROUTE, AIP_STORAGE_URI)"
