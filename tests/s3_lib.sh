# Shared helpers for the S3 end-to-end tests: a temp dir, s3rver and fake endpoints on loopback,
# every server stopped by pid on exit (loopback_lib.sh). Source it; needs SWEEP_S3_TOOL and
# SWEEP_SOURCE_DIR.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/loopback_lib.sh"

# A clean AWS environment: nothing from the machine running the tests leaks in.
for v in $(env | grep -o '^AWS_[A-Z_]*' || true); do unset "$v"; done
export HOME="$T/home" SWEEP_CACHE_DIR="$T/cache" AWS_EC2_METADATA_DISABLED=true
export AWS_DEFAULT_REGION=us-east-1
mkdir -p "$HOME"
TOOL=${SWEEP_S3_TOOL:?SWEEP_S3_TOOL not set}

wait_file() {  # wait_file PATH: up to 10 s
  local i
  for i in $(seq 200); do [[ -s $1 ]] && return 0; sleep 0.05; done
  fail "timed out waiting for $1"
}

# start_s3rver BUCKET...: sets S3_URL (http://127.0.0.1:PORT) and S3_LOG.
start_s3rver() {
  local js="$SWEEP_SOURCE_DIR/.cache/npm/node_modules/s3rver/bin/s3rver.js" args=() b port i
  [[ -f $js ]] || fail "s3rver missing: run scripts/setup.sh --no-build"
  for b in "$@"; do args+=(--configure-bucket "$b"); done
  port=$(free_port)
  S3_LOG="$T/s3rver.log"
  mkdir -p "$T/s3data"
  # s3rver makes continuation tokens with DES, which Node 17+ (OpenSSL 3) only has in the legacy
  # provider: without it every listing past 1,000 keys answers 500.
  node --openssl-legacy-provider "$js" -d "$T/s3data" -a 127.0.0.1 -p "$port" "${args[@]}" >"$S3_LOG" 2>&1 &
  SERVER_PIDS+=($!)
  S3_URL="http://127.0.0.1:$port"
  for i in $(seq 200); do
    curl -fsS -o /dev/null "$S3_URL/" 2>/dev/null && return 0
    sleep 0.05
  done
  fail "s3rver did not start: $(tail -5 "$S3_LOG")"
}

# start_fake NAME ARGS...: runs s3_fake_server.py; sets FAKE_URL and FAKE_LOG (one line a request).
start_fake() {
  local name=$1
  shift
  "$PY" "$HERE/s3_fake_server.py" "$T/$name.port" "$@" >"$T/$name.log" 2>&1 &
  SERVER_PIDS+=($!)
  wait_file "$T/$name.port"
  FAKE_URL="http://127.0.0.1:$(cat "$T/$name.port")"
  FAKE_LOG="$T/$name.log"
}

s3rver_credentials() { export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER; }

# start_zoo_sweep: s3rver with bucket b as the endpoint (s3rver's credentials); the 3-row zoo
# sweep at s3://b/sweeps/x (params.yml, zoo.csv); `zoo_worker INDEX` runs a row into
# s3://b/results/x (fails the test if it fails), and rows 0 and 1 are run (row 2, the best, is
# left to the test). Needs SWEEP_WORKER.
start_zoo_sweep() {
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
  zoo_worker 0
  zoo_worker 1
}
zoo_worker() {
  "$SWEEP_WORKER" --index "$1" --params s3://b/sweeps/x/params.yml --storage s3://b/results/x \
    >"$T/worker-$1.log" 2>&1 || { cat "$T/worker-$1.log"; fail "worker $1"; }
}
