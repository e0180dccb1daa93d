#!/usr/bin/env bash
# Ctrl-C (SIGINT) during `sweep run`: the workers are stopped, sweep exits 130, no partial
# result.json / model.h5 and no temp file is left, and no worker process survives. The stopped
# rows saved checkpoints (`sweep status` shows them), and a second `sweep run` resumes them
# from there.
source "$(dirname "$0")/run_lib.sh"
cat > spec.yml <<'YAML'
defaults: {dataset: "synthetic:blobs?rows=20000&features=32&classes=3", epochs: 400, hidden: [64, 64]}
runs:
  - {learning_rate: 0.01}
  - {learning_rate: 0.02}
  - {learning_rate: 0.03}
  - {learning_rate: 0.04}
YAML
"$SWEEP_BIN" run spec.yml -j 2 --storage "$WORK/S" > run.log 2>&1 &
pid=$!
for _ in $(seq 100); do  # wait (10 s at most) until both workers train
  [[ $(grep -c '^epoch' S/0/worker.log S/1/worker.log 2>/dev/null | grep -vc ':0$') == 2 ]] && break
  sleep 0.1
done
pgrep -f "sweep-worker.*$WORK/S" > /dev/null || { cat run.log; fail "no worker running"; }
kill -INT "$pid"
for _ in $(seq 300); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
kill -0 "$pid" 2> /dev/null && { kill -KILL "$pid"; fail "sweep still running 30 s after SIGINT"; }
set +e
wait "$pid"
rc=$?
set -e
cat run.log
expect_eq "$rc" 130 "exit code after SIGINT"
grep -q 'interrupted by SIGINT' run.log || fail "no interruption summary"
sleep 0.5
if pgrep -f "sweep-worker.*$WORK/S" > /dev/null; then pgrep -af "sweep-worker.*$WORK"; fail "orphan worker"; fi
for f in $(find S -name result.json); do
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$f" || fail "$f does not parse"
done
for d in S/*/; do
  if [[ -e $d/model/model.h5 && ! -e $d/result.json ]]; then fail "$d: model.h5 without result.json"; fi
done
leftovers=$(find S -name '*.tmp*')
[[ -z $leftovers ]] || fail "temp files left: $leftovers"
[[ ! -e S/2/result.json && ! -e S/3/result.json ]] || fail "rows 2-3 should not have started"
"$SWEEP_BIN" status S > status.txt
grep -Eq 'succeeded +0' status.txt && grep -Eq 'unfinished +2 +0,1' status.txt \
  || { cat status.txt; fail "status after interrupt"; }
grep -q 'row 0: checkpoint at epoch' status.txt || { cat status.txt; fail "no checkpoint in status"; }
# The second run resumes rows 0 and 1 from their checkpoints (stopped again at once: 400 epochs).
"$SWEEP_BIN" run spec.yml -j 2 --storage "$WORK/S" --only 0,1 > run2.log 2>&1 &
pid=$!
for _ in $(seq 100); do
  grep -q '^resuming row 0 from epoch' S/0/worker.log 2>/dev/null &&
    grep -q '^resuming row 1 from epoch' S/1/worker.log 2>/dev/null && break
  sleep 0.1
done
kill -INT "$pid"; wait "$pid" || true
grep -q '^resuming row 0 from epoch .* (attempt 1)' S/0/worker.log || { cat S/0/worker.log; fail "row 0 did not resume"; }
grep -q '^resuming row 1 from epoch' S/1/worker.log || { cat S/1/worker.log; fail "row 1 did not resume"; }
echo PASS
