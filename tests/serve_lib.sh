# Helpers for the `sweep serve` end-to-end tests. Source after lib.sh.
#   make_image_sweep ROOT     trains 2 rows of a 784-128-10 MLP on 28x28 IDX images (300
#                             samples; row 1 learns some, row 0 barely) into ROOT
#   start_serve LOG ARGS...   starts `sweep serve ARGS --port 0` in the background; sets
#                             SERVE_PID and SERVE_URL once it listens
#   stop_serve                SIGTERM, then checks it exited 0 within 5 s
SERVE_CLIENT="$SWEEP_SOURCE_DIR/tests/serve_client.py"

make_image_sweep() {
  local root=$1
  "$PY" - "$T/img-images-idx3-ubyte" "$T/img-labels-idx1-ubyte" <<'PYEOF'
import struct, sys
import numpy as np
rng = np.random.default_rng(5)
n = 300
labels = rng.integers(0, 10, n)
x = rng.integers(0, 60, (n, 28, 28))
for i, k in enumerate(labels):  # class k: a bright 5x5 block at its own place
    r, c = 2 + 2 * k, 3 + 2 * k
    x[i, r:r + 5, c:c + 5] = 250
open(sys.argv[1], "wb").write(struct.pack(">IIII", 0x803, n, 28, 28) + x.astype(np.uint8).tobytes())
open(sys.argv[2], "wb").write(struct.pack(">II", 0x801, n) + labels.astype(np.uint8).tobytes())
PYEOF
  cat > "$T/img.yml" <<YML
- {dataset: "$T/img-images-idx3-ubyte", hidden: [128], epochs: 1, learning_rate: 0.00001, seed: 1}
- {dataset: "$T/img-images-idx3-ubyte", hidden: [128], epochs: 1, learning_rate: 0.0003, seed: 1}
YML
  # Not in the plan: the better row serve_reload_test.sh publishes later as index 2.
  cp "$T/img.yml" "$T/img3.yml"
  echo '- {dataset: "'"$T"'/img-images-idx3-ubyte", hidden: [128], epochs: 6, learning_rate: 0.003, seed: 1}' \
    >> "$T/img3.yml"
  "$SWEEP_BIN" run "$T/img.yml" --storage "$root" > "$T/run.log" 2>&1 \
    || { cat "$T/run.log"; fail "sweep run (image sweep) failed"; }
}

_serve_kill() { [[ -n ${SERVE_PID:-} ]] && kill -9 "$SERVE_PID" 2>/dev/null; true; }
on_exit _serve_kill

start_serve() {
  local log=$1; shift
  # An ephemeral port (tests run side by side), unless AIP_HTTP_PORT names one.
  local port_args=(--port 0)
  [[ -z ${AIP_HTTP_PORT:-} ]] || port_args=()
  # Created here: the background job opens it later, and a sed on a missing file under
  # pipefail would end the test with no message (a failure seen on a loaded machine).
  : > "$log"
  "$SWEEP_BIN" serve "$@" "${port_args[@]}" > "$log" 2>&1 &
  SERVE_PID=$!
  local i port=""
  for i in $(seq 1 200); do
    port=$(sed -n 's|.*listening on http://[0-9.]*:\([0-9]*\).*|\1|p' "$log" | head -1)
    [[ -n $port ]] && break
    kill -0 "$SERVE_PID" 2>/dev/null || { cat "$log"; fail "sweep serve exited at start"; }
    sleep 0.05
  done
  [[ -n $port ]] || { cat "$log"; fail "sweep serve did not listen"; }
  SERVE_URL="http://127.0.0.1:$port"
}

# wait_ready PATH: until GET PATH answers 200 (5 s).
wait_ready() {
  local i
  for i in $(seq 1 100); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$SERVE_URL$1") == 200 ]] && return 0
    sleep 0.05
  done
  fail "$SERVE_URL$1 never became ready"
}

stop_serve() {
  local start=$SECONDS rc=0
  kill -TERM "$SERVE_PID"
  wait "$SERVE_PID" || rc=$?
  SERVE_PID=""
  [[ $rc == 0 ]] || fail "sweep serve exited $rc on SIGTERM"
  (( SECONDS - start <= 5 )) || fail "sweep serve took $((SECONDS - start)) s to drain"
}
