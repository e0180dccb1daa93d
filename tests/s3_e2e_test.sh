#!/usr/bin/env bash
# The issue's demo on loopback: sweep-worker reads its row and data from s3:// and publishes
# model.h5 + result.json to s3://; `sweep collect s3://...` ranks them. A 403 ends the worker with
# exit 2 and one clear line without the secret.
source "$(dirname "$0")/s3_lib.sh"
: "${SWEEP_WORKER:?}" "${SWEEP_BIN:?}"
start_s3rver b
s3rver_credentials
export AWS_ENDPOINT_URL=$S3_URL

cat >"$T/params.yml" <<'YML'
- {dataset: zoo.csv, hidden: [8], epochs: 30, seed: 1, learning_rate: 0.05}
- {dataset: zoo.csv, hidden: [], epochs: 2, seed: 2, learning_rate: 0.001}
YML
"$TOOL" put s3://b/sweeps/x/params.yml "$T/params.yml"
"$TOOL" put s3://b/sweeps/x/zoo.csv "$SWEEP_SOURCE_DIR/tests/data/zoo.csv"

echo "== workers: s3:// params, relative data set resolved against the spec's prefix, s3:// storage"
for i in 0 1; do
  AWS_BATCH_JOB_ARRAY_INDEX=$i "$SWEEP_WORKER" --params s3://b/sweeps/x/params.yml \
    --storage s3://b/results/x >"$T/worker-$i.log" 2>&1 || { cat "$T/worker-$i.log"; fail "worker $i"; }
done
"$TOOL" ls s3://b/results/x/ | sort >"$T/keys"
printf '%s\n' results/x/0/model/model.h5 results/x/0/result.json results/x/1/model/model.h5 \
  results/x/1/result.json | diff - "$T/keys" || fail "published keys"
"$TOOL" get s3://b/results/x/0/model/model.h5 "$T/model.h5"
[[ $(head -c 4 "$T/model.h5" | od -An -c | tr -d ' ') == '211HDF' ]] || fail "model.h5 is not HDF5"
find "$SWEEP_CACHE_DIR" -name zoo.csv | grep -q . || fail "data set not in the input cache"

echo "== sweep collect s3://b/results/x"
"$SWEEP_BIN" collect s3://b/results/x --format csv >"$T/board.csv" 2>"$T/collect.err" ||
  { cat "$T/collect.err"; fail "collect"; }
cat "$T/board.csv"
[[ $(grep -c . "$T/board.csv") -ge 3 ]] || fail "leaderboard has fewer than 2 rows"

echo "== sweep run --replan on s3://: the changed row's files move to history/, the rest stays"
cd "$T"
printf -- '- {dataset: %s, hidden: [], epochs: 1, seed: %s}\n' "$T/zoo.csv" 1 "$T/zoo.csv" 2 >run.yml
cp "$SWEEP_SOURCE_DIR/tests/data/zoo.csv" "$T/zoo.csv"
"$SWEEP_BIN" run run.yml --storage s3://b/results/r >"$T/run1.log" 2>&1 || { cat "$T/run1.log"; fail "run"; }
printf -- '- {dataset: %s, hidden: [], epochs: 1, seed: %s}\n' "$T/zoo.csv" 1 "$T/zoo.csv" 3 >run.yml
code=0
"$SWEEP_BIN" run run.yml --storage s3://b/results/r >"$T/run2.log" 2>&1 || code=$?
[[ $code == 2 ]] && grep -q '1 unchanged (kept), 1 changed (rerun): 1' "$T/run2.log" ||
  { cat "$T/run2.log"; fail "changed spec on s3:// not refused with the counts"; }
"$SWEEP_BIN" run run.yml --storage s3://b/results/r --replan >"$T/run3.log" 2>&1 ||
  { cat "$T/run3.log"; fail "--replan on s3://"; }
"$TOOL" ls s3://b/results/r/ | sort >"$T/rkeys"
grep -Eq '^results/r/history/[0-9T]+Z/1/result.json$' "$T/rkeys" &&
  grep -Eq '^results/r/history/[0-9T]+Z/1/model/model.h5$' "$T/rkeys" &&
  grep -Eq '^results/r/history/[0-9T]+Z/sweep.json$' "$T/rkeys" &&
  grep -qx 'results/r/1/result.json' "$T/rkeys" || { cat "$T/rkeys"; fail "s3:// history keys"; }
"$TOOL" get s3://b/results/r/1/result.json "$T/r1.json"
grep -q '"seed": *3' "$T/r1.json" || fail "row 1 was not rerun with the new seed"
"$SWEEP_BIN" status s3://b/results/r >"$T/rstatus" 2>&1 || { cat "$T/rstatus"; fail "status"; }
! grep -q 'not part of a sweep' "$T/rstatus" || { cat "$T/rstatus"; fail "history is foreign"; }

echo "== 403 -> exit 2, one line, no secret"
start_fake forbidden forbidden
export AWS_ENDPOINT_URL=$FAKE_URL AWS_SECRET_ACCESS_KEY="wOrKeR-sEcReT-777"
set +e
"$SWEEP_WORKER" --index 0 --params s3://b/sweeps/x/params.yml --storage s3://b/results/y \
  >"$T/denied.log" 2>&1
rc=$?
set -e
cat "$T/denied.log"
[[ $rc -eq 2 ]] || fail "403: worker exit $rc"
[[ $(wc -l <"$T/denied.log") -eq 1 ]] && grep -q "s3://b/sweeps/x/params.yml: HTTP 403" "$T/denied.log" ||
  fail "403: not one clear line"
! grep -qF -e "$AWS_SECRET_ACCESS_KEY" -e "Signature=" "$T"/*.log "$T/collect.err" || fail "secret printed"
echo "s3 e2e test: ok"
