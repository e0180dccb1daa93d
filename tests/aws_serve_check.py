#!/usr/bin/python3
"""Offline checks of the serving templates (jobs/aws-serve/*.json, rendered) against botocore's
own ECS, Lambda and IAM service models, as tests/aws_batch_check.py does for Batch.

Usage: aws_serve_check.py KIND FILE...
  KIND: ecs.RegisterTaskDefinition, ecs.CreateService, lambda.CreateFunction,
        lambda.CreateFunctionUrlConfig (request bodies), iam.Policy (a permissions policy
        document, checked as CreatePolicy's PolicyDocument), iam.TrustPolicy (a trust policy,
        as CreateRole's AssumeRolePolicyDocument).
Passes per body, any error exits 1 naming the file and field: botocore's ParamValidator; the
strict pass (enums, maxima, patterns; aws_batch_check.strict_errors); project rules the models do
not carry: Fargate cpu/memory pairs, the readiness health check on the served port, awslogs, an
image function with the `sweep serve` command, read-only IAM actions on one bucket's prefix.
"""
import json
import os
import sys

import botocore
import botocore.session
from botocore.validate import ParamValidator

sys.path.insert(0, os.path.dirname(__file__))
from aws_batch_check import PINNED, load_bodies, strict_errors  # noqa: E402

# Fargate's task sizes: cpu -> allowed memory (MiB).
FARGATE = {
    "256": [512, 1024, 2048],
    "512": list(range(1024, 4097, 1024)),
    "1024": list(range(2048, 8193, 1024)),
    "2048": list(range(4096, 16385, 1024)),
    "4096": list(range(8192, 30721, 1024)),
}
READ_ONLY = {"s3:GetObject", "s3:ListBucket"}


def task_errors(b):
    errs = []
    if "FARGATE" in b.get("requiresCompatibilities", []):
        if b.get("networkMode") != "awsvpc":
            errs.append("networkMode: Fargate needs awsvpc")
        if int(b.get("memory", 0)) not in FARGATE.get(b.get("cpu"), []):
            errs.append(f"cpu {b.get('cpu')} / memory {b.get('memory')}: not a Fargate size")
    if not b.get("taskRoleArn"):
        errs.append("taskRoleArn: the task reads the sweep root with it")
    for c in b.get("containerDefinitions", []):
        ports = [p["containerPort"] for p in c.get("portMappings", [])]
        cmd = c.get("command", [])
        port = cmd[cmd.index("--port") + 1] if "--port" in cmd else "8501"
        if c.get("entryPoint") != ["sweep"] or cmd[:1] != ["serve"]:
            errs.append(f"{c['name']}: not `sweep serve`: {c.get('entryPoint')} {cmd[:2]}")
        if int(port) not in ports:
            errs.append(f"{c['name']}: serves on {port}, maps {ports}")
        check = " ".join(c.get("healthCheck", {}).get("command", []))
        if "/v2/health/ready" not in check or f"/{port} " not in check:
            errs.append(f"{c['name']}: health check is not the readiness route on {port}")
        if c.get("logConfiguration", {}).get("logDriver") != "awslogs":
            errs.append(f"{c['name']}: no awslogs log configuration")
    return errs


def function_errors(b):
    errs = []
    if b.get("PackageType") == "Image":
        if "ImageUri" not in b.get("Code", {}) or "Runtime" in b or "Handler" in b:
            errs.append("an Image function takes Code.ImageUri and no Runtime/Handler")
        ic = b.get("ImageConfig", {})
        if ic.get("EntryPoint") != ["sweep"] or ic.get("Command", [])[:1] != ["serve"]:
            errs.append(f"ImageConfig: not `sweep serve`: {ic}")
    if not 128 <= b.get("MemorySize", 128) <= 10240:
        errs.append(f"MemorySize {b.get('MemorySize')} not in 128..10240")
    if not 1 <= b.get("Timeout", 3) <= 900:
        errs.append(f"Timeout {b.get('Timeout')} not in 1..900")
    return errs


def statements(doc):
    st = doc.get("Statement", [])
    return st if isinstance(st, list) else [st]


def as_list(v):
    return v if isinstance(v, list) else [v]


def policy_errors(doc, trust):
    errs = []
    if doc.get("Version") != "2012-10-17":
        errs.append(f"Version {doc.get('Version')!r}, want '2012-10-17'")
    for i, s in enumerate(statements(doc)):
        if s.get("Effect") not in ("Allow", "Deny"):
            errs.append(f"Statement[{i}].Effect {s.get('Effect')!r}")
        actions = as_list(s.get("Action", []))
        if trust:
            if actions != ["sts:AssumeRole"] or "Service" not in s.get("Principal", {}):
                errs.append(f"Statement[{i}]: a trust policy lets a service assume the role")
            continue
        if "Principal" in s:
            errs.append(f"Statement[{i}]: Principal in a permissions policy")
        if not set(actions) <= READ_ONLY:
            errs.append(f"Statement[{i}].Action {actions}: not read-only ({sorted(READ_ONLY)})")
        for r in as_list(s.get("Resource", [])):
            if not r.startswith("arn:aws:s3:::") or r in ("*", "arn:aws:s3:::*") or (
                    "s3:GetObject" in actions and not r.endswith("/*")):
                errs.append(f"Statement[{i}].Resource {r!r}: not one bucket's prefix")
        if "s3:ListBucket" in actions and "s3:prefix" not in json.dumps(s.get("Condition", {})):
            errs.append(f"Statement[{i}]: ListBucket without an s3:prefix condition")
    return errs


def check(kind, body):
    service, op = kind.split(".")
    model = botocore.session.get_session().get_service_model(service)
    if kind == "iam.Policy":
        op, request = "CreatePolicy", {"PolicyName": "sweep-read", "PolicyDocument": json.dumps(body)}
    elif kind == "iam.TrustPolicy":
        op, request = "CreateRole", {"RoleName": "sweep-serve",
                                     "AssumeRolePolicyDocument": json.dumps(body)}
    else:
        request = body
    shape = model.operation_model(op).input_shape
    report = ParamValidator().validate(request, shape)
    errs = [report.generate_report()] if report.has_errors() else []
    errs += strict_errors(request, shape, op)
    if op == "RegisterTaskDefinition":
        errs += task_errors(body)
    elif op == "CreateFunction":
        errs += function_errors(body)
    elif op == "CreateService" and body.get("launchType") == "FARGATE":
        if not body.get("networkConfiguration", {}).get("awsvpcConfiguration", {}).get("subnets"):
            errs.append("a Fargate service needs awsvpcConfiguration.subnets")
    elif kind.startswith("iam."):
        errs += policy_errors(body, kind == "iam.TrustPolicy")
    return errs


def main(argv):
    if not botocore.__version__.startswith(PINNED):
        print(f"aws_serve_check.py: want python3-botocore {PINNED}x, have {botocore.__version__}",
              file=sys.stderr)
        return 1
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    kind, failed, count = argv[0], 0, 0
    for path in argv[1:]:
        for i, body in enumerate(load_bodies(path)):
            count += 1
            errs = check(kind, body)
            for e in errs:
                print(f"{path} body {i}: {e}", file=sys.stderr)
            failed += bool(errs)
    print(f"{kind}: {count - failed}/{count} bodies valid (botocore {botocore.__version__})")
    return 1 if failed or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
