#!/usr/bin/env bash
# A list whose rows 0 and 1 are equal keeps all 3 rows, as yaml.load(f)[index] reads it: the
# worker trains --index 2, `sweep run` runs 3 children, and the sweep commands warn once.
source "$(dirname "$0")/lib.sh"
cat > "$T/spec.yml" <<'YML'
- {dataset: "synthetic:blobs?rows=60", epochs: 1, hidden: [4]}
- {dataset: "synthetic:blobs?rows=60", epochs: 1, hidden: [4]}
- {dataset: "synthetic:blobs?rows=60", epochs: 2, hidden: [4]}
YML
"$PY" -c 'import sys, yaml; assert len(yaml.safe_load(open(sys.argv[1]))) == 3' "$T/spec.yml"
expect_exit 0 "$SWEEP_WORKER" --params "$T/spec.yml" --storage "$T/w" --index 2
[[ $(json_get "$T/w/2/result.json" 'd["params"]["epochs"]') == 2 ]] || fail "row 2 is not the third row"
expect_exit 0 "$SWEEP_BIN" run "$T/spec.yml" --storage "$T/s"
grep -q 'row 1 repeats row 0: every row is kept' "$T/err" "$T/out" || fail "no warning: $(cat "$T/err")"
for i in 0 1 2; do [[ -f $T/s/$i/result.json ]] || fail "row $i not run"; done
pass "duplicate rows kept, indexed as yaml.load reads them, with a warning"
