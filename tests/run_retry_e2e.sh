#!/usr/bin/env bash
# The Batch contract under `sweep run`, with a fake worker: env and args of each child,
# retries only for 75/143 with AWS_BATCH_JOB_ATTEMPT counting up, never for 2, --only, --force.
source "$(dirname "$0")/run_lib.sh"
cat > fake-worker <<'SH'
#!/usr/bin/env bash
echo "index=$AWS_BATCH_JOB_ARRAY_INDEX size=$AWS_BATCH_JOB_ARRAY_SIZE attempt=$AWS_BATCH_JOB_ATTEMPT threads=$SWEEP_THREADS args=$*"
i=$AWS_BATCH_JOB_ARRAY_INDEX
storage=$4
publish() {
  printf '{"format_version": 1, "index": %d, "status": "succeeded", "params": {}, "metrics": {"val_accuracy": 0.%d}, "epochs": 1, "seconds": 0.1, "model": "model/model.h5"}\n' "$i" "$((i + 1))" > "$storage/$i/.result.json.tmp"
  mv "$storage/$i/.result.json.tmp" "$storage/$i/result.json"
}
case $i in
  1) [[ $AWS_BATCH_JOB_ATTEMPT -ge 3 ]] || { echo "throttled"; exit 75; } ;;
  2) echo "bad input: no such column"; exit 2 ;;
esac
publish
SH
chmod +x fake-worker
cat > spec.yml <<'YAML'
defaults: {dataset: "synthetic:blobs?rows=50&features=2&classes=2", epochs: 1}
runs: [{learning_rate: 0.1}, {learning_rate: 0.2}, {learning_rate: 0.3}, {learning_rate: 0.4}]
YAML
set +e
timeout 60 "$SWEEP_BIN" run spec.yml --storage S --worker ./fake-worker -j 1 --threads 3 --retries 2 \
  --set epochs=2 > run.log 2>&1
rc=$?
set -e
cat run.log
expect_eq "$rc" 1 "exit code"
grep -q "^index=0 size=4 attempt=1 threads=3 args=--params $WORK/spec.yml --storage $WORK/S --set epochs=2$" S/0/worker.log \
  || { cat S/0/worker.log; fail "child env/args"; }
expect_eq "$(grep -c '^index=1 ' S/1/worker.log)" 3 "attempts of row 1 kept in its log"
grep -q 'attempt=3' S/1/worker.log || fail "attempt 3"
grep -q '^row 1 succeeded .*(attempt 3)' run.log || fail "row 1 succeeded on attempt 3"
expect_eq "$(grep -c '^index=2 ' S/2/worker.log)" 1 "exit 2 is never retried"
grep -q '"exit_code": 2' S/2/result.json || { cat S/2/result.json; fail "failed result recorded"; }
grep -q 'bad input: no such column' S/2/result.json || fail "reason recorded"
"$SWEEP_BIN" collect S | grep -q '^failed: 2 (exit 2): .*no such column' || fail "collect reason"

# --only with a bad index is refused before anything starts.
expect_eq "$(timeout 30 "$SWEEP_BIN" run spec.yml --storage S --worker ./fake-worker --set epochs=2 --only 9 > only.log 2>&1; echo $?)" 2 "--only 9"
grep -q -- '--only 9' only.log || fail "--only message"
# --only 0 skips the succeeded row; with --force it reruns it.
timeout 30 "$SWEEP_BIN" run spec.yml --storage S --worker ./fake-worker --set epochs=2 --only 0 > o1.log 2>&1
grep -q 'running 0 ' o1.log || { cat o1.log; fail "--only 0 without --force"; }
timeout 30 "$SWEEP_BIN" run spec.yml --storage S --worker ./fake-worker --set epochs=2 --only 0,3 --force > o2.log 2>&1
expect_eq "$(grep -c '^row [0-9]* succeeded in ' o2.log)" 2 "--only 0,3 --force"
echo PASS
