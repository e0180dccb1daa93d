#!/usr/bin/env bash
# Packed rows (SWEEP_PACK / --pack K): array child i trains rows K*i .. K*i+K-1 in one process.
# Each row is published exactly as a single-row worker publishes it (same weights bit for bit,
# same metrics); a short last pack, SWEEP_INDEX_MAP, a retried pack skipping what is published,
# a failed row not stopping the others, a rung's child packed, and bad values refused.
source "$(dirname "$0")/lib.sh"
CHECK=$SWEEP_SOURCE_DIR/tests/checkpoint_check.py

data="synthetic:blobs?rows=400&features=6&classes=3&seed=1"
cat > "$T/p.yml" <<YML
method: grid
parameters:
  dataset: {value: "$data"}
  test_dataset: {value: "synthetic:blobs?rows=100&features=6&classes=3&seed=2"}
  hidden: {values: [[8], [12, 6]]}
  learning_rate: {values: [0.01, 0.03, 0.1]}
  epochs: {value: 2}
  validation_split: {value: 0.2}
  seed: {value: 1}
  threads: {value: 1}
YML
for i in 0 1 2 3 4 5; do
  "$SWEEP_WORKER" --params "$T/p.yml" --storage "$T/ref" --index "$i" > "$T/ref.$i.log" 2>&1 \
    || { cat "$T/ref.$i.log"; fail "reference row $i"; }
done

# Two children of 4: rows 0-3 and 4-5 (the last pack is short).
SWEEP_PACK=4 AWS_BATCH_JOB_ARRAY_INDEX=0 "$SWEEP_WORKER" --params "$T/p.yml" --storage "$T/S" \
  > "$T/p0.log" 2>&1 || { cat "$T/p0.log"; fail "pack child 0"; }
"$SWEEP_WORKER" --pack 4 --index 1 --params "$T/p.yml" --storage "$T/S" > "$T/p1.log" 2>&1 \
  || { cat "$T/p1.log"; fail "pack child 1"; }
grep -q 'pack of 4: 4 trained, 0 published already, 0 failed' "$T/p0.log" || { cat "$T/p0.log"; fail "child 0 summary"; }
grep -q 'pack of 2: 2 trained, 0 published already, 0 failed' "$T/p1.log" || { cat "$T/p1.log"; fail "child 1 summary"; }
for i in 0 1 2 3 4 5; do
  "$PY" "$CHECK" same "$T/ref/$i" "$T/S/$i" || fail "packed row $i differs from its single-row run"
  [[ $(json_get "$T/S/$i/result.json" 'd["index"]') == "$i" ]] || fail "row $i index"
done
[[ ! -e $T/S/6 ]] || fail "a row past the spec's end"
pass "packs of 4 over 6 rows: every row bit-identical to its single-row worker"

# A retried pack trains only what is missing.
rm -r "$T/S/2"
"$SWEEP_WORKER" --pack 4 --index 0 --params "$T/p.yml" --storage "$T/S" > "$T/retry.log" 2>&1 \
  || { cat "$T/retry.log"; fail "retried pack"; }
grep -q 'pack of 4: 1 trained, 3 published already, 0 failed' "$T/retry.log" || { cat "$T/retry.log"; fail "retry summary"; }
grep -q 'row 1: result.json is there already: skipped' "$T/retry.log" || fail "skip message"
"$PY" "$CHECK" same "$T/ref/2" "$T/S/2" || fail "retrained row 2 differs"
pass "a retried pack skips the 3 published rows and retrains row 2"

# SWEEP_INDEX_MAP: slots are mapped one by one; the map's last pack is short.
SWEEP_INDEX_MAP=5,1,3 SWEEP_PACK=2 "$SWEEP_WORKER" --index 0 --params "$T/p.yml" --storage "$T/M" > "$T/m0.log" 2>&1 \
  || { cat "$T/m0.log"; fail "map child 0"; }
SWEEP_INDEX_MAP=5,1,3 SWEEP_PACK=2 "$SWEEP_WORKER" --index 1 --params "$T/p.yml" --storage "$T/M" > "$T/m1.log" 2>&1 \
  || { cat "$T/m1.log"; fail "map child 1"; }
[[ $(cd "$T/M" && ls -d [0-9]* | sort -n | tr '\n' ' ') == "1 3 5 " ]] || fail "map rows: $(ls "$T/M")"
"$PY" "$CHECK" same "$T/ref/3" "$T/M/3" || fail "mapped row 3 differs"
pass "SWEEP_INDEX_MAP=5,1,3 with packs of 2: rows 5,1 then 3"

# A failed row does not stop the pack; the pack exits with it (bad input: 2).
cat > "$T/bad.yml" <<YML
- {dataset: "$data", epochs: 1, threads: 1}
- {dataset: "$T/no-such-file.csv", epochs: 1, threads: 1}
- {dataset: "$data", epochs: 1, threads: 1, seed: 2}
YML
expect_exit 2 "$SWEEP_WORKER" --pack 3 --index 0 --params "$T/bad.yml" --storage "$T/B"
grep -q 'pack of 3: 2 trained, 0 published already, 1 failed' "$T/err" || { cat "$T/err"; fail "bad pack summary"; }
grep -q '1 of 3 packed rows failed: row 1: dataset' "$T/err" || { cat "$T/err"; fail "bad pack error"; }
[[ -f $T/B/0/result.json && -f $T/B/2/result.json && ! -e $T/B/1/result.json ]] || fail "rows 0 and 2 published"
pass "row 1 fails (exit 2), rows 0 and 2 are still published"

# The first slot past the end fails as a single worker does; bad pack values are refused.
expect_exit 2 "$SWEEP_WORKER" --pack 4 --index 2 --params "$T/p.yml" --storage "$T/X"
grep -q 'index 8 is past the end' "$T/err" || { cat "$T/err"; fail "past the end"; }
for v in 0 -1 abc 4097; do
  SWEEP_PACK=$v expect_exit 2 "$SWEEP_WORKER" --index 0 --params "$T/p.yml" --storage "$T/X"
  grep -q "SWEEP_PACK='$v': expected 1..4096" "$T/err" || { cat "$T/err"; fail "SWEEP_PACK=$v message"; }
done
expect_exit 2 "$SWEEP_WORKER" --pack 0 --index 0 --params "$T/p.yml" --storage "$T/X"
expect_exit 2 env CLOUD_ML_TRIAL_ID=3 "$SWEEP_WORKER" --pack 2 --params "$T/p.yml" --storage "$T/X"
grep -q 'tuning trial trains one row' "$T/err" || { cat "$T/err"; fail "trial + pack"; }
[[ ! -e $T/X ]] || fail "refused runs wrote to storage"
pass "bad --pack/SWEEP_PACK values and a trial with a pack exit 2 and write nothing"

# A successive-halving rung's child packed: 9 rows to epoch 1 in one process, then 3 to epoch 3.
cat > "$T/h.yml" <<YML
method: grid
early_terminate: {type: hyperband, min_iter: 1, eta: 3}
parameters:
  dataset: {value: "$data"}
  learning_rate: {values: [0.003, 0.01, 0.03]}
  hidden: {values: [[4], [8], [16]]}
  epochs: {value: 3}
  validation_split: {value: 0.2}
  threads: {value: 1}
YML
SWEEP_RUNG=0-0 "$SWEEP_WORKER" --pack 9 --index 0 --params "$T/h.yml" --storage "$T/H" > "$T/h0.log" 2>&1 \
  || { cat "$T/h0.log"; fail "rung 0 pack"; }
grep -q 'pack of 9: 9 trained' "$T/h0.log" || { cat "$T/h0.log"; fail "rung 0 summary"; }
SWEEP_RUNG=0-1 "$SWEEP_WORKER" --pack 9 --index 0 --params "$T/h.yml" --storage "$T/H" > "$T/h1.log" 2>&1 \
  || { cat "$T/h1.log"; fail "rung 1 pack"; }
grep -q 'pack of 3: 3 trained' "$T/h1.log" || { cat "$T/h1.log"; fail "rung 1 summary"; }
[[ $(ls "$T"/H/*/result.json | wc -l) == 3 ]] || fail "3 rows finished"
[[ $(json_get "$T/H/rungs/0-1.json" 'len(d["rows"])') == 3 ]] || fail "promotion file"
for r in $(json_get "$T/H/rungs/0-1.json" '" ".join(map(str, d["rows"]))'); do
  [[ -f $T/H/$r/result.json && -f $T/H/$r/bands/1.json ]] || fail "promoted row $r"
done
pass "a rung's children packed: 9 then 3 rows in one process each, the promoted ones finished"
echo PASS
