#!/usr/bin/env bash
# `sweep predict`: the zoo tutorial's sweep predicts one line per animal plus the accuracy
# (table, csv, json); MODEL may be the root, a row folder or the model.h5; string labels come
# back as names; a {"instances": ...} file predicts like the server; bad input exits 2.
source "$(dirname "$0")/lib.sh"
ZOO="$SWEEP_SOURCE_DIR/tests/data/zoo.csv"

"$SWEEP_BIN" run "$SWEEP_SOURCE_DIR/examples/zoo.yml" --storage "$T/zoo" > "$T/run.log" 2>&1 \
  || { cat "$T/run.log"; fail "zoo sweep"; }
expect_exit 0 "$SWEEP_BIN" predict "$T/zoo" "$ZOO"
animals=$(grep -vc '^ *#\|^$' "$ZOO" || true)
[[ $(grep -c '^ *[0-9]' "$T/out") == 101 ]] || fail "not one line per animal: $(head "$T/out")"
grep -q '^index  predicted  probability  label$' "$T/out" || fail "header: $(head -1 "$T/out")"
grep -Eq '^accuracy (0\.9|1\.0)[0-9]* \([0-9]+ of 101 rows\)$' "$T/out" || fail "$(tail -2 "$T/out")"
grep -q 'version 0' "$T/out" || fail "no model line"
pass "sweep predict ROOT zoo.csv: 101 animals and the accuracy"

expect_exit 0 "$SWEEP_BIN" predict "$T/zoo" "$ZOO" --format json --top 3
"$PY" - "$T/out" <<'PYEOF' || fail "json"
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["predictions"]) == 101 and 0.9 <= d["accuracy"] <= 1, d.keys()
p = d["predictions"][0]
assert len(p["top"]) == 3 and p["top"][0]["probability"] >= p["top"][1]["probability"], p
assert p["predicted"] == p["top"][0]["class"] and "label" in p, p
PYEOF
grep -q '^accuracy' "$T/err" || fail "json: the accuracy line goes to stderr"
expect_exit 0 "$SWEEP_BIN" predict "$T/zoo/0" "$ZOO" --format csv -o "$T/p.csv"
[[ $(head -1 "$T/p.csv") == index,predicted,probability,label ]] || fail "csv: $(head -2 "$T/p.csv")"
[[ $(wc -l < "$T/p.csv") == 102 ]] || fail "csv rows"
grep -q "wrote 101 predictions to $T/p.csv" "$T/out" || fail "$(cat "$T/out")"
expect_exit 0 "$SWEEP_BIN" predict "$T/zoo/0/model/model.h5" "$ZOO" --top 2
grep -Eq '^    0  .*  [0-9] 0\.[0-9]{4}$' "$T/out" || fail "--top 2 table: $(sed -n 2p "$T/out")"
pass "json parses; csv to a file; row folder and model.h5 as MODEL; --top"

# Features only (no label column): predictions without accuracy.
grep -v '^#' "$ZOO" | cut -d, -f1-16 > "$T/x.csv"
expect_exit 0 "$SWEEP_BIN" predict "$T/zoo" "$T/x.csv"
! grep -q '^accuracy' "$T/out" || fail "accuracy without labels"
[[ $(head -1 "$T/out") == "index  predicted  probability" ]] || fail "$(head -1 "$T/out")"

# String labels: names in, names out.
"$PY" - "$T/iris.csv" <<'PYEOF'
import random, sys
random.seed(2)
c = {"Iris-virginica": (6.6, 3.0), "Iris-setosa": (5.0, 3.4), "Iris-versicolor": (5.9, 2.8)}
rows = [f"{a + random.uniform(-.1, .1):.2f},{b + random.uniform(-.1, .1):.2f},{n}"
        for _ in range(10) for n, (a, b) in c.items()]
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PYEOF
echo "- {dataset: \"$T/iris.csv\", hidden: [8], epochs: 300, learning_rate: 0.03, seed: 1, threads: 1}" > "$T/iris.yml"
"$SWEEP_BIN" run "$T/iris.yml" --storage "$T/iris" > "$T/run.log" 2>&1 || fail "iris sweep"
expect_exit 0 "$SWEEP_BIN" predict "$T/iris" "$T/iris.csv"
grep -Eq '^ *0  Iris-virginica +[01]\.[0-9]{4}  Iris-virginica' "$T/out" || fail "$(head -3 "$T/out")"
echo '{"instances": [[5.0, 3.4], [6.6, 3.0]]}' > "$T/req.json"
expect_exit 0 "$SWEEP_BIN" predict "$T/iris" "$T/req.json" --format json
[[ $(json_get "$T/out" '[p["predicted"] for p in d["predictions"]]') == \
   "['Iris-setosa', 'Iris-virginica']" ]] || fail "json instances: $(cat "$T/out")"
pass "class names in and out; a {\"instances\"} file"

# Bad input: exit 2 with a clear line.
expect_exit 2 "$SWEEP_BIN" predict "$T/zoo" "$T/iris.csv"
grep -q 'the model takes 16' "$T/err" || fail "width: $(cat "$T/err")"
printf '5.0,3.4,Iris-nova\n' > "$T/nova.csv"
expect_exit 2 "$SWEEP_BIN" predict "$T/iris" "$T/nova.csv"
grep -q "Iris-nova" "$T/err" || fail "unknown class: $(cat "$T/err")"
expect_exit 2 "$SWEEP_BIN" predict "$T/iris" "$T/req.json" --policy newest
grep -q 'use best, latest or index:N' "$T/err" || fail "$(cat "$T/err")"
echo '{"instances": [[1, 2, 3]]}' > "$T/bad.json"
expect_exit 2 "$SWEEP_BIN" predict "$T/iris" "$T/bad.json"
grep -q 'each instance must be 2 numbers' "$T/err" || fail "$(cat "$T/err")"
code=0; "$SWEEP_BIN" predict "$T/absent" "$ZOO" > "$T/out" 2>&1 || code=$?
[[ $code != 0 ]] && grep -q "sweep predict: " "$T/out" || fail "absent root: $code $(cat "$T/out")"
pass "bad input exits 2 naming the problem"
