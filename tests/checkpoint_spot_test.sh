#!/usr/bin/env bash
# The Spot interruption notice (issue 17): with SWEEP_SPOT_NOTICE=0.2 the worker polls IMDSv2's
# spot/instance-action (a loopback stand-in, tests/s3_fake_server.py imds: no EC2 here) and,
# when the notice appears, saves a checkpoint at once, long before checkpoint_seconds (1000 s
# here) would, and goes on training; the SIGTERM that follows exits 143, and the next attempt
# resumes and finishes bit-identical to an uninterrupted run. Off the instance (no token), the
# worker says it is not watching and trains as usual.
source "$(dirname "$0")/s3_lib.sh"
source "$(dirname "$0")/checkpoint_lib.sh"
: "${SWEEP_WORKER:?}"
write_ckpt_spec "$T/spec.yml"
reference_run "$T/ref"
sed -i 's/checkpoint_seconds: 0.2/checkpoint_seconds: 1000/' "$T/spec.yml"
unset AWS_EC2_METADATA_DISABLED
start_fake imds imds ASIAIMDS 3600 "$T/spot-notice"
export AWS_EC2_METADATA_SERVICE_ENDPOINT=$FAKE_URL SWEEP_SPOT_NOTICE=0.2

start_worker "$T/s" 1
sleep 0.8
[[ ! -e $T/s/0/checkpoint/checkpoint.bin ]] || fail "a checkpoint before the notice"
touch "$T/spot-notice"
for i in $(seq 100); do [[ -e $T/s/0/checkpoint/checkpoint.bin ]] && break; sleep 0.05; done
[[ -e $T/s/0/checkpoint/checkpoint.bin ]] || { cat "$T/worker.log"; fail "no checkpoint after the notice"; }
kill -0 "$WORKER_PID" 2>/dev/null || fail "the worker stopped on the notice (it should go on)"
grep -q "spot interruption notice: terminate at 2026-12-07T05:00:00Z; saving a checkpoint now" \
  "$T/worker.log" || { cat "$T/worker.log"; fail "no notice line"; }
sleep 0.3
kill -TERM "$WORKER_PID"
code=0
wait "$WORKER_PID" || code=$?
[[ $code == 143 ]] || { cat "$T/worker.log"; fail "exit $code, not 143"; }
grep -q "GET /latest/meta-data/spot/instance-action" "$FAKE_LOG" || fail "never polled"
start_worker "$T/s" 2
wait "$WORKER_PID" || { cat "$T/worker.log"; fail "the resumed attempt"; }
grep -q "^resuming row 0 from epoch" "$T/worker.log" || fail "no resume"
"$PY" "$CHECK" same "$T/ref/0" "$T/s/0" || fail "the resumed row differs from the reference"
echo "ok: the Spot notice checkpointed at once; SIGTERM then exit 143; resumed bit-identical"

export AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:$(free_port)
: >"$T/worker.log"
start_worker "$T/off" 1
wait "$WORKER_PID" || { cat "$T/worker.log"; fail "a worker off EC2"; }
grep -q "spot notices: no instance metadata at .*; not watching" "$T/worker.log" \
  || { cat "$T/worker.log"; fail "no 'not watching' line"; }
echo "checkpoint spot test: ok"
