#!/usr/bin/env bash
# Hostile inputs to every `sweep` command that reads what a user or storage hands it (issue 16):
# predict, serve, collect, report, expand, keys, submit. Every case runs under `ulimit -v` 2 GB
# and a timeout and must end with exit 2, exactly one error line on stderr, no output file, no
# hang. Model files: the crafted model.h5 files in tests/data (found by mutating a model.h5 this
# product wrote: libhdf5 1.10.8 segfaults in H5HG_read on one and never returns on the other)
# and damaged ones made here. `sweep serve` must survive them: it stays up, not ready, and
# serves the next good model.
source "$(dirname "$0")/lib.sh"
source "$SWEEP_SOURCE_DIR/tests/serve_lib.sh"
DATA=$SWEEP_SOURCE_DIR/tests/data
D=$T/in
G=$T/good
mkdir -p "$D"
export SWEEP_MODEL_READ_TIMEOUT=3   # the hanging model: 3 s, not the default 30
cases=0

# A good 2-row sweep on 4 features, 3 classes.
printf -- '- {dataset: "synthetic:blobs?features=4&classes=3&rows=60", epochs: 1, hidden: [5], seed: %s}\n' 1 2 \
  >"$D/spec.yml"
"$SWEEP_BIN" run "$D/spec.yml" --storage "$G" >"$T/run.log" 2>&1 || { cat "$T/run.log"; fail "run"; }
M=$G/0/model/model.h5

# hostile NAME WANT CMD...: exit 2, one line containing WANT, no $T/o.* file left.
hostile() {
  local name=$1 want=$2 got=0; shift 2
  rm -f "$T"/o.*
  (ulimit -v 2097152; exec timeout -k 5 60 "$@") >"$T/out" 2>"$T/err" </dev/null || got=$?
  [[ $got == 2 ]] || { cat "$T/err"; fail "$name: expected exit 2, got $got"; }
  [[ $(grep -c . "$T/err") == 1 ]] || { cat "$T/err"; fail "$name: expected one line"; }
  grep -qF -- "$want" "$T/err" || { cat "$T/err"; fail "$name: message lacks '$want'"; }
  [[ -z $(ls "$T"/o.* 2>/dev/null) ]] || fail "$name: left an output file"
  cases=$((cases + 1))
  pass "$name: $(cat "$T/err")"
}

# Damaged model files.
cp "$DATA/crafted_crash_model.h5" "$D/crash.h5"
cp "$DATA/crafted_hang_model.h5" "$D/hang.h5"
head -c "$(($(stat -c %s "$M") / 2))" "$M" >"$D/half.h5"
head -c 8 "$M" >"$D/magic.h5"
: >"$D/empty.h5"
echo 'not hdf5' >"$D/text.h5"
mkdir -p "$D/folder.h5"
mkfifo "$D/fifo.h5"
ln -s /dev/zero "$D/zero.h5"
"$PY" - "$D" <<'PYEOF'
import json, sys
import h5py, numpy as np
d = sys.argv[1]
def model(name, kernel, bias, act="softmax", extra=None):
    with h5py.File(f"{d}/{name}", "w") as f:
        cfg = {"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense",
               "config": {"name": "dense", "units": len(bias), "activation": act,
                          "batch_input_shape": [None, kernel.shape[0]]}}]}}
        f.attrs["model_config"] = json.dumps(cfg).encode()
        g = f.create_group("model_weights")
        g.attrs["layer_names"] = np.array([b"dense"])
        l = g.create_group("dense")
        l.attrs["weight_names"] = np.array([b"dense/kernel:0", b"dense/bias:0"])
        l.create_dataset("dense/kernel:0", data=kernel.astype(np.float32))
        l.create_dataset("dense/bias:0", data=np.asarray(bias, dtype=np.float32))
model("nan.h5", np.full((4, 3), np.nan), [0, 0, 0])
model("inf.h5", np.ones((4, 3)), [np.inf, 0, 0])
model("shape.h5", np.ones((4, 3)), [0, 0])
model("act.h5", np.ones((4, 3)), [0, 0, 0], act="swish")
model("empty_kernel.h5", np.ones((0, 3)), [0, 0, 0])
PYEOF
printf '1,2,3,4\n5,6,7,8\n' >"$D/in.csv"

P=("$SWEEP_BIN" predict)
hostile "predict: libhdf5 crashes on the model" "the HDF5 library crashed reading it" "${P[@]}" "$D/crash.h5" "$D/in.csv"
hostile "predict: libhdf5 hangs on the model" "did not finish in 3 s" "${P[@]}" "$D/hang.h5" "$D/in.csv"
hostile "predict: model cut in half" "half.h5" "${P[@]}" "$D/half.h5" "$D/in.csv"
hostile "predict: model magic only" "magic.h5" "${P[@]}" "$D/magic.h5" "$D/in.csv"
hostile "predict: empty model file" "empty.h5" "${P[@]}" "$D/empty.h5" "$D/in.csv"
hostile "predict: text as model.h5" "text.h5" "${P[@]}" "$D/text.h5" "$D/in.csv"
hostile "predict: folder named .h5" "is a folder" "${P[@]}" "$D/folder.h5" "$D/in.csv"
hostile "predict: FIFO as model" "not a regular file" "${P[@]}" "$D/fifo.h5" "$D/in.csv"
hostile "predict: /dev/zero as model" "not a regular file" "${P[@]}" "$D/zero.h5" "$D/in.csv"
hostile "predict: /dev/zero as a root" "not a model.h5" "${P[@]}" /dev/zero "$D/in.csv"
hostile "predict: NaN weights" "NaN/Inf" "${P[@]}" "$D/nan.h5" "$D/in.csv"
hostile "predict: Inf bias" "NaN/Inf" "${P[@]}" "$D/inf.h5" "$D/in.csv"
hostile "predict: bias shape" "shape.h5" "${P[@]}" "$D/shape.h5" "$D/in.csv"
hostile "predict: unknown activation" "swish" "${P[@]}" "$D/act.h5" "$D/in.csv"
hostile "predict: empty kernel" "empty_kernel.h5" "${P[@]}" "$D/empty_kernel.h5" "$D/in.csv"
hostile "predict: missing model" "no such file or folder" "${P[@]}" "$D/absent.h5" "$D/in.csv"
mkdir -p "$T/nothing"
hostile "predict: root with no rows" "no row has succeeded" "${P[@]}" "$T/nothing" "$D/in.csv"
hostile "predict: --policy index:99" "row 99 has not succeeded" "${P[@]}" "$G" "$D/in.csv" --policy index:99
hostile "predict: --policy bogus" "--policy" "${P[@]}" "$G" "$D/in.csv" --policy bogus

# Inputs to predict with.
printf 'a,b\n1,2\n' >"$D/narrow.csv"
printf '1,2,nan,4\n' >"$D/nan.csv"
printf '\xff\xfe{"instances": [[1,2,3,4]]}' >"$D/utf16.json"
"$PY" -c "print('{\"instances\": ' + '[' * 100000 + ']' * 100000 + '}')" >"$D/deep.json"
printf '{"instances": [[1,2,3]]}' >"$D/narrow.json"
printf '{"instances": [[1,2,3,1e999]]}' >"$D/big.json"
: >"$D/empty.json"
printf '{"instances": [' >"$D/cut.json"
mkfifo "$D/fifo.csv"
mkdir -p "$D/folder.csv"
ln -s /dev/zero "$D/zero.csv"
printf '\x00\x00\x08\x03\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff' >"$D/huge-images-idx3-ubyte"
hostile "predict: CSV of the wrong width" "narrow.csv" "${P[@]}" "$M" "$D/narrow.csv"
hostile "predict: CSV with NaN" "nan.csv" "${P[@]}" "$M" "$D/nan.csv"
hostile "predict: JSON not UTF-8" "not JSON" "${P[@]}" "$M" "$D/utf16.json"
hostile "predict: JSON nested 100,000 deep" "nested more than" "${P[@]}" "$M" "$D/deep.json"
hostile "predict: JSON of the wrong width" "narrow.json" "${P[@]}" "$M" "$D/narrow.json"
hostile "predict: JSON number past float" "big.json" "${P[@]}" "$M" "$D/big.json"
hostile "predict: empty JSON" "empty.json" "${P[@]}" "$M" "$D/empty.json"
hostile "predict: JSON cut short" "cut.json" "${P[@]}" "$M" "$D/cut.json"
hostile "predict: FIFO as input" "regular file" "${P[@]}" "$M" "$D/fifo.csv"
hostile "predict: folder as input" "is a folder" "${P[@]}" "$M" "$D/folder.csv"
hostile "predict: /dev/zero as input" "regular file" "${P[@]}" "$M" "$D/zero.csv"
hostile "predict: IDX claiming 2^96 values" "huge-images-idx3-ubyte" "${P[@]}" "$M" "$D/huge-images-idx3-ubyte"
hostile "predict: crafted HDF5 as input" "crash.h5" "${P[@]}" "$M" "$D/crash.h5"
hostile "predict: -o under a file" "is not a folder" "${P[@]}" "$M" "$D/in.csv" -o "$D/in.csv/o.csv"

# collect and report: the storage root and the options.
for cmd in collect report; do
  hostile "$cmd: missing root" "no such folder" "$SWEEP_BIN" "$cmd" "$T/absent" -o "$T/o.x"
  hostile "$cmd: a file as root" "Not a directory" "$SWEEP_BIN" "$cmd" "$D/in.csv" -o "$T/o.x"
  hostile "$cmd: a FIFO as root" "Not a directory" "$SWEEP_BIN" "$cmd" "$D/fifo.csv" -o "$T/o.x"
  hostile "$cmd: unknown metric" "no succeeded row has it" "$SWEEP_BIN" "$cmd" "$G" --metric nope -o "$T/o.x"
  hostile "$cmd: metric not UTF-8" "--metric" "$SWEEP_BIN" "$cmd" "$G" --metric $'\xff' -o "$T/o.x"
  hostile "$cmd: --goal sideways" "--goal" "$SWEEP_BIN" "$cmd" "$G" --goal sideways -o "$T/o.x"
  hostile "$cmd: -o under a file" "in.csv" "$SWEEP_BIN" "$cmd" "$G" -o "$D/in.csv/o.x"
done
hostile "collect: --format xml" "--format" "$SWEEP_BIN" collect "$G" --format xml
hostile "collect: --top -1" "--top" "$SWEEP_BIN" collect "$G" --top -1

# serve: what it refuses at start.
hostile "serve: missing model" "no such file or folder" "$SWEEP_BIN" serve "$D/absent.h5" --port 0
hostile "serve: port 70000" "--port" "$SWEEP_BIN" serve "$M" --port 70000
hostile "serve: host not an IP" "not an IP address" "$SWEEP_BIN" serve "$M" --port 0 --host nowhere
hostile "serve: --policy bogus" "--policy" "$SWEEP_BIN" serve "$G" --port 0 --policy bogus
hostile "serve: --max-body-mb 0" "--max-body-mb" "$SWEEP_BIN" serve "$M" --port 0 --max-body-mb 0
hostile "serve: --threads -1" "--threads" "$SWEEP_BIN" serve "$M" --port 0 --threads -1
hostile "predict: --threads -1" "--threads" "${P[@]}" "$M" "$D/in.csv" --threads -1
hostile "serve: /dev/zero as a root" "not a model.h5" "$SWEEP_BIN" serve /dev/zero --port 0

# expand, keys, submit: specs that are not files.
for cmd in expand "submit --engine slurm --storage $T/s"; do
  # shellcheck disable=SC2086
  hostile "$cmd: FIFO as spec" "not a regular file" "$SWEEP_BIN" $cmd "$D/fifo.csv"
  # shellcheck disable=SC2086
  hostile "$cmd: folder as spec" "not a regular file" "$SWEEP_BIN" $cmd "$D/folder.csv"
done
hostile "submit: unknown engine" "unknown engine" "$SWEEP_BIN" submit "$D/spec.yml" --engine pbs --storage "$T/s"
hostile "keys: unknown key" "nope" "$SWEEP_BIN" keys nope

# serve survives a model libhdf5 crashes or hangs on: alive, not ready, then the good one.
cp "$D/crash.h5" "$T/serve.h5"
start_serve "$T/serve.log" "$T/serve.h5" --poll-seconds 0.2
for _ in $(seq 50); do grep -q "cannot load the model" "$T/serve.log" && break; sleep 0.1; done
grep -q "HDF5 library crashed reading it" "$T/serve.log" || { cat "$T/serve.log"; fail "serve: no warning"; }
[[ $(curl -s -o /dev/null -w '%{http_code}' "$SERVE_URL/v2/health/live") == 200 ]] || fail "serve died"
[[ $(curl -s -o /dev/null -w '%{http_code}' "$SERVE_URL/v2/health/ready") == 503 ]] || fail "serve ready"
cp "$D/hang.h5" "$T/next.h5" && mv "$T/next.h5" "$T/serve.h5"
for _ in $(seq 100); do grep -q "did not finish" "$T/serve.log" && break; sleep 0.1; done
grep -q "did not finish in 3 s" "$T/serve.log" || { cat "$T/serve.log"; fail "serve: no hang line"; }
[[ $(curl -s -o /dev/null -w '%{http_code}' "$SERVE_URL/v2/health/live") == 200 ]] || fail "serve died"
cp "$M" "$T/next.h5" && mv "$T/next.h5" "$T/serve.h5"
for _ in $(seq 100); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$SERVE_URL/v2/health/ready") == 200 ]] && break
  sleep 0.1
done
curl -sf "$SERVE_URL/v1/models/model:predict" -d '{"instances": [[1,2,3,4]]}' | grep -q predictions \
  || { cat "$T/serve.log"; fail "serve: the good model after the crafted ones does not answer"; }
stop_serve
cases=$((cases + 1))
pass "serve: a crash and a hang of libhdf5 leave it up; the next good model is served"
echo "$cases hostile command cases"
