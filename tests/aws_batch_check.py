#!/usr/bin/python3
"""Offline checks of AWS Batch request bodies against botocore's own Batch service model.

Usage:
  aws_batch_check.py validate OPERATION FILE...   each FILE one JSON body, or JSON Lines (one
                                                  body a line); "-" reads stdin
  aws_batch_check.py retry FILE                   prints the action the job definition's
                                                  retryStrategy takes for the test events
  aws_batch_check.py sizes FILE                   prints each SubmitJob body's array size
                                                  ("plain" for none) and SWEEP_INDEX_OFFSET

Three passes per body, any error exits 1 naming the file, body and field:
  1. botocore.validate.ParamValidator: unknown keys, missing required, JSON types, minimums;
  2. a strict pass ParamValidator skips: enums, maximum lengths/values, string patterns;
  3. rules the model does not carry: array size 2..10,000, mountPoints naming a volume, EFS
     access point/IAM needing transit encryption and a job role, Fargate without GPU, retry
     strategy shape (<= 5 rules, patterns, a final catch-all EXIT).
Runs under Debian 12's /usr/bin/python3 with python3-botocore 1.29.27 (pinned: a different
model version can accept or reject different fields).
"""
import fnmatch
import json
import re
import sys

import botocore
import botocore.session
from botocore.validate import ParamValidator

PINNED = "1.29."


def load_bodies(path):
    text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
    text = text.strip()
    try:
        return [json.loads(text)]
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def pattern_ok(pattern, value):
    """re.search, except for the Java-only classes (\\p{L}, ...) some models use (ECS tags):
    Python's re cannot compile them, so those patterns are not checked."""
    try:
        return re.search(pattern, value) is not None
    except re.error:
        return True


def strict_errors(value, shape, path):
    """Enum, max and pattern checks that ParamValidator leaves out."""
    errs = []
    meta = shape.metadata
    t = shape.type_name
    if t == "structure" and isinstance(value, dict):
        for k, v in value.items():
            if k in shape.members:
                errs += strict_errors(v, shape.members[k], f"{path}.{k}")
    elif t == "list" and isinstance(value, list):
        if "max" in meta and len(value) > meta["max"]:
            errs.append(f"{path}: {len(value)} items > max {meta['max']}")
        for i, v in enumerate(value):
            errs += strict_errors(v, shape.member, f"{path}[{i}]")
    elif t == "map" and isinstance(value, dict):
        if "max" in meta and len(value) > meta["max"]:
            errs.append(f"{path}: {len(value)} entries > max {meta['max']}")
        for k, v in value.items():
            errs += strict_errors(k, shape.key, f"{path} key")
            errs += strict_errors(v, shape.value, f"{path}.{k}")
    elif t == "string" and isinstance(value, str):
        if shape.enum and value not in shape.enum:
            errs.append(f"{path}: '{value}' not one of {shape.enum}")
        if "max" in meta and len(value) > meta["max"]:
            errs.append(f"{path}: length {len(value)} > max {meta['max']}")
        if "pattern" in meta and not pattern_ok(meta["pattern"], value):
            errs.append(f"{path}: '{value}' does not match {meta['pattern']}")
    elif t in ("integer", "long", "float", "double") and isinstance(value, (int, float)):
        if "max" in meta and value > meta["max"]:
            errs.append(f"{path}: {value} > max {meta['max']}")
    return errs


GLOB_FIELD = re.compile(r"^[A-Za-z0-9.: ]*\*?$")  # letters, digits, . : space; '*' only at the end
EXIT_CODE_FIELD = re.compile(r"^[0-9]*\*?$")


def retry_errors(rs, path):
    errs = []
    attempts = rs.get("attempts")
    if attempts is not None and not 1 <= attempts <= 10:
        errs.append(f"{path}.attempts: {attempts} not in 1..10")
    rules = rs.get("evaluateOnExit", [])
    if len(rules) > 5:
        errs.append(f"{path}.evaluateOnExit: {len(rules)} rules > 5")
    for i, r in enumerate(rules):
        if r.get("action", "").upper() not in ("RETRY", "EXIT"):
            errs.append(f"{path}.evaluateOnExit[{i}].action: {r.get('action')}")
        for f in ("onStatusReason", "onReason"):
            if f in r and not GLOB_FIELD.match(r[f]):
                errs.append(f"{path}.evaluateOnExit[{i}].{f}: bad pattern '{r[f]}'")
        if "onExitCode" in r and not EXIT_CODE_FIELD.match(r["onExitCode"]):
            errs.append(f"{path}.evaluateOnExit[{i}].onExitCode: bad pattern '{r['onExitCode']}'")
    # Batch retries when no rule matches: the last rule must stop everything else.
    if rules and rules[-1] != {"action": "EXIT", "onReason": "*"}:
        errs.append(f"{path}.evaluateOnExit: last rule must be the catch-all "
                    '{"action": "EXIT", "onReason": "*"}')
    return errs


def project_errors(op, body):
    errs = []
    if op == "SubmitJob":
        size = body.get("arrayProperties", {}).get("size")
        if size is not None and not 2 <= size <= 10000:
            errs.append(f"arrayProperties.size: {size} not in 2..10000")
        env = body.get("containerOverrides", {}).get("environment", [])
        names = [e["name"] for e in env]
        if len(names) != len(set(names)):
            errs.append(f"containerOverrides.environment: duplicate names {names}")
        if len(json.dumps(body.get("containerOverrides", {}))) > 8192:
            errs.append("containerOverrides: over 8192 characters")
    if op == "RegisterJobDefinition":
        cp = body.get("containerProperties", {})
        vols = {v["name"]: v for v in cp.get("volumes", [])}
        for i, m in enumerate(cp.get("mountPoints", [])):
            if m.get("sourceVolume") not in vols:
                errs.append(f"containerProperties.mountPoints[{i}].sourceVolume: "
                            f"'{m.get('sourceVolume')}' names no volume")
        for name, v in vols.items():
            efs = v.get("efsVolumeConfiguration")
            if not efs:
                continue
            auth = efs.get("authorizationConfig", {})
            if auth and efs.get("transitEncryption") != "ENABLED":
                errs.append(f"volume {name}: access point / IAM need transitEncryption ENABLED")
            if auth.get("accessPointId") and efs.get("rootDirectory", "/") != "/":
                errs.append(f"volume {name}: rootDirectory must be / with an access point")
            if auth.get("iam") == "ENABLED" and not cp.get("jobRoleArn"):
                errs.append(f"volume {name}: iam ENABLED needs containerProperties.jobRoleArn")
        types = [r["type"] for r in cp.get("resourceRequirements", [])]
        if "FARGATE" in body.get("platformCapabilities", []):
            if "GPU" in types:
                errs.append("Fargate job definitions cannot request a GPU")
            if not cp.get("executionRoleArn"):
                errs.append("Fargate job definitions need executionRoleArn")
        for t in ("VCPU", "MEMORY"):
            if t not in types:
                errs.append(f"containerProperties.resourceRequirements: no {t}")
        if "retryStrategy" in body:
            errs += retry_errors(body["retryStrategy"], "retryStrategy")
    if op == "CreateComputeEnvironment":
        cr = body.get("computeResources", {})
        for i, c in enumerate(cr.get("ec2Configuration", [])):
            if c.get("imageType") not in ("ECS_AL1", "ECS_AL2", "ECS_AL2_NVIDIA", "ECS_AL2023",
                                          "ECS_AL2023_NVIDIA"):
                errs.append(f"computeResources.ec2Configuration[{i}].imageType: "
                            f"'{c.get('imageType')}'")
        if cr.get("type") in ("FARGATE", "FARGATE_SPOT"):
            for k in ("instanceTypes", "instanceRole", "ec2Configuration", "minvCpus",
                      "allocationStrategy", "imageId"):
                if k in cr:
                    errs.append(f"computeResources.{k}: not allowed for Fargate")
    return errs


def validate(op, paths):
    model = botocore.session.get_session().get_service_model("batch")
    shape = model.operation_model(op).input_shape
    failed = 0
    count = 0
    for path in paths:
        for i, body in enumerate(load_bodies(path)):
            count += 1
            report = ParamValidator().validate(body, shape)
            errs = [report.generate_report()] if report.has_errors() else []
            errs += strict_errors(body, shape, op)
            errs += project_errors(op, body)
            for e in errs:
                print(f"{path} body {i}: {e}", file=sys.stderr)
            failed += bool(errs)
    print(f"{op}: {count - failed}/{count} bodies valid (botocore {botocore.__version__})")
    return 1 if failed or count == 0 else 0


def retry_action(rules, exit_code, status_reason, reason):
    """Batch's evaluation: first rule whose every given field matches (glob) wins; no match
    retries. Returns (action, index of the rule or None). An absent exit code matches no onExitCode rule."""
    for i, r in enumerate(rules):
        ok = True
        if "onExitCode" in r:
            ok &= exit_code is not None and fnmatch.fnmatchcase(str(exit_code), r["onExitCode"])
        if "onStatusReason" in r:
            ok &= fnmatch.fnmatchcase(status_reason or "", r["onStatusReason"])
        if "onReason" in r:
            ok &= fnmatch.fnmatchcase(reason or "", r["onReason"])
        if ok:
            return r["action"].upper(), i
    return "RETRY", None


RETRY_EVENTS = [  # name, exit code, statusReason, reason (of the container)
    ("spot-loss", None, "Host EC2 (instance i-0abc) terminated.", ""),
    ("spot-loss-143", 143, "Host EC2 (instance i-0abc) terminated.", ""),
    ("exit-75", 75, "Essential container in task exited", ""),
    ("exit-143", 143, "Essential container in task exited", ""),
    ("exit-2", 2, "Essential container in task exited", ""),
    ("exit-1", 1, "Essential container in task exited", ""),
    ("oom", 137, "Essential container in task exited", "OutOfMemoryError: Container killed"),
]


def retry(path):
    body = load_bodies(path)[0]
    rules = body["retryStrategy"]["evaluateOnExit"]
    for name, code, status_reason, reason in RETRY_EVENTS:
        action, rule = retry_action(rules, code, status_reason, reason)
        print(f"{name} {action} rule={rule}")
    return 0


def sizes(path):
    for body in load_bodies(path):
        env = {e["name"]: e["value"] for e in body.get("containerOverrides", {})
               .get("environment", [])}
        size = body.get("arrayProperties", {}).get("size", "plain")
        extra = [f"{k}={env[k]}" for k in ("SWEEP_INDEX", "SWEEP_INDEX_OFFSET", "SWEEP_INDEX_MAP",
                                           "SWEEP_PACK", "SWEEP_INDEX_COUNT") if k in env]
        print(" ".join([str(size)] + extra))
    return 0


def main(argv):
    if not botocore.__version__.startswith(PINNED):
        print(f"aws_batch_check.py: want python3-botocore {PINNED}x (Debian 12), "
              f"have {botocore.__version__}", file=sys.stderr)
        return 1
    if len(argv) >= 3 and argv[0] == "validate":
        return validate(argv[1], argv[2:])
    if len(argv) == 2 and argv[0] == "retry":
        return retry(argv[1])
    if len(argv) == 2 and argv[0] == "sizes":
        return sizes(argv[1])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
