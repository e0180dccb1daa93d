#!/usr/bin/env bash
# Checkpoints on an s3:// storage root (s3rver on loopback, issue 17): SIGTERM twice, exit 143
# with the checkpoint in the bucket, the retries resume from it, the final model.h5 (fetched
# back) is bit-identical to a local uninterrupted run, and the checkpoint object is deleted
# after the final publish; `sweep status` names the checkpoint of the row in progress. A SIGTERM
# that lands while a checkpoint PUT is in flight (a proxy holds checkpoint PUTs for 1 s) lets
# that write finish (it is the state at the pause) and exits 143 within 5 s; the next attempt
# resumes from it.
source "$(dirname "$0")/s3_lib.sh"
source "$(dirname "$0")/checkpoint_lib.sh"
: "${SWEEP_WORKER:?}" "${SWEEP_BIN:?}"
start_s3rver b
s3rver_credentials
export AWS_ENDPOINT_URL=$S3_URL
write_ckpt_spec "$T/spec.yml"
reference_run "$T/ref"

KEY=results/c/0/checkpoint/checkpoint.bin
for attempt in 1 2; do
  start_worker s3://b/results/c "$attempt"
  sleep "$(random_delay 0.5 1.0)"
  kill -TERM "$WORKER_PID"
  code=0
  wait "$WORKER_PID" || code=$?
  [[ $code == 143 ]] || { cat "$T/worker.log"; fail "attempt $attempt: exit $code, not 143"; }
  "$TOOL" ls s3://b/results/c/ | grep -qx "$KEY" || fail "attempt $attempt: no checkpoint object"
done
# SIGTERM during a checkpoint write.
start_fake slow slowput "$S3_URL" checkpoint.bin 1 "$T/put-started"
AWS_ENDPOINT_URL=$FAKE_URL start_worker s3://b/results/c 3
wait_file_exists() { local i; for i in $(seq 200); do [[ -e $1 ]] && return 0; sleep 0.05; done; return 1; }
wait_file_exists "$T/put-started" || { cat "$T/worker.log"; fail "no checkpoint PUT was seen"; }
t0=$(date +%s.%N)
kill -TERM "$WORKER_PID"
code=0
wait "$WORKER_PID" || code=$?
t1=$(date +%s.%N)
[[ $code == 143 ]] || { cat "$T/worker.log"; fail "SIGTERM during a write: exit $code"; }
"$PY" -c "import sys; sys.exit(0 if $t1 - $t0 < 5 else 1)" || fail "exit took over 5 s"
grep -q "training stopped at epoch" "$T/worker.log" || { cat "$T/worker.log"; fail "stop line"; }

"$TOOL" get "s3://b/$KEY" "$T/ckpt.bin"
read -r epoch step < <("$PY" "$CHECK" epoch "$T/ckpt.bin")
"$SWEEP_BIN" status s3://b/results/c >"$T/status" 2>&1 || { cat "$T/status"; fail "status"; }
grep -q "row 0: checkpoint at epoch $epoch step $step" "$T/status" \
  || { cat "$T/status"; fail "status does not show the checkpoint"; }
start_worker s3://b/results/c 4
wait "$WORKER_PID" || { cat "$T/worker.log"; fail "the last attempt"; }
grep -q "^resuming row 0 from epoch $epoch step $step (attempt 4)" "$T/worker.log" \
  || { cat "$T/worker.log"; fail "no resume line"; }
mkdir -p "$T/got/0/model"
"$TOOL" get s3://b/results/c/0/model/model.h5 "$T/got/0/model/model.h5"
"$TOOL" get s3://b/results/c/0/result.json "$T/got/0/result.json"
"$PY" "$CHECK" same "$T/ref/0" "$T/got/0" || fail "the resumed row on s3:// differs"
! "$TOOL" ls s3://b/results/c/ | grep -q checkpoint || fail "checkpoint object left after publish"
echo "checkpoint s3 test: ok"
