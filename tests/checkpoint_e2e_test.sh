#!/usr/bin/env bash
# Spot-safe training (issue 17): SIGTERM at random points (inside epochs, between them, during
# a checkpoint write) makes the worker save a checkpoint and exit 143 within 5 s; each retry
# (AWS_BATCH_JOB_ATTEMPT=k) resumes from it, logs where, and result.json lists every resume;
# the final model.h5 and metrics are bit-identical to an uninterrupted run. A truncated, an
# other-version and another row's checkpoint are ignored with a warning and training starts
# over; the checkpoint is removed after the final publish unless keep_checkpoint.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/checkpoint_lib.sh"
write_ckpt_spec "$T/spec.yml"
reference_run "$T/ref"
[[ ! -e $T/ref/0/checkpoint/checkpoint.bin ]] || fail "checkpoint left after the final publish"
grep -q "checkpoint: epoch" "$T/reference.log" || fail "no checkpoint was written on the way"

S="$T/s"
for attempt in 1 2 3 4 5; do
  start_worker "$S" "$attempt"
  sleep "$(random_delay 0.3 0.9)"
  kill -0 "$WORKER_PID" 2>/dev/null || fail "attempt $attempt finished before its SIGTERM"
  t0=$(date +%s.%N)
  kill -TERM "$WORKER_PID"
  code=0
  wait "$WORKER_PID" || code=$?
  t1=$(date +%s.%N)
  [[ $code == 143 ]] || { cat "$T/worker.log"; fail "attempt $attempt: exit $code, not 143"; }
  "$PY" -c "import sys; sys.exit(0 if $t1 - $t0 < 5 else 1)" || fail "exit took over 5 s"
  [[ -f $S/0/checkpoint/checkpoint.bin && ! -e $S/0/result.json ]] || fail "attempt $attempt: no checkpoint"
  read -r epoch step < <("$PY" "$CHECK" epoch "$S/0/checkpoint/checkpoint.bin")
  echo "attempt $attempt stopped at epoch $epoch step $step"
done
start_worker "$S" 6
wait "$WORKER_PID" || { cat "$T/worker.log"; fail "the last attempt"; }
grep -q "^resuming row 0 from epoch $epoch step $step (attempt 6)" "$T/worker.log" \
  || { tail -20 "$T/worker.log"; fail "no 'resuming row 0 from epoch $epoch step $step'"; }
"$PY" "$CHECK" same "$T/ref/0" "$S/0" || fail "the resumed row differs from the reference"
[[ $(json_get "$S/0/result.json" 'len(d["resumes"])') == 5 ]] || fail "result.json resumes"
[[ $(json_get "$S/0/result.json" 'd["resumes"][-1]["attempt"]') == 6 ]] || fail "resume attempt"
[[ $(json_get "$S/0/result.json" 'd["resumes"][-1]["epoch"]') == "$epoch" ]] || fail "resume epoch"
[[ ! -e $S/0/checkpoint/checkpoint.bin ]] || fail "checkpoint left after the final publish"
pass "5 SIGTERMs, exit 143 each within 5 s, resumed 5 times: bit-identical to the reference"

# Broken checkpoints: ignored with a warning naming why, then the row trains from the start.
interrupted_checkpoint() {  # $1: root; leaves a checkpoint there
  start_worker "$1" 1
  sleep 0.8
  kill -TERM "$WORKER_PID"; wait "$WORKER_PID" || true
  [[ -f $1/0/checkpoint/checkpoint.bin ]] || fail "no checkpoint to break"
}
for how in truncated version row; do
  B="$T/broken-$how"
  interrupted_checkpoint "$B"
  f="$B/0/checkpoint/checkpoint.bin"
  case $how in
    truncated) truncate -s 1000 "$f"; want="checkpoint: truncated\|checksum mismatch" ;;
    version) printf '\x07' | dd of="$f" bs=1 seek=8 conv=notrunc status=none
             want="format version 7, this build reads 1" ;;
    row) sed -i 's/seed: 3/seed: 4/' "$T/spec.yml"; want="written for another version of row 0" ;;
  esac
  : >"$T/worker.log"
  start_worker "$B" 2
  wait "$WORKER_PID" || { cat "$T/worker.log"; fail "$how checkpoint: the row did not finish"; }
  grep -q "warning: ignoring .*checkpoint.bin: .*\($want\).*training starts over" "$T/worker.log" \
    || { cat "$T/worker.log"; fail "$how checkpoint: no warning"; }
  ! grep -q "^resuming" "$T/worker.log" || fail "$how checkpoint was resumed"
  [[ $how == row ]] || "$PY" "$CHECK" same "$T/ref/0" "$B/0" || fail "$how: result differs"
done
sed -i 's/seed: 4/seed: 3/' "$T/spec.yml"
pass "truncated, other-version and other-row checkpoints: warned and trained from the start"

echo "  keep_checkpoint: true" >>"$T/spec.yml"
SWEEP_THREADS=1 "$SWEEP_WORKER" --index 0 --params "$T/spec.yml" --storage "$T/keep" >/dev/null 2>&1 \
  || fail "keep_checkpoint run"
[[ -f $T/keep/0/checkpoint/checkpoint.bin ]] || fail "keep_checkpoint: true removed it"
pass "keep_checkpoint keeps it"
