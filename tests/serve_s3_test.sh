#!/usr/bin/env bash
# predict and serve from an s3:// sweep root on s3rver (loopback): `sweep predict s3://ROOT
# s3://.../zoo.csv` prints every animal and the accuracy; `sweep serve s3://ROOT` serves the
# best row and moves to a better one published to the bucket while it runs.
source "$(dirname "$0")/s3_lib.sh"
: "${SWEEP_WORKER:?}" "${SWEEP_BIN:?}"
start_zoo_sweep

echo "== sweep predict s3://b/results/x s3://b/sweeps/x/zoo.csv"
"$SWEEP_BIN" predict s3://b/results/x s3://b/sweeps/x/zoo.csv >"$T/pred" 2>&1 \
  || { cat "$T/pred"; fail "predict"; }
[[ $(grep -c '^ *[0-9]' "$T/pred") == 101 ]] || fail "not 101 animals: $(head -3 "$T/pred")"
grep -q '^accuracy .*(.* of 101 rows)$' "$T/pred" || fail "no accuracy: $(tail -2 "$T/pred")"
grep -q 'version 1' "$T/pred" || fail "not row 1: $(tail -2 "$T/pred")"

echo "== sweep serve s3://b/results/x"
"$SWEEP_BIN" serve s3://b/results/x --port 0 --poll-seconds 1 >"$T/serve.log" 2>&1 &
SERVER_PIDS+=($!)
for _ in $(seq 200); do grep -q 'serving version' "$T/serve.log" && break; sleep 0.05; done
port=$(sed -n 's|.*listening on http://[0-9.]*:\([0-9]*\).*|\1|p' "$T/serve.log")
[[ -n $port ]] && grep -q 'serving version 1' "$T/serve.log" || fail "$(cat "$T/serve.log")"
body='{"instances": [[1,0,0,1,0,0,1,1,1,1,0,0,4,0,0,1]]}'
version() {
  curl -s -D - -o /dev/null --data "$body" "http://127.0.0.1:$port/v1/models/model:predict" |
    tr -d '\r' | sed -n 's/^X-Model-Version: //Ip'
}
[[ $(version) == 1 ]] || fail "serves $(version), not 1"
zoo_worker 2
start=$SECONDS
until [[ $(version) == 2 ]]; do
  (( SECONDS - start <= 3 )) || fail "row 2 not served 3 s after it was published: $(cat "$T/serve.log")"
  sleep 0.1
done
echo "ok: predict and serve from s3://, the better row served after $((SECONDS - start)) s"
