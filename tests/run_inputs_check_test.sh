#!/usr/bin/env bash
# Every distinct input is probed before anything starts: `sweep validate` and `sweep run` name
# each missing or unreadable data file with the rows that use it, exit 2, and train nothing.
source "$(dirname "$0")/lib.sh"
mkdir -p "$T/d/folder"
printf 'not gzip' > "$T/d/fake.csv.gz"
printf 'x' > "$T/d/x.h5"
cat > "$T/spec.yml" <<YML
- {dataset: "synthetic:blobs?rows=60", epochs: 1}
- {dataset: missing.csv, epochs: 1}
- {dataset: missing.csv, epochs: 2}
- {dataset: "synthetic:blobs?rows=60", test_dataset: d/folder, epochs: 1}
- {dataset: d/fake.csv.gz}
- {dataset: d/x.h5}
YML
expect_exit 2 "$SWEEP_BIN" validate "$T/spec.yml"
grep -q "dataset of rows 1-2: $T/missing.csv: " "$T/err" || fail "validate: $(cat "$T/err")"
grep -q "test_dataset of row 3: $T/d/folder: is a folder" "$T/err" || fail "$(cat "$T/err")"
grep -q "dataset of row 4: $T/d/fake.csv.gz: not gzip" "$T/err" || fail "$(cat "$T/err")"
grep -q "dataset of row 5: $T/d/x.h5: not HDF5" "$T/err" || fail "$(cat "$T/err")"
grep -q '^4 problems in a spec of 6 rows$' "$T/err" || fail "$(tail -1 "$T/err")"
expect_exit 2 "$SWEEP_BIN" run "$T/spec.yml" --storage "$T/s"
grep -q "4 input(s) cannot be read, nothing started" "$T/err" || fail "run: $(cat "$T/err")"
[[ ! -e $T/s/0 ]] || fail "a row was started"
pass "inputs probed before anything starts, each problem named with its rows"
