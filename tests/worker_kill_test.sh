#!/usr/bin/env bash
# SIGKILL at any moment never leaves a model.h5 or result.json that fails to parse; SIGTERM stops
# cleanly with exit 143 and publishes nothing.
source "$(dirname "$0")/lib.sh"
S=$T/storage
cat > "$T/p.yml" <<'YML'
- {dataset: "synthetic:mnist?rows=3000", hidden: [256, 256], epochs: 40, batch_size: 16, seed: 3}
YML
check_files() {
  local m=$S/0/model/model.h5 r=$S/0/result.json
  if [[ -f $r ]]; then json_get "$r" 'd["status"]' >/dev/null || fail "result.json does not parse"; fi
  if [[ -f $m ]]; then "$PY" "$SWEEP_SOURCE_DIR/tests/h5py_keras_check.py" "$m" >/dev/null || fail "model.h5 does not load"; fi
}
# Kill during training at several moments (bounded: 6 tries).
for delay in 0.05 0.2 0.4 0.7 1.0 1.5; do
  "$SWEEP_WORKER" --params "$T/p.yml" --storage "$S" --index 0 --threads 1 >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  check_files
done
pass "SIGKILL during training: nothing half-written"

# Kill during the write: a short run, killed right around publication (bounded: 15 tries).
cat > "$T/q.yml" <<'YML'
- {dataset: "synthetic:blobs?rows=200&features=4&classes=2", hidden: [2048, 1024], epochs: 1, seed: 3}
YML
for i in $(seq 1 15); do
  "$SWEEP_WORKER" --params "$T/q.yml" --storage "$S" --index 0 --threads 1 >/dev/null 2>&1 &
  pid=$!
  sleep "0.$((i * 6))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  check_files
done
pass "SIGKILL around the write: files always parse"

rm -rf "$S"
"$SWEEP_WORKER" --params "$T/p.yml" --storage "$S" --index 0 --threads 1 >/dev/null 2>&1 &
pid=$!
sleep 0.5
kill -TERM "$pid"
code=0; wait "$pid" || code=$?
[[ $code == 143 ]] || fail "SIGTERM: expected exit 143, got $code"
[[ ! -e $S/0/result.json && ! -e $S/0/model/model.h5 ]] || fail "SIGTERM published files"
pass "SIGTERM: exit 143, nothing published"
