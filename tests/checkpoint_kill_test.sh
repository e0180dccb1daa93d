#!/usr/bin/env bash
# SIGKILL at random moments (issue 17): KILLS times (default 50; bench/kill_campaign.sh runs
# 1,000) a worker is killed at a random point of its row; after each kill every visible file
# in the storage parses (result.json, model.h5, checkpoint.bin: no torn file is ever seen), and
# the next attempt goes on from the last checkpoint. The final weights and metrics equal an
# uninterrupted run's, bit for bit.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/checkpoint_lib.sh"
KILLS=${KILLS:-50}
write_ckpt_spec "$T/spec.yml"
sed -i 's/checkpoint_seconds: 0.2/checkpoint_seconds: 0.05/' "$T/spec.yml"
reference_run "$T/ref"

S="$T/s"
attempt=1 finished=0
for ((k = 1; k <= KILLS; k++)); do
  start_worker "$S" "$attempt"
  sleep "$(random_delay 0.1 0.7)"
  kill -KILL "$WORKER_PID" 2>/dev/null || true
  wait "$WORKER_PID" 2>/dev/null || true
  attempt=$((attempt + 1))
  "$PY" "$CHECK" valid "$S" || fail "after kill $k"
  if [[ -f $S/0/result.json ]]; then  # the row finished before its kill: start it again
    finished=$((finished + 1))
    "$PY" "$CHECK" same "$T/ref/0" "$S/0" || fail "finished row $finished differs (kill $k)"
    rm -rf "$S"
  fi
done
start_worker "$S" "$attempt"
wait "$WORKER_PID" || { tail -20 "$T/worker.log"; fail "the last attempt"; }
"$PY" "$CHECK" same "$T/ref/0" "$S/0" || fail "the row killed $KILLS times differs"
resumed=$(grep -c '^resuming row 0' "$T/worker.log" || true)
echo "kills: $KILLS, rows finished between kills: $finished, resumes: $resumed"
[[ $resumed -gt 0 ]] || fail "no attempt resumed from a checkpoint"
pass "$KILLS SIGKILLs: no unparsable file, every rerun finished, weights equal the reference"
