#!/usr/bin/env bash
# Two `sweep run` on one storage: the second stops at once (exit 2) naming the first's pid,
# and trains nothing; once the first has ended (here: killed with SIGKILL, the lock goes with
# the process) a new run takes the storage and resumes.
source "$(dirname "$0")/run_lib.sh"
cat > spec.yml <<'YAML'
defaults: {dataset: "synthetic:blobs?rows=20000&features=32&classes=3", epochs: 300, hidden: [64, 64]}
runs:
  - {learning_rate: 0.01}
  - {learning_rate: 0.02}
YAML
"$SWEEP_BIN" run spec.yml -j 1 --storage "$WORK/S" > first.log 2>&1 &
pid=$!
for _ in $(seq 100); do [[ -s S/0/worker.log ]] && break; sleep 0.1; done
[[ -s S/0/worker.log ]] || { cat first.log; fail "the first run did not start a worker"; }
set +e
start=$SECONDS
"$SWEEP_BIN" run spec.yml --storage "$WORK/S" > second.log 2>&1
rc=$?
set -e
cat second.log
expect_eq "$rc" 2 "the second run's exit code"
(( SECONDS - start <= 2 )) || fail "the second run did not stop at once"
grep -q "is in use by another \`sweep run\` (held by pid $pid since " second.log || fail "message"
[[ ! -e S/1/worker.log ]] || fail "the second run started row 1"
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
pkill -KILL -f "sweep-worker.*$WORK/S" || true
"$SWEEP_BIN" run spec.yml --storage "$WORK/S" --only 1 > third.log 2>&1 &
third=$!
for _ in $(seq 50); do grep -q "running 1" third.log 2>/dev/null && break; sleep 0.1; done
grep -q "running 1" third.log || { cat third.log; fail "the storage was not free after the first run died"; }
kill -INT "$third"; wait "$third" 2>/dev/null || true
echo "ok: the second run refused at once; the lock went with the first run's process"
