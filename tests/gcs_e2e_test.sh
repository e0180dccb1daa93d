#!/usr/bin/env bash
# The issue's demo on a loopback Cloud Storage (tests/gcs_fake_server.py) with a service-account
# key traded for tokens: Google's official Node client writes the spec and the data set to
# gs://, sweep-worker reads them and publishes model.h5 + result.json to gs://, the official
# client reads them back; `sweep collect`, `sweep run`, `sweep serve` and Vertex AI's
# AIP_STORAGE_URI work on gs:// roots. A wrong key ends the worker with exit 2 and one line.
source "$(dirname "$0")/gcs_lib.sh"
: "${SWEEP_WORKER:?}" "${SWEEP_BIN:?}"
make_key sa "http://127.0.0.1:0/token"
start_gcs gcs --bucket b --require-auth --public-key "$T/sa.pub"
sed -i "s|http://127.0.0.1:0/token|$GCS_URL/token|" "$T/sa.json"
export STORAGE_EMULATOR_HOST=$GCS_URL GOOGLE_APPLICATION_CREDENTIALS=$T/sa.json
# The official client's token comes from the same fake (its metadata endpoint).
GCS_TOKEN=$(curl -fsS -H 'Metadata-Flavor: Google' \
  "$GCS_URL/computeMetadata/v1/instance/service-accounts/default/token" |
  "$PY" -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
export GCS_TOKEN

cat >"$T/params.yml" <<'YML'
- {dataset: zoo.csv, hidden: [8], epochs: 30, seed: 1, learning_rate: 0.05}
- {dataset: zoo.csv, hidden: [], epochs: 2, seed: 2, learning_rate: 0.001}
YML
echo "== the official client writes the spec and the data; workers read them from gs://"
node_client put gs://b/sweeps/x/params.yml "$T/params.yml"
node_client put gs://b/sweeps/x/zoo.csv "$SWEEP_SOURCE_DIR/tests/data/zoo.csv"
for i in 0 1; do
  BATCH_TASK_INDEX=$i "$SWEEP_WORKER" --params gs://b/sweeps/x/params.yml \
    --storage gs://b/results/x >"$T/worker-$i.log" 2>&1 || { cat "$T/worker-$i.log"; fail "worker $i"; }
done
find "$SWEEP_CACHE_DIR/gs/b" -name zoo.csv | grep -q . || fail "data set not in the input cache"

echo "== the official client reads back what the workers wrote"
printf '%s\n' results/x/0/model/model.h5 results/x/0/result.json results/x/1/model/model.h5 \
  results/x/1/result.json | diff - <(node_client ls gs://b/results/x/) || fail "published names"
node_client get gs://b/results/x/0/model/model.h5 "$T/model.h5"
[[ $(head -c 4 "$T/model.h5" | od -An -c | tr -d ' ') == '211HDF' ]] || fail "model.h5 is not HDF5"
node_client get gs://b/results/x/1/result.json "$T/result.json"
"$PY" -c 'import json, sys; r = json.load(open(sys.argv[1])); assert r["index"] == 1, r' \
  "$T/result.json" || fail "result.json"

echo "== sweep collect gs://b/results/x"
"$SWEEP_BIN" collect gs://b/results/x --format csv >"$T/board.csv" 2>"$T/collect.err" ||
  { cat "$T/collect.err"; fail "collect"; }
cat "$T/board.csv"
[[ $(grep -c . "$T/board.csv") -ge 3 ]] || fail "leaderboard has fewer than 2 rows"

echo "== sweep run with a gs:// spec and root"
"$SWEEP_BIN" run gs://b/sweeps/x/params.yml --storage gs://b/results/r \
  >"$T/run.log" 2>&1 || { cat "$T/run.log"; fail "sweep run on gs://"; }
node_client ls gs://b/results/r/ | grep -qx 'results/r/1/result.json' || fail "run published nothing"
"$SWEEP_BIN" status gs://b/results/r >"$T/status.log" 2>&1 || { cat "$T/status.log"; fail "status"; }

echo "== sweep serve: a gs:// root, then Vertex AI's AIP_STORAGE_URI"
"$SWEEP_BIN" serve gs://b/results/x --port 0 >"$T/serve.log" 2>&1 &
SERVER_PIDS+=($!)
for _ in $(seq 200); do grep -q 'serving version' "$T/serve.log" && break; sleep 0.05; done
port=$(sed -n 's|.*listening on http://[0-9.]*:\([0-9]*\).*|\1|p' "$T/serve.log")
[[ -n $port ]] && grep -q 'serving version [01]' "$T/serve.log" || fail "$(cat "$T/serve.log")"
body='{"instances": [[1,0,0,1,0,0,1,1,1,1,0,0,4,0,0,1]]}'
curl -fsS --data "$body" "http://127.0.0.1:$port/v1/models/model:predict" | grep -q predictions ||
  fail "predict on a gs:// root"
vport=$(free_port)
AIP_HTTP_PORT=$vport AIP_HEALTH_ROUTE=/v1/endpoints/e/deployedModels/d \
  AIP_PREDICT_ROUTE=/v1/endpoints/e/deployedModels/d:predict AIP_STORAGE_URI=gs://b/results/x/0 \
  "$SWEEP_BIN" serve >"$T/vertex.log" 2>&1 &
SERVER_PIDS+=($!)
for _ in $(seq 200); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$vport/v1/endpoints/e/deployedModels/d") == 200 ]] && break
  sleep 0.05
done
curl -fsS --data "$body" "http://127.0.0.1:$vport/v1/endpoints/e/deployedModels/d:predict" |
  grep -q predictions || fail "Vertex predict route: $(cat "$T/vertex.log")"

echo "== a bucket that answers every fourth request 503: the worker retries and publishes"
saved_url=$GCS_URL
start_gcs flaky --bucket f --fail-every 4
(unset GCS_TOKEN; node_client put gs://f/s/params.yml "$T/params.yml")
(unset GCS_TOKEN; node_client put gs://f/s/zoo.csv "$SWEEP_SOURCE_DIR/tests/data/zoo.csv")
STORAGE_EMULATOR_HOST=$GCS_URL GOOGLE_APPLICATION_CREDENTIALS='' "$SWEEP_WORKER" --index 1 \
  --params gs://f/s/params.yml --storage gs://f/r >"$T/flaky.log" 2>&1 || { cat "$T/flaky.log"; fail "flaky worker"; }
grep -q 'HTTP 503 backendError.*retry 1 in' "$T/flaky.log" || fail "no 503 was retried: $(cat "$T/flaky.log")"
(unset GCS_TOKEN; node_client ls gs://f/r/) | grep -qx 'r/1/result.json' || fail "flaky publish"
GCS_URL=$saved_url

echo "== a wrong key: exit 2, one line, the key never printed"
make_key wrong "$GCS_URL/token"
code=0
GOOGLE_APPLICATION_CREDENTIALS=$T/wrong.json "$SWEEP_WORKER" --index 0 \
  --params gs://b/sweeps/x/params.yml --storage gs://b/results/y >"$T/denied.log" 2>&1 || code=$?
cat "$T/denied.log"
[[ $code == 2 ]] || fail "wrong key: worker exit $code"
[[ $(wc -l <"$T/denied.log") -eq 1 ]] && grep -q 'Invalid JWT Signature' "$T/denied.log" ||
  fail "wrong key: not one clear line"
! grep -qF -e "$(key_fragment wrong)" -e "$(key_fragment sa)" -e "$GCS_TOKEN" -e 'eyJ' "$T"/*.log \
  "$T/collect.err" || fail "a secret was printed"
echo "gcs e2e test: ok"
