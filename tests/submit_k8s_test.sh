#!/usr/bin/env bash
# jobs/k8s/indexed-job.yaml and `sweep submit --engine k8s --dry-run`: the template and the
# rendered manifests parse as YAML (python3-yaml) and carry what an Indexed Job sweep needs:
# completionMode Indexed, completions = rows, parallelism, backoffLimitPerIndex, restartPolicy
# Never, a podFailurePolicy failing the index on exit 2, a ReadWriteMany claim at /storage, and
# the worker's environment. 12,345 rows under the 100,000 limit stay one Job.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

check_manifests() {  # check_manifests FILE ROWS... : one document per part, completions = ROWS
  "$PY" - "$@" <<'PYEOF'
import sys, yaml
path, want = sys.argv[1], [int(n) for n in sys.argv[2:]]
docs = [d for d in yaml.safe_load_all(open(path)) if d is not None]
assert [d["spec"]["completions"] for d in docs] == want, [d["spec"]["completions"] for d in docs]
for d in docs:
    assert d["apiVersion"] == "batch/v1" and d["kind"] == "Job", d
    s = d["spec"]
    assert s["completionMode"] == "Indexed"
    assert isinstance(s["parallelism"], int) and 1 <= s["parallelism"] <= s["completions"]
    assert isinstance(s["backoffLimitPerIndex"], int) and s["backoffLimitPerIndex"] >= 1
    rules = s["podFailurePolicy"]["rules"]
    fail_index = [r for r in rules if r["action"] == "FailIndex"]
    assert fail_index and fail_index[0]["onExitCodes"]["operator"] == "In" \
        and 2 in fail_index[0]["onExitCodes"]["values"], rules
    assert not any(75 in r.get("onExitCodes", {}).get("values", []) or
                   143 in r.get("onExitCodes", {}).get("values", []) for r in fail_index), rules
    pod = s["template"]["spec"]
    assert pod["restartPolicy"] == "Never"
    c = pod["containers"][0]
    assert fail_index[0]["onExitCodes"]["containerName"] == c["name"]
    env = {e["name"]: e["value"] for e in c["env"]}
    for k in ("SWEEP_PARAMS", "SWEEP_STORAGE", "SWEEP_INDEX_OFFSET", "SWEEP_INDEX_MAP"):
        assert k in env and isinstance(env[k], str), (k, env)
    mounts = {m["name"]: m["mountPath"] for m in c["volumeMounts"]}
    vols = {v["name"]: v for v in pod["volumes"]}
    assert mounts.get("storage") == "/storage" and "persistentVolumeClaim" in vols["storage"]
    assert "${" not in yaml.safe_dump(d), "unfilled placeholder"
print(len(docs), "manifests ok")
PYEOF
}

# The template itself is YAML (placeholders are plain scalars until rendered).
"$PY" -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); assert d["spec"]["completionMode"] == "Indexed"' \
  "$SWEEP_SOURCE_DIR/jobs/k8s/indexed-job.yaml" || fail "template is not YAML"

make_spec() {
  "$PY" - "$1" "$2" <<'PYEOF'
import sys
with open(sys.argv[2], "w") as f:
    for i in range(int(sys.argv[1])):
        f.write(f"- {{dataset: 'synthetic:blobs?rows=200&features=8&classes=3', seed: {i}}}\n")
PYEOF
}
make_spec 7 "$T/spec7.yml"
make_spec 12345 "$T/spec12345.yml"
expect_exit 0 "$SWEEP_BIN" submit "$T/spec7.yml" --engine k8s --dry-run --max-parallel 3 \
  --image 123456789012.dkr.ecr.us-east-1.amazonaws.com/sweep-worker:0.1.0 --pvc efs-claim
cp "$T/out" "$T/k7.yaml"
check_manifests "$T/k7.yaml" 7 || fail "7 rows"
[[ $("$PY" -c 'import sys,yaml; print(yaml.safe_load(open(sys.argv[1]))["spec"]["parallelism"])' "$T/k7.yaml") == 3 ]] \
  || fail "parallelism"
expect_exit 0 "$SWEEP_BIN" submit "$T/spec12345.yml" --engine k8s --dry-run --storage /storage/run1
check_manifests "$T/out" 12345 || fail "12,345 rows"
pass "k8s manifests: valid YAML with the required fields (7 rows, 12,345 rows)"

# --pack 4: ceil(12345 / 4) = 3087 pods, each told its pack and the part's rows.
expect_exit 0 "$SWEEP_BIN" submit "$T/spec12345.yml" --engine k8s --dry-run --pack 4
check_manifests "$T/out" 3087 || fail "12,345 rows packed by 4"
[[ $("$PY" -c 'import sys,yaml; e={x["name"]: x["value"] for x in yaml.safe_load(open(sys.argv[1]))["spec"]["template"]["spec"]["containers"][0]["env"]}; print(e["SWEEP_PACK"], e["SWEEP_INDEX_COUNT"])' "$T/out") == "4 12345" ]] \
  || fail "SWEEP_PACK / SWEEP_INDEX_COUNT in the manifest"
pass "k8s --pack 4: 3087 pods with SWEEP_PACK=4 SWEEP_INDEX_COUNT=12345"

# Validation against the Kubernetes schema when a validator is installed (none in Debian 12).
if command -v kubeconform >/dev/null; then
  kubeconform -strict -summary "$T/k7.yaml" || fail "kubeconform"
fi

expect_exit 2 "$SWEEP_BIN" submit "$T/spec7.yml" --engine k8s
grep -q -- "--dry-run" "$T/err" || fail "k8s without --dry-run should say why"
expect_exit 2 "$SWEEP_BIN" submit "$T/spec7.yml" --engine k8s --dry-run --job-name Not_A_Label
pass "k8s: no live submit; names must be DNS labels"

# early_terminate: Kubernetes Jobs cannot wait for each other, so the rungs are refused by name.
source "$(dirname "$0")/halving_lib.sh"
write_halving_spec "$T/halving.yml"
expect_exit 2 "$SWEEP_BIN" submit "$T/halving.yml" --engine k8s --dry-run
grep -q "Kubernetes has no dependencies between Jobs" "$T/err" || fail "k8s early_terminate: $(cat "$T/err")"
pass "k8s: early_terminate refused (no dependencies between Jobs)"
