#!/usr/bin/env bash
# shellcheck disable=SC2016,SC2054 # literal ${...} placeholders; list values hold commas
# jobs/aws-batch: every template rendered by render.sh is a request body botocore's Batch model
# accepts (plus the strict and project checks of aws_batch_check.py); the job definitions' retry
# rules retry Spot loss, 75 and 143 and stop on exit 2; render.sh refuses what it must refuse.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
J="$SWEEP_SOURCE_DIR/jobs/aws-batch"
CHECK="$SWEEP_SOURCE_DIR/tests/aws_batch_check.py"

SETS=(
  --set ACCOUNT_ID=123456789012 --set REGION=us-east-1
  --set IMAGE=123456789012.dkr.ecr.us-east-1.amazonaws.com/sweep-worker:0.1.0
  --set JOB_ROLE_ARN=arn:aws:iam::123456789012:role/sweep-job
  --set EXECUTION_ROLE_ARN=arn:aws:iam::123456789012:role/ecsTaskExecutionRole
  --set EFS_ID=fs-0123456789abcdef0 --set ACCESS_POINT_ID=fsap-0123456789abcdef0
  --set AMI_ID=ami-0123456789abcdef0
  --set SUBNET_IDS=subnet-0123456789abcdef0,subnet-0fedcba9876543210
  --set SECURITY_GROUP_IDS=sg-0123456789abcdef0
  --set QUEUE_NAME=sweep-gpu --set COMPUTE_ENVIRONMENT=sweep-gpu-spot
)
for f in "$J"/*.json; do
  bash "$J/render.sh" "${SETS[@]}" -o "$T/$(basename "$f")" "$f" || fail "render $f"
  ! grep -nF '${' "$T/$(basename "$f")" || fail "placeholder left in $f"
done
templates=("$J"/*.json)
pass "rendered ${#templates[@]} templates"

"$PY" "$CHECK" validate RegisterJobDefinition "$T"/job-definition-*.json
"$PY" "$CHECK" validate CreateComputeEnvironment "$T"/compute-environment-*.json
"$PY" "$CHECK" validate CreateJobQueue "$T"/job-queue.json
pass "botocore accepts every rendered body"

# Typed placeholders: numbers and lists come out as JSON numbers and lists.
[[ $(json_get "$T/compute-environment-gpu-spot.json" 'd["computeResources"]["maxvCpus"]') == 256 ]] \
  || fail "maxvCpus not a number"
[[ $(json_get "$T/compute-environment-gpu-spot.json" 'len(d["computeResources"]["subnets"])') == 2 ]] \
  || fail "subnets not a list of 2"
[[ $(json_get "$T/job-definition-gpu.json" '[r for r in d["containerProperties"]["resourceRequirements"] if r["type"]=="GPU"][0]["value"]') == 1 ]] \
  || fail "GPU requirement"
[[ $(json_get "$T/job-definition-gpu.json" 'd["containerProperties"]["mountPoints"][0]["containerPath"]') == /storage ]] \
  || fail "mount point"
[[ $(json_get "$T/compute-environment-gpu-spot.json" 'd["computeResources"]["ec2Configuration"][0]["imageIdOverride"]') == ami-0123456789abcdef0 ]] \
  || fail "AMI override"

# Retry rules, evaluated like Batch (first matching rule wins, glob on the fields).
for def in job-definition-gpu job-definition-cpu; do
  "$PY" "$CHECK" retry "$T/$def.json" >"$T/retry.txt"
  for want in "spot-loss RETRY rule=0" "spot-loss-143 RETRY rule=0" "exit-75 RETRY" \
              "exit-143 RETRY" "exit-2 EXIT rule=3" "exit-1 EXIT" "oom EXIT"; do
    grep -q "^$want" "$T/retry.txt" || { cat "$T/retry.txt"; fail "$def: want '$want'"; }
  done
  [[ $(json_get "$T/$def.json" 'd["retryStrategy"]["attempts"]') == 3 ]] || fail "$def: attempts"
done
pass "retry rules: Spot loss, 75, 143 retried; exit 2 hits the catch-all EXIT"

# The validator is not a rubber stamp: it catches what the model leaves out.
"$PY" - "$T/job-definition-gpu.json" "$T" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
bad = {
  "enum": lambda d: d["containerProperties"]["resourceRequirements"][0].update(type="TPU"),
  "no-catch-all": lambda d: d["retryStrategy"]["evaluateOnExit"].pop(),
  "six-rules": lambda d: d["retryStrategy"]["evaluateOnExit"].insert(0, {"action": "RETRY", "onExitCode": "1"}) or
                         d["retryStrategy"]["evaluateOnExit"].insert(0, {"action": "RETRY", "onExitCode": "3"}),
  "unknown-key": lambda d: d.update(jobname="x"),
  "dangling-mount": lambda d: d["containerProperties"]["mountPoints"][0].update(sourceVolume="efs"),
  "no-transit-encryption": lambda d: d["containerProperties"]["volumes"][0]["efsVolumeConfiguration"].update(transitEncryption="DISABLED"),
  "attempts-11": lambda d: d["retryStrategy"].update(attempts=11),
}
for name, mutate in bad.items():
    c = json.loads(json.dumps(d)); mutate(c)
    json.dump(c, open(f"{sys.argv[2]}/bad-{name}.json", "w"))
PYEOF
for f in "$T"/bad-*.json; do
  expect_exit 1 "$PY" "$CHECK" validate RegisterJobDefinition "$f"
done
broken=("$T"/bad-*.json)
pass "validator rejects ${#broken[@]} broken job definitions"

# render.sh: bad values, unknown keys and missing values are errors; shellcheck-clean.
expect_exit 2 bash "$J/render.sh" "${SETS[@]}" --set ACCOUNT_ID=12345 "$J/job-queue.json"
grep -q "ACCOUNT_ID" "$T/err" || fail "no reason for a bad account id"
expect_exit 2 bash "$J/render.sh" "${SETS[@]}" --set COLOUR=blue "$J/job-queue.json"
expect_exit 2 bash "$J/render.sh" --set QUEUE_NAME=q "$J/job-queue.json"
grep -q "COMPUTE_ENVIRONMENT" "$T/err" || fail "missing placeholder not named"
expect_exit 2 bash "$J/render.sh" "${SETS[@]}" --set 'QUEUE_NAME=a"b' "$J/job-queue.json"
echo '{"x": "${NOT_A_KEY}"}' >"$T/foreign.json"
expect_exit 2 bash "$J/render.sh" "${SETS[@]}" "$T/foreign.json"
pass "render.sh refuses bad, unknown and missing values"

if command -v shellcheck >/dev/null; then
  shellcheck -x "$J/render.sh" "$SWEEP_SOURCE_DIR/jobs/slurm/sweep.sbatch" \
    "$SWEEP_SOURCE_DIR"/tests/jobs_*_test.sh "$SWEEP_SOURCE_DIR"/tests/submit_*_test.sh \
    || fail "shellcheck"
  pass "shellcheck"
fi
