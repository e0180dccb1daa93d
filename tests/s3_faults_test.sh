#!/usr/bin/env bash
# Storage faults on s3:// (issue 16): a proxy in front of s3rver (s3_fake_server.py flaky) injects
# 500s, 503 SlowDown, connection resets before and in the middle of answers, truncated bodies and
# slow answers into the real sweep-worker publishing to s3:// and into `sweep collect s3://`.
#   - a few faults: retried with backoff, the worker exits 0 and publishes model.h5 + result.json
#   - faults that persist: bounded retries (well under a minute), exit 75, one error line, and
#     never a result.json without its model; once they stop, the engine's retry publishes
#   - collect: a few faults are retried and give the same leaderboard; persistent ones exit 75
#     with one line (never a leaderboard with finished rows shown as missing)
# Checked with $TOOL ls/get straight against s3rver.
source "$(dirname "$0")/s3_lib.sh"
: "${SWEEP_WORKER:?}" "${SWEEP_BIN:?}"
start_s3rver b
s3rver_credentials
cp "$SWEEP_SOURCE_DIR/tests/data/zoo.csv" "$T/zoo.csv"
cat >"$T/params.yml" <<YML
- {dataset: $T/zoo.csv, hidden: [8], epochs: 3, seed: 1, learning_rate: 0.05}
- {dataset: $T/zoo.csv, hidden: [], epochs: 2, seed: 2, learning_rate: 0.01}
YML
PERSIST=1000000

# worker ROOT INDEX: runs the worker through $AWS_ENDPOINT_URL; sets rc and secs, log in $T/last.
worker() {
  local t0=$SECONDS
  set +e
  "$SWEEP_WORKER" --params "$T/params.yml" --storage "$1" --index "$2" >"$T/last" 2>&1
  rc=$?
  set -e
  secs=$((SECONDS - t0))
}

keys() { AWS_ENDPOINT_URL=$S3_URL "$TOOL" ls "s3://b/$1/" | sort; }

# expect_published PREFIX INDEX: both files, and model.h5 a whole HDF5 file.
expect_published() {
  keys "$1" | grep -qx "$1/$2/result.json" || fail "$1/$2: no result.json: $(keys "$1")"
  AWS_ENDPOINT_URL=$S3_URL "$TOOL" get "s3://b/$1/$2/model/model.h5" "$T/model.h5"
  "$PY" - "$T/model.h5" <<'PY' || fail "$1/$2: model.h5 is not a whole HDF5 file"
import sys
import h5py
with h5py.File(sys.argv[1], "r") as f:
    assert "model_weights" in f
PY
}

# expect_no_orphan_result PREFIX: no result.json without its model.h5 (nothing half-published).
expect_no_orphan_result() {
  local k
  for k in $(keys "$1" | grep '/result.json$' || true); do
    keys "$1" | grep -qx "${k%result.json}model/model.h5" || fail "$k without its model"
  done
}

echo "== two faults of each kind on every request, then success"
n=0
for kind in 500 slowdown reset midreset truncate slow:1; do
  n=$((n + 1))
  start_fake "few-$n" flaky "$S3_URL" 2 "$kind"
  AWS_ENDPOINT_URL=$FAKE_URL worker "s3://b/few/$n" 0
  [[ $rc == 0 ]] || { cat "$T/last"; fail "$kind x2: exit $rc"; }
  expect_published "few/$n" 0
  [[ $kind == slow:* ]] || grep -q "retry" "$T/last" || { cat "$T/last"; fail "$kind: no retry logged"; }
done

echo "== two faults on the PUT of result.json (the last write), then success"
for kind in 500 slowdown reset midreset; do
  start_fake "put-$kind" flaky "$S3_URL" 2 "$kind" '^PUT .*/result\.json'
  AWS_ENDPOINT_URL=$FAKE_URL worker "s3://b/put/$kind" 0
  [[ $rc == 0 ]] || { cat "$T/last"; fail "result.json PUT, $kind x2: exit $rc"; }
  expect_published "put/$kind" 0
done

echo "== persistent faults: bounded retries, exit 75, nothing half-published, then success"
# MATCH: every request; the model's PUT; result.json's PUT; every PUT.
for spec in '500|.' 'slowdown|^PUT .*/model\.h5' 'reset|^PUT .*/result\.json' \
    'midreset|^PUT' 'truncate|^GET'; do
  kind=${spec%%|*} match=${spec#*|}
  root="persist/$kind"
  start_fake "persist-$kind" flaky "$S3_URL" "$PERSIST" "$kind" "$match"
  AWS_ENDPOINT_URL=$FAKE_URL worker "s3://b/$root" 0
  [[ $rc == 75 ]] || { cat "$T/last"; fail "persistent $kind on '$match': exit $rc, not 75"; }
  ((secs < 60)) || fail "persistent $kind: $secs s (retries not bounded)"
  tail -1 "$T/last" | grep -q "^error: " || { cat "$T/last"; fail "$kind: last line not the error"; }
  ! grep -qi "abort\|terminate called\|Segmentation" "$T/last" || { cat "$T/last"; fail "crash"; }
  expect_no_orphan_result "$root"
  if [[ $kind != midreset ]]; then  # a midreset PUT reached s3rver before the reset
    ! keys "$root" | grep -q 'result.json$' || fail "$kind: result.json published: $(keys "$root")"
  fi
  # The faults stop; the engine retries the row.
  AWS_ENDPOINT_URL=$S3_URL worker "s3://b/$root" 0
  [[ $rc == 0 ]] || { cat "$T/last"; fail "retry after persistent $kind: exit $rc"; }
  expect_published "$root" 0
done

echo "== sweep collect s3:// through faults"
export AWS_ENDPOINT_URL=$S3_URL
worker s3://b/board 0 && [[ $rc == 0 ]] || fail "board row 0"
worker s3://b/board 1 && [[ $rc == 0 ]] || fail "board row 1"
"$SWEEP_BIN" collect s3://b/board --format csv >"$T/board.csv" 2>/dev/null || fail "collect"
[[ $(grep -c . "$T/board.csv") -eq 3 ]] || { cat "$T/board.csv"; fail "reference board"; }
n=0
for kind in 500 slowdown reset midreset truncate slow:1; do
  n=$((n + 1))
  start_fake "collect-few-$n" flaky "$S3_URL" 2 "$kind"
  AWS_ENDPOINT_URL=$FAKE_URL "$SWEEP_BIN" collect s3://b/board --format csv >"$T/got.csv" \
    2>"$T/collect.err" || { cat "$T/collect.err"; fail "collect through 2 x $kind"; }
  diff "$T/board.csv" "$T/got.csv" || fail "collect through 2 x $kind: another board"
done
for spec in '500|list-type' 'slowdown|/result\.json' 'midreset|/result\.json' \
    'truncate|/result\.json' 'reset|/sweep\.json'; do
  kind=${spec%%|*} match=${spec#*|}
  start_fake "collect-persist-$kind" flaky "$S3_URL" "$PERSIST" "$kind" "^GET .*$match"
  t0=$SECONDS
  code=0
  AWS_ENDPOINT_URL=$FAKE_URL "$SWEEP_BIN" collect s3://b/board --format csv >"$T/got.csv" \
    2>"$T/collect.err" || code=$?
  [[ $code == 75 ]] || { cat "$T/got.csv" "$T/collect.err"; fail "collect, $kind on $match: exit $code"; }
  ((SECONDS - t0 < 60)) || fail "collect, persistent $kind: not bounded"
  [[ ! -s $T/got.csv ]] || fail "collect, persistent $kind: a board was printed"
  # Retry warnings, then one error line naming the storage.
  [[ $(grep -c '^error: ' "$T/collect.err") -eq 1 ]] && tail -1 "$T/collect.err" | grep -q "^error: " ||
    { cat "$T/collect.err"; fail "collect: not one error line, last"; }
  tail -1 "$T/collect.err" | grep -q "s3://b/board" || { cat "$T/collect.err"; fail "collect: no key named"; }
done
echo "s3 faults test: ok"
