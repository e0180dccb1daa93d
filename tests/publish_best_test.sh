#!/usr/bin/env bash
# `sweep collect ROOT --publish-best`: ROOT/best/model.h5 is byte for byte the best row's
# model.h5 and loads as Keras 2's HDF5 loader walks it (h5py); ROOT/best/best.json names the row,
# metric, goal, value and time; the best/ folder is part of the layout (collect, status and a
# later publish see no foreign entry); serve and predict take ROOT/best/model.h5 as a model.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

make_image_sweep "$T/s"
"$SWEEP_BIN" collect "$T/s" --publish-best > "$T/out" 2> "$T/err" || { cat "$T/out" "$T/err"; fail "collect"; }
grep -q "published row 1 ($T/s/1/model/model.h5) to $T/s/best/model.h5" "$T/err" \
  || fail "no publish line: $(cat "$T/err")"
cmp "$T/s/best/model.h5" "$T/s/1/model/model.h5" || fail "best/model.h5 is not row 1's"
"$PY" "$SWEEP_SOURCE_DIR/tests/h5py_keras_check.py" "$T/s/best/model.h5" shape=28x28 \
  || fail "best/model.h5 does not load in h5py as Keras does"
"$PY" - "$T/s/best/best.json" "$T/s" <<'PYEOF'
import calendar, json, sys, time
b = json.load(open(sys.argv[1]))
assert b["format_version"] == 1 and b["index"] == 1, b
assert b["metric"] == "train_accuracy" and b["goal"] == "max", b  # no validation split
assert isinstance(b["value"], float) and b["source"] == sys.argv[2] + "/1/model/model.h5", b
assert abs(calendar.timegm(time.strptime(b["published_at"], "%Y-%m-%dT%H:%M:%SZ")) - time.time()) < 120, b
assert b["params"]["learning_rate"] == 0.0003, b
print("ok: best.json", b["index"], b["metric"], b["value"])
PYEOF
! compgen -G "$T/s/best/.*tmp*" > /dev/null || fail "a temp file left in best/"
"$SWEEP_BIN" collect "$T/s" --publish-best > "$T/out2" 2>&1 || { cat "$T/out2"; fail "second publish"; }
! grep -q "not part of a sweep" "$T/out2" || fail "best/ reported as foreign: $(cat "$T/out2")"
"$SWEEP_BIN" status "$T/s" > "$T/status" 2>&1 || fail "status"
! grep -q "not part of a sweep" "$T/status" || fail "status reports best/: $(cat "$T/status")"
pass "collect --publish-best: best/model.h5 and best.json, twice, no foreign entry"

"$SWEEP_BIN" predict "$T/s/best/model.h5" "$T/img-images-idx3-ubyte" --format csv > "$T/pred" 2>&1 \
  || { cat "$T/pred"; fail "predict best/model.h5"; }
"$SWEEP_BIN" predict "$T/s/1/model/model.h5" "$T/img-images-idx3-ubyte" --format csv > "$T/pred1" 2>&1
cmp <(grep -v '^model\|version' "$T/pred") <(grep -v '^model\|version' "$T/pred1") \
  || fail "best/model.h5 predicts otherwise than row 1"
pass "predict best/model.h5 gives row 1's predictions"

# Nothing succeeded: nothing to publish, exit 2, no best/.
mkdir -p "$T/empty/0"
echo '{"index": 0, "status": "failed", "error": "x", "exit_code": 2}' > "$T/empty/0/result.json"
expect_exit 2 "$SWEEP_BIN" collect "$T/empty" --publish-best
grep -q "nothing to publish" "$T/err" || fail "no reason: $(cat "$T/err")"
[[ ! -e $T/empty/best ]] || fail "best/ made for a sweep without a model"
pass "no succeeded row: exit 2, nothing published"
