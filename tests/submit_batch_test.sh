#!/usr/bin/env bash
# `sweep submit --engine aws-batch`: the --dry-run bodies for 1, 7 and 12,345 rows are SubmitJob
# input botocore's Batch model accepts, with sizes {plain job}, {7}, {10000, 2345 @ 10000};
# --missing/--failed narrow to those rows; an early_terminate spec gives one array per rung, each
# with dependsOn on the rung before; a real submit reads the spec from S3 (s3rver), sends
# SubmitJob to a loopback stand-in for Batch, and the signature botocore recomputes matches.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
CHECK="$SWEEP_SOURCE_DIR/tests/aws_batch_check.py"
LOOP="$SWEEP_SOURCE_DIR/tests/batch_loopback.py"

for v in $(env | grep -o '^AWS_[A-Z_]*' || true); do unset "$v"; done
export HOME="$T/home" SWEEP_CACHE_DIR="$T/cache" AWS_EC2_METADATA_DISABLED=true
mkdir -p "$HOME"
PIDS=()
stop_servers() { local p; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
on_exit stop_servers

make_spec() {  # make_spec N FILE: a list spec of N distinct rows
  "$PY" - "$1" "$2" <<'PYEOF'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    for i in range(n):
        f.write(f"- {{dataset: 'synthetic:blobs?rows=200&features=8&classes=3', epochs: 1, seed: {i}}}\n")
PYEOF
}
SUBMIT=(submit --engine aws-batch --queue sweep-gpu --job-definition sweep-gpu:1)

for n in 1 7 12345; do
  make_spec "$n" "$T/spec$n.yml"
  expect_exit 0 "$SWEEP_BIN" "${SUBMIT[@]}" "$T/spec$n.yml" --dry-run
  cp "$T/out" "$T/bodies$n.jsonl"
  grep -q "local file" "$T/err" || fail "no warning about a local spec"
  "$PY" "$CHECK" validate SubmitJob "$T/bodies$n.jsonl" || fail "$n rows: botocore rejects the bodies"
  "$PY" "$CHECK" sizes "$T/bodies$n.jsonl" >"$T/sizes$n.txt"
done
[[ $(cat "$T/sizes1.txt") == "plain SWEEP_INDEX=0" ]] || fail "1 row: $(cat "$T/sizes1.txt")"
[[ $(cat "$T/sizes7.txt") == "7" ]] || fail "7 rows: $(cat "$T/sizes7.txt")"
[[ $(tr '\n' '|' <"$T/sizes12345.txt") == "10000|2345 SWEEP_INDEX_OFFSET=10000|" ]] \
  || fail "12345 rows: $(cat "$T/sizes12345.txt")"
"$PY" - "$T/bodies7.jsonl" "$T/spec7.yml" <<'PYEOF' || fail "environment overrides"
import json, sys
b = json.loads(open(sys.argv[1]).readline())
env = {e["name"]: e["value"] for e in b["containerOverrides"]["environment"]}
assert env == {"SWEEP_PARAMS": sys.argv[2], "SWEEP_STORAGE": "/storage"}, env
assert b["jobQueue"] == "sweep-gpu" and b["jobDefinition"] == "sweep-gpu:1", b
assert b["jobName"].startswith("sweep-"), b
PYEOF
pass "dry run: botocore accepts 1/7/12,345-row bodies; sizes plain, 7, 10000 + 2345@10000"

# --pack K: ceil(rows/K) children, the size limit counting children; one child is a plain job.
expect_exit 0 "$SWEEP_BIN" "${SUBMIT[@]}" "$T/spec12345.yml" --dry-run --pack 4
"$PY" "$CHECK" validate SubmitJob "$T/out" || fail "--pack 4: botocore rejects the bodies"
[[ $("$PY" "$CHECK" sizes "$T/out") == "3087 SWEEP_PACK=4 SWEEP_INDEX_COUNT=12345" ]] \
  || fail "--pack 4 over 12,345 rows: $("$PY" "$CHECK" sizes "$T/out")"
expect_exit 0 "$SWEEP_BIN" "${SUBMIT[@]}" "$T/spec7.yml" --dry-run --pack 7
[[ $("$PY" "$CHECK" sizes "$T/out") == "plain SWEEP_INDEX=0 SWEEP_PACK=7 SWEEP_INDEX_COUNT=7" ]] \
  || fail "--pack 7 over 7 rows: $("$PY" "$CHECK" sizes "$T/out")"
expect_exit 2 "$SWEEP_BIN" "${SUBMIT[@]}" "$T/spec7.yml" --dry-run --pack 0
pass "dry run --pack: 12,345 rows in 3087 children of 4; 7 rows in one plain job of 7"

# early_terminate (issue 18): every rung at once, each depending on the rung before.
source "$(dirname "$0")/halving_lib.sh"
write_halving_spec "$T/halving.yml"
expect_exit 0 "$SWEEP_BIN" "${SUBMIT[@]}" "$T/halving.yml" --dry-run
"$PY" "$CHECK" validate SubmitJob "$T/out" || fail "early_terminate: botocore rejects the bodies"
"$PY" - "$T/out" <<'PYEOF' || fail "early_terminate: rungs or dependsOn"
import json, sys
bodies = [json.loads(line) for line in open(sys.argv[1])]
sizes = [b["arrayProperties"]["size"] for b in bodies]
assert sizes == [27, 9, 3], sizes
rungs = [{e["name"]: e["value"] for e in b["containerOverrides"]["environment"]}["SWEEP_RUNG"] for b in bodies]
assert rungs == ["0-0", "0-1", "0-2"], rungs
assert "dependsOn" not in bodies[0]
for before, body in zip(bodies, bodies[1:]):
    assert body["dependsOn"] == [{"jobId": "<" + before["jobName"] + ">"}], body["dependsOn"]
PYEOF
pass "early_terminate dry run: arrays of 27, 9, 3 with SWEEP_RUNG, each dependsOn the rung before"

# Bad input never reaches the network: exit 2 with a reason.
expect_exit 2 "$SWEEP_BIN" "${SUBMIT[@]}" "$T/spec7.yml"
grep -q "s3://" "$T/err" || fail "no hint to upload the spec"
expect_exit 2 "$SWEEP_BIN" submit "$T/spec7.yml" --engine aws-batch --dry-run --job-definition d
grep -q -- "--queue" "$T/err" || fail "missing --queue not named"
expect_exit 2 "$SWEEP_BIN" "${SUBMIT[@]}" "$T/spec7.yml" --dry-run --job-name 'bad name'
expect_exit 2 "$SWEEP_BIN" submit "$T/spec7.yml" --engine slurn --dry-run
grep -q "slurm" "$T/err" || fail "no suggestion for a misspelt engine"
pass "bad options exit 2"

# --missing / --failed: rows 0-6 of the 7-row spec; 3 failed, 5 never ran, the rest succeeded.
S="$T/store"
mkdir -p "$S"
for i in 0 1 2 3 4 6; do
  status=succeeded; [[ $i == 3 ]] && status=failed
  mkdir -p "$S/$i"
  "$PY" - "$S/$i/result.json" "$i" "$status" <<'PYEOF'
import json, sys
path, i, status = sys.argv[1], int(sys.argv[2]), sys.argv[3]
r = {"format_version": 1, "index": i, "status": status, "params": {"seed": i}, "metrics": {},
     "history": [], "epochs": 1, "best_epoch": 1, "stopped_early": False, "seconds": 1.0,
     "attempt": 1, "host": "h", "version": "0.1.0"}
if status == "failed":
    r.update(error="boom", exit_code=75)
else:
    r.update(model="model/model.h5")
json.dump(r, open(path, "w"))
PYEOF
done
for what in failed missing both; do
  flags=(--failed); [[ $what == missing ]] && flags=(--missing); [[ $what == both ]] && flags=(--missing --failed)
  expect_exit 0 "$SWEEP_BIN" "${SUBMIT[@]}" "$T/spec7.yml" --dry-run --storage "$S" "${flags[@]}"
  "$PY" "$CHECK" validate SubmitJob "$T/out" >/dev/null || fail "$what: botocore rejects"
  "$PY" "$CHECK" sizes "$T/out" >"$T/sizes-$what.txt"
done
[[ $(cat "$T/sizes-failed.txt") == "plain SWEEP_INDEX=3" ]] || fail "failed: $(cat "$T/sizes-failed.txt")"
[[ $(cat "$T/sizes-missing.txt") == "plain SWEEP_INDEX=5" ]] || fail "missing: $(cat "$T/sizes-missing.txt")"
[[ $(cat "$T/sizes-both.txt") == "2 SWEEP_INDEX_MAP=3,5" ]] || fail "both: $(cat "$T/sizes-both.txt")"
pass "--failed / --missing submit rows 3, 5, and the map 3,5"

# Real submit: spec on S3 (s3rver), SubmitJob to the loopback stand-in, signature vs botocore.
js="$SWEEP_SOURCE_DIR/.cache/npm/node_modules/s3rver/bin/s3rver.js"
[[ -f $js ]] || fail "s3rver missing: run scripts/setup.sh --no-build"
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
node --openssl-legacy-provider "$js" -d "$T/s3data" -a 127.0.0.1 -p "$port" --configure-bucket specs \
  >"$T/s3rver.log" 2>&1 &
PIDS+=($!)
S3_URL="http://127.0.0.1:$port"
for _ in $(seq 200); do curl -fsS -o /dev/null "$S3_URL/" 2>/dev/null && break; sleep 0.05; done
for n in 7 12345; do curl -fsS -T "$T/spec$n.yml" "$S3_URL/specs/sweeps/spec$n.yml" >/dev/null; done

start_batch() {  # start_batch NAME [--status CODE]: sets BATCH_URL, BATCH_LOG
  local name=$1; shift
  BATCH_LOG="$T/$name.jsonl"
  "$PY" "$LOOP" serve "$T/$name.port" "$BATCH_LOG" "$@" 2>"$T/$name.err" &
  PIDS+=($!)
  for _ in $(seq 200); do [[ -s $T/$name.port ]] && break; sleep 0.05; done
  [[ -s $T/$name.port ]] || fail "loopback Batch did not start: $(cat "$T/$name.err")"
  BATCH_URL="http://127.0.0.1:$(cat "$T/$name.port")"
}
start_batch ok
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_SESSION_TOKEN=token-for-the-test
export AWS_REGION=us-east-1 AWS_ENDPOINT_URL_S3="$S3_URL" AWS_ENDPOINT_URL_BATCH="$BATCH_URL"
expect_exit 0 "$SWEEP_BIN" "${SUBMIT[@]}" s3://specs/sweeps/spec7.yml --storage s3://results/run1
grep -q "^submitted sweep-.*: [0-9a-f-]\{36\} (array of 7, rows 0-6)" "$T/out" || { cat "$T/out"; fail "no job id printed"; }
grep -q "aws batch describe-jobs --region us-east-1 --jobs " "$T/out" || fail "no watch hint"
expect_exit 0 "$SWEEP_BIN" "${SUBMIT[@]}" s3://specs/sweeps/spec12345.yml --job-name big
[[ $(grep -c "^submitted big-[01]: " "$T/out") == 2 ]] || { cat "$T/out"; fail "12,345 rows: two jobs"; }
"$PY" "$LOOP" verify "$BATCH_LOG" S3RVER token-for-the-test >"$T/sent.jsonl" \
  || fail "signatures do not match botocore's"
# The check is real: another secret gives other signatures.
expect_exit 1 "$PY" "$LOOP" verify "$BATCH_LOG" not-the-secret token-for-the-test
grep -q "signature mismatch" "$T/err" || fail "verify accepted a wrong secret"
"$PY" "$CHECK" sizes "$T/sent.jsonl" >"$T/sent-sizes.txt"
[[ $(tr '\n' '|' <"$T/sent-sizes.txt") == "7|10000|2345 SWEEP_INDEX_OFFSET=10000|" ]] \
  || fail "sent sizes: $(cat "$T/sent-sizes.txt")"
"$PY" - "$T/sent.jsonl" <<'PYEOF' || fail "sent environment"
import json, sys
b = json.loads(open(sys.argv[1]).readline())
env = {e["name"]: e["value"] for e in b["containerOverrides"]["environment"]}
assert env == {"SWEEP_PARAMS": "s3://specs/sweeps/spec7.yml", "SWEEP_STORAGE": "s3://results/run1"}, env
PYEOF
pass "3 SubmitJob requests sent; botocore SigV4Auth(batch) recomputes the same signatures"

# Batch says no: 4xx is bad input (exit 2), 5xx transient (75); the message is Batch's.
start_batch refuse --status 400
export AWS_ENDPOINT_URL_BATCH="$BATCH_URL"
expect_exit 2 "$SWEEP_BIN" "${SUBMIT[@]}" s3://specs/sweeps/spec7.yml
grep -q "ClientException" "$T/err" || fail "Batch's error not shown"
start_batch busy --status 500
export AWS_ENDPOINT_URL_BATCH="$BATCH_URL"
expect_exit 75 "$SWEEP_BIN" "${SUBMIT[@]}" s3://specs/sweeps/spec7.yml
pass "Batch errors: 400 -> exit 2, 500 -> exit 75"
