#!/usr/bin/env bash
# The model carries what inference needs: string CSV labels become sorted class names in
# model.h5 (sweep_class_names) and result.json (class_names); IDX images give model.h5 a Flatten
# layer taking [null, H, W], their shape and their /255 scaling.
source "$(dirname "$0")/lib.sh"

# 1. An iris-like CSV with string labels, written unsorted; a test set lacking one class.
"$PY" - "$T/iris.csv" "$T/iris_test.csv" <<'PYEOF'
import random, sys
random.seed(1)
centres = {"Iris-virginica": (6.6, 3.0), "Iris-setosa": (5.0, 3.4), "Iris-versicolor": (5.9, 2.8)}
def rows(names, n):
    out = []
    for _ in range(n):
        for name in names:
            a, b = centres[name]
            out.append(f"{a + random.uniform(-.2, .2):.2f},{b + random.uniform(-.2, .2):.2f},{name}")
    return out
with open(sys.argv[1], "w") as f:
    f.write("sepal_length,sepal_width,species\n" + "\n".join(rows(list(centres), 6)) + "\n")
with open(sys.argv[2], "w") as f:
    f.write("\n".join(rows(["Iris-virginica", "Iris-versicolor"], 2)) + "\n")
PYEOF
cat > "$T/iris.yml" <<YML
- {dataset: "$T/iris.csv", test_dataset: "$T/iris_test.csv", hidden: [8], epochs: 30, seed: 1,
   threads: 1}
YML
"$SWEEP_WORKER" --params "$T/iris.yml" --storage "$T/s" --index 0 > "$T/log" 2>&1 \
  || { cat "$T/log"; fail "worker failed on string labels"; }
grep -q '18 rows x 2 features, 3 classes' "$T/log" || fail "log: $(head -3 "$T/log")"
want='["Iris-setosa", "Iris-versicolor", "Iris-virginica"]'
[[ $(json_get "$T/s/0/result.json" 'd["class_names"]' | tr "'" '"') == "$want" ]] \
  || fail "result.json class_names: $(cat "$T/s/0/result.json")"
[[ $(json_get "$T/s/0/result.json" 'd["input_shape"]') == "[2]" ]] || fail "result.json input_shape"
json_get "$T/s/0/result.json" 'd["metrics"]["test_accuracy"]' > /dev/null || fail "no test_accuracy"
"$PY" - "$T/s/0/model/model.h5" <<'PYEOF' || fail "model.h5 class names"
import json, sys, h5py
f = h5py.File(sys.argv[1], "r")
names = json.loads(f.attrs["sweep_class_names"])
assert names == sorted(names, key=lambda s: s.encode()) and len(names) == 3, names
assert json.loads(f.attrs["sweep_input_shape"]) == [2], f.attrs["sweep_input_shape"]
assert "sweep_preprocessing" not in f.attrs
assert f["model_weights/dense_1/dense_1/kernel:0"].shape[1] == len(names)
PYEOF
"$PY" "$SWEEP_SOURCE_DIR/tests/h5py_keras_check.py" "$T/s/0/model/model.h5" shape=2 > "$T/h5" \
  || fail "h5py check: $(cat "$T/h5")"
pass "string labels: sorted class_names in model.h5 and result.json; the test set mapped by them"

# A test set with a class the training set lacks is bad input, named.
echo "5.0,3.0,Iris-nova" >> "$T/iris_test.csv"
expect_exit 2 "$SWEEP_WORKER" --params "$T/iris.yml" --storage "$T/s2" --index 0
grep -q "test_dataset: .*iris_test.csv: label 'Iris-nova' is not one of the model's classes" \
  "$T/out" "$T/err" || fail "unknown test class message: $(cat "$T/err")"
pass "a test-set class unknown to the training set fails, named"

# 2. A tiny IDX pair of 4x3 images (two classes: dark and bright).
"$PY" - "$T/tiny-images-idx3-ubyte" "$T/tiny-labels-idx1-ubyte" <<'PYEOF'
import struct, sys
n, h, w = 20, 4, 3
labels = [i % 2 for i in range(n)]
pixels = bytes(200 if labels[i] else 20 for i in range(n) for _ in range(h * w))
open(sys.argv[1], "wb").write(struct.pack(">IIII", 0x803, n, h, w) + pixels)
open(sys.argv[2], "wb").write(struct.pack(">II", 0x801, n) + bytes(labels))
PYEOF
cat > "$T/idx.yml" <<YML
- {dataset: "$T/tiny-images-idx3-ubyte", hidden: [5], epochs: 3, seed: 1, threads: 1}
YML
"$SWEEP_WORKER" --params "$T/idx.yml" --storage "$T/s3" --index 0 > "$T/log" 2>&1 \
  || { cat "$T/log"; fail "worker failed on IDX"; }
"$PY" "$SWEEP_SOURCE_DIR/tests/h5py_keras_check.py" "$T/s3/0/model/model.h5" shape=4x3 > "$T/h5" \
  || fail "h5py check of the IDX model: $(cat "$T/h5")"
"$PY" - "$T/s3/0/model/model.h5" <<'PYEOF' || fail "IDX model.h5"
import json, sys, h5py
f = h5py.File(sys.argv[1], "r")
layers = json.loads(f.attrs["model_config"])["config"]["layers"]
assert [l["class_name"] for l in layers] == ["InputLayer", "Flatten", "Dense", "Dense"], layers
assert layers[1]["config"]["batch_input_shape"] == [None, 4, 3], layers[1]
names = [n.decode() if isinstance(n, bytes) else n for n in f["model_weights"].attrs["layer_names"]]
assert names == ["flatten", "dense", "dense_1"], names
pre = json.loads(f.attrs["sweep_preprocessing"])
assert pre == {"input_dtype": "uint8", "scale": 1 / 255}, pre
assert "sweep_class_names" not in f.attrs
PYEOF
[[ $(json_get "$T/s3/0/result.json" 'd["input_shape"], "class_names" in d') == "[4, 3] False" ]] \
  || fail "IDX result.json: $(cat "$T/s3/0/result.json")"
pass "IDX: model_config InputLayer + Flatten [null, 4, 3], the /255 scaling recorded"

# 3. Integer labels 1..3: a 4-class output whose class 0 no row has. Training goes on, with a
# warning naming the unseen class; labels 0..2 (and string labels, case 1) say nothing.
printf '0.1,1\n0.2,2\n0.3,3\n0.4,1\n0.5,2\n0.6,3\n' > "$T/from1.csv"
printf -- '- {dataset: "%s", epochs: 2, threads: 1}\n' "$T/from1.csv" > "$T/from1.yml"
"$SWEEP_WORKER" --params "$T/from1.yml" --storage "$T/s4" --index 0 > "$T/log" 2>&1 \
  || { cat "$T/log"; fail "worker failed on labels 1..3"; }
grep -qF "from1.csv: classes 0 never occur in the training data (labels 1..3 give a 4-class output); relabel from 0 to drop them" \
  "$T/log" || { cat "$T/log"; fail "labels 1..3: no unseen-class warning"; }
[[ -e $T/s4/0/result.json ]] || fail "labels 1..3: no result.json"
awk -F, '{print $1 "," $2 - 1}' "$T/from1.csv" > "$T/from0.csv"
sed "s/from1/from0/" "$T/from1.yml" > "$T/from0.yml"
"$SWEEP_WORKER" --params "$T/from0.yml" --storage "$T/s5" --index 0 > "$T/log" 2>&1 \
  || { cat "$T/log"; fail "worker failed on labels 0..2"; }
grep -q "never occur" "$T/log" && fail "labels 0..2 warned: $(cat "$T/log")"
pass "labels 1..3 warn that class 0 never occurs and train; labels 0..2 do not warn"
echo PASS
