#!/usr/bin/env bash
# shellcheck disable=SC2016,SC2054 # literal ${...} placeholders; list values hold commas
# jobs/aws-serve: every serving template (ECS/Fargate task definition and service, Lambda
# CreateFunction and function URL, IAM policies) rendered by jobs/aws-batch/render.sh is a body
# botocore's own ECS, Lambda and IAM models accept, plus the rules of tests/aws_serve_check.py;
# the checker rejects broken variants; the ECS health check is answered by a real `sweep serve`.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
J="$SWEEP_SOURCE_DIR/jobs/aws-serve"
RENDER="$SWEEP_SOURCE_DIR/jobs/aws-batch/render.sh"
CHECK="$SWEEP_SOURCE_DIR/tests/aws_serve_check.py"

SETS=(
  --set ACCOUNT_ID=123456789012 --set REGION=us-east-1
  --set IMAGE=123456789012.dkr.ecr.us-east-1.amazonaws.com/sweep-worker:0.1.0
  --set EXECUTION_ROLE_ARN=arn:aws:iam::123456789012:role/ecsTaskExecutionRole
  --set TASK_ROLE_ARN=arn:aws:iam::123456789012:role/sweep-serve-task
  --set FUNCTION_ROLE_ARN=arn:aws:iam::123456789012:role/sweep-serve-lambda
  --set BUCKET=my-sweeps --set PREFIX=results/zoo
  --set SUBNET_IDS=subnet-0123456789abcdef0,subnet-0fedcba9876543210
  --set SECURITY_GROUP_IDS=sg-0123456789abcdef0
)
for f in "$J"/*.json; do
  bash "$RENDER" "${SETS[@]}" -o "$T/$(basename "$f")" "$f" || fail "render $f"
  ! grep -nF '${' "$T/$(basename "$f")" || fail "placeholder left in $f"
done
templates=("$J"/*.json)
pass "rendered ${#templates[@]} templates"

"$PY" "$CHECK" ecs.RegisterTaskDefinition "$T/ecs-task-definition.json"
"$PY" "$CHECK" ecs.CreateService "$T/ecs-service.json"
"$PY" "$CHECK" lambda.CreateFunction "$T/lambda-create-function.json"
"$PY" "$CHECK" lambda.CreateFunctionUrlConfig "$T/lambda-function-url.json"
"$PY" "$CHECK" iam.Policy "$T/iam-read-sweep-root.json"
"$PY" "$CHECK" iam.TrustPolicy "$T/iam-trust-ecs-tasks.json" "$T/iam-trust-lambda.json"
pass "botocore's ECS, Lambda and IAM models accept every rendered body"

[[ $(json_get "$T/lambda-create-function.json" 'd["ImageConfig"]["Command"][1]') == s3://my-sweeps/results/zoo ]] \
  || fail "Lambda command does not name the sweep root"
[[ $(json_get "$T/ecs-service.json" 'd["desiredCount"]') == 1 ]] || fail "desiredCount not a number"

# The checker is not a rubber stamp.
"$PY" - "$T" <<'PYEOF'
import json, sys
t = sys.argv[1]
def load(n): return json.load(open(f"{t}/{n}.json"))
cases = {
  "ecs.RegisterTaskDefinition": [
    ("fargate-size", "ecs-task-definition", lambda d: d.update(cpu="256", memory="4096")),
    ("health-path", "ecs-task-definition", lambda d: d["containerDefinitions"][0]["healthCheck"].update(
        command=["CMD", "true"])),
    ("unknown-key", "ecs-task-definition", lambda d: d.update(famly="x")),
  ],
  "lambda.CreateFunction": [
    ("memory", "lambda-create-function", lambda d: d.update(MemorySize=64)),
    ("runtime", "lambda-create-function", lambda d: d.update(Runtime="python3.11", Handler="x")),
  ],
  "lambda.CreateFunctionUrlConfig": [
    ("auth", "lambda-function-url", lambda d: d.update(AuthType="OPEN")),
  ],
  "iam.Policy": [
    ("write", "iam-read-sweep-root", lambda d: d["Statement"][1].update(Action=["s3:GetObject", "s3:PutObject"])),
    ("star", "iam-read-sweep-root", lambda d: d["Statement"][1].update(Resource="*")),
    ("list-all", "iam-read-sweep-root", lambda d: d["Statement"][0].pop("Condition")),
  ],
}
with open(f"{t}/bad.txt", "w") as out:
    for kind, items in cases.items():
        for name, base, mutate in items:
            d = load(base); mutate(d)
            json.dump(d, open(f"{t}/bad-{name}.json", "w"))
            out.write(f"{kind} {t}/bad-{name}.json\n")
PYEOF
n=0
while read -r kind f; do
  expect_exit 1 "$PY" "$CHECK" "$kind" "$f"
  n=$((n + 1))
done < "$T/bad.txt"
pass "the checker rejects $n broken bodies"

# The task definition's health check, run as ECS runs it, against a real `sweep serve`.
make_image_sweep "$T/s"
start_serve "$T/serve.log" "$T/s"
port=${SERVE_URL##*:}
wait_ready /v2/health/ready
"$PY" - "$T/ecs-task-definition.json" "$port" <<'PYEOF'
import json, subprocess, sys
hc = json.load(open(sys.argv[1]))["containerDefinitions"][0]["healthCheck"]["command"]
assert hc[0] == "CMD", hc
cmd = [a.replace("/8501", "/" + sys.argv[2]) for a in hc[1:]]
subprocess.run(cmd, check=True, timeout=hc and 5)
bad = [a.replace("/v2/health/ready", "/v2/health/nope") for a in cmd]
assert subprocess.run(bad, timeout=5).returncode != 0, "the health check passes on a 404"
PYEOF
stop_serve
pass "the ECS health check passes on a ready server and fails on a 404"

expect_exit 2 bash "$RENDER" "${SETS[@]}" --set PREFIX=/results "$J/iam-read-sweep-root.json"
expect_exit 2 bash "$RENDER" "${SETS[@]}" --set SERVE_POLICY=worst "$J/lambda-create-function.json"
pass "render.sh refuses a leading-slash prefix and an unknown policy"
