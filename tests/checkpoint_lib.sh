# Shared by the checkpoint end-to-end tests (sourced after lib.sh).
#   write_ckpt_spec FILE      one row of about 3 s on one thread (early stopping restores the
#                             best epoch's weights), checkpoints every 0.2 s
#   reference_run ROOT        the row trained without interruption into ROOT
#   start_worker ROOT ATTEMPT starts sweep-worker for row 0 in the background (WORKER_PID)
CHECK="$SWEEP_SOURCE_DIR/tests/checkpoint_check.py"

write_ckpt_spec() {
  cat >"$1" <<'YAML'
- dataset: "synthetic:mnist?rows=12000"
  hidden: [256, 128]
  epochs: 30
  batch_size: 32
  validation_split: 0.1
  early_stopping_patience: 10
  lr_schedule: cosine
  seed: 3
  checkpoint_seconds: 0.2
YAML
}

reference_run() {
  SWEEP_THREADS=1 "$SWEEP_WORKER" --index 0 --params "$T/spec.yml" --storage "$1" \
    >"$T/reference.log" 2>&1 || { cat "$T/reference.log"; fail "reference run"; }
}

start_worker() {
  AWS_BATCH_JOB_ATTEMPT=$2 SWEEP_THREADS=1 "$SWEEP_WORKER" --index 0 --params "$T/spec.yml" \
    --storage "$1" >>"$T/worker.log" 2>&1 &
  WORKER_PID=$!
}

# A random delay in seconds, between $1 and $2 (decimals), for `sleep`.
random_delay() { "$PY" -c 'import random,sys; print(round(random.uniform(float(sys.argv[1]), float(sys.argv[2])), 3))' "$1" "$2"; }
