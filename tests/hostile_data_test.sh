#!/usr/bin/env bash
# Hostile data inputs (issue 16, the data readers and publish): every case runs sweep-worker
# under `ulimit -v` 2 GB and a timeout and must end with exit 2 (75 for storage trouble), exactly
# one error line, nothing published, no hang. Inputs: tests/hostile_data_gen.py (reproducers
# made on the fly), folders, FIFOs and /dev/zero links made here.
source "$(dirname "$0")/lib.sh"
D=$T/in
S=$T/storage
"$PY" "$SWEEP_SOURCE_DIR/tests/hostile_data_gen.py" "$D"
cases=0

# run_case CODE NAME WANT SPEC_MAP [ULIMIT_F]: SPEC_MAP is the row's YAML flow map.
run_case() {
  local want_code=$1 name=$2 want=$3 row=$4 fsize=${5:-unlimited} got=0
  rm -rf "$S"
  printf -- '- %s\n' "$row" >"$D/spec.yml"
  (ulimit -v 2097152 -f "$fsize"; exec timeout -k 5 60 "$SWEEP_WORKER" --params "$D/spec.yml" \
    --storage "$S" --index 0) >"$T/out" 2>"$T/err" || got=$?
  [[ $got == "$want_code" ]] || { cat "$T/err"; fail "$name: expected exit $want_code, got $got"; }
  local errors; errors=$(grep -c '^error:' "$T/err" || true)
  [[ $errors == 1 ]] || { cat "$T/err"; fail "$name: expected one error line, got $errors"; }
  # Bad input fails before training: the error is the only line.
  if [[ $want_code == 2 ]]; then
    [[ $(grep -c . "$T/err") == 1 ]] || { cat "$T/err"; fail "$name: more than one line"; }
  fi
  grep -qF -- "$want" "$T/err" || { cat "$T/err"; fail "$name: message lacks '$want'"; }
  [[ -z $(find "$S" -type f 2>/dev/null) ]] || fail "$name: left files: $(find "$S" -type f)"
  cases=$((cases + 1))
  pass "$name: $(grep '^error:' "$T/err")"
}
bad() { run_case 2 "$1" "$2" "{dataset: \"$3\", epochs: 1}"; }

# gzip: truncation anywhere (on a line boundary too), trailer mismatch, trusted sizes, bombs.
bad "csv.gz cut in half" "truncated gzip stream" "$D/cut_half.csv.gz"
bad "csv.gz cut on a line boundary" "truncated gzip stream" "$D/cut_line.csv.gz"
bad "csv.gz without its trailer" "truncated gzip stream" "$D/cut_trailer.csv.gz"
bad "csv.gz one byte short" "truncated gzip stream" "$D/cut_one.csv.gz"
bad "csv.gz CRC mismatch" "incorrect data check" "$D/bad_crc.csv.gz"
bad "csv.gz length mismatch" "incorrect length check" "$D/bad_len.csv.gz"
bad "csv.gz trailing garbage" "bytes after the end of the gzip stream" "$D/trailing.csv.gz"
bad "6-byte csv.gz claiming 4 GB" "six.csv.gz" "$D/six.csv.gz"
bad "csv.gz magic only" "magic_only.csv.gz" "$D/magic_only.csv.gz"
bad "csv.gz second member cut" "truncated gzip stream" "$D/second_member_cut.csv.gz"
bad "csv.gz of random deflate bytes" "bad gzip data" "$D/random.csv.gz"
bad "empty csv.gz" "empty" "$D/empty.csv.gz"
bad "csv.gz bomb (700 MB of zeros)" "the data limit" "$D/bomb.csv.gz"
run_case 2 "test_dataset cut csv.gz" "truncated gzip stream" \
  "{dataset: \"synthetic:blobs?features=2&classes=3\", test_dataset: \"$D/cut_line.csv.gz\", epochs: 1}"
# CSV values.
bad "CSV NaN feature" "is not a number" "$D/nan.csv"
bad "CSV Inf feature" "is not a number" "$D/inf.csv"
bad "CSV float overflow" "is not a number" "$D/bigfloat.csv"

# Not regular files, under every format's name: one line at once, no hang, no endless read.
for ext in csv csv.gz h5 images-idx3-ubyte; do
  mkdir -p "$D/dir.$ext"
  mkfifo "$D/fifo.$ext"
  ln -s /dev/zero "$D/zero.$ext"
  n=$ext; [[ $ext == images-idx3-ubyte ]] && n=idx && for k in dir fifo zero; do
    mv "$D/$k.$ext" "$D/$k-images-idx3-ubyte"; ln -sf "$D/zero.$ext" "$D/$k-labels-idx1-ubyte"
  done
  p() { [[ $n == idx ]] && echo "$D/$1-images-idx3-ubyte" || echo "$D/$1.$ext"; }
  bad "folder as $n" "is a folder" "$(p dir)"
  bad "FIFO as $n" "regular file" "$(p fifo)"
  bad "/dev/zero as $n" "regular file" "$(p zero)"
done

# IDX: dimensions that wrap or exceed the file, bad magic, counts.
bad "IDX dims wrapping past 2^64" "header dimensions need more bytes" "$D/wrap-images-idx3-ubyte"
bad "IDX dims 2^32-1 cubed" "header dimensions need more bytes" "$D/huge-images-idx3-ubyte"
bad "IDX truncated images" "truncated or padded" "$D/short-images-idx3-ubyte"
bad "IDX wrong magic" "wrong IDX magic" "$D/magic-images-idx3-ubyte"
bad "IDX image/label counts" "labels" "$D/count-images-idx3-ubyte"
bad "IDX 65536x65536 images" "need more bytes" "$D/bigimg-images-idx3-ubyte"
bad "IDX gzip cut" "truncated gzip stream" "$D/gzcut-images-idx3-ubyte.gz"

# HDF5: non-finite values, declared extents, structure, truncated or garbled files.
bad "HDF5 NaN feature" "row 4, column 2: feature is nan" "$D/nan.h5"
bad "HDF5 Inf feature" "row 1, column 1: feature is inf" "$D/inf.h5"
bad "HDF5 -Inf label" "row 6: label is -inf" "$D/label_inf.h5"
bad "HDF5 float64 past float32" "feature is inf" "$D/f64_overflow.h5"
bad "HDF5 no X" "no dataset X" "$D/no_x.h5"
bad "HDF5 X of rank 1" "expected X [rows, cols" "$D/rank1.h5"
bad "HDF5 X/y rows differ" "equal rows" "$D/rows.h5"
bad "HDF5 string X" "not numeric" "$D/strings.h5"
bad "HDF5 declared 4 PB, unwritten" "need 4503599627370496 bytes" "$D/declared.h5"
bad "HDF5 declared 4 PB, deflate" "(compressed)" "$D/declared_gz.h5"
bad "HDF5 cut in half" "cut.h5" "$D/cut.h5"
bad "HDF5 cut inside the superblock" "cut_super.h5" "$D/cut_super.h5"
bad "HDF5 magic only" "magic_only.h5" "$D/magic_only.h5"
bad "HDF5 garbled" "garbled.h5" "$D/garbled.h5"

# synthetic: each bound alone is fine, the product is not.
bad "blobs 1e8 x 1e5" "rows x features = 10000000000000 values" \
  "synthetic:blobs?rows=100000000&features=100000"
bad "regression 1e8 x 1e5" "over the data limit" "synthetic:regression?rows=100000000&features=100000"
bad "mnist 1e7 rows" "rows x features = 7840000000 values" "synthetic:mnist?rows=10000000"
bad "spiral 1e8 rows" "over the data limit" "synthetic:spiral?rows=100000000"
bad "zoo 1e8 rows" "over the data limit" "synthetic:zoo?rows=100000000"
bad "blobs 1e4 classes x 1e5 features" "classes x features" \
  "synthetic:blobs?rows=2&features=100000&classes=10000"

# Storage: a file size limit during publish is transient (75), with nothing left behind.
big='{dataset: "synthetic:blobs?rows=500&features=50", epochs: 1, hidden: [256, 256]}'
run_case 75 "ulimit -f 20 during publish" "File too large" "$big" 20
run_case 75 "ulimit -f 1 during publish" "File too large" "$big" 1

# Stale temp files of a SIGKILLed run (a pid that is gone) are swept by the next publish.
rm -rf "$S"; mkdir -p "$S/0/model"
sh -c 'exit 0' & dead=$!; wait $dead
touch "$S/0/.result.json.tmp.$dead.0" "$S/0/model/.model.h5.tmp.$dead.1"
expect_exit 0 "$SWEEP_WORKER" --params "$D/spec.yml" --storage "$S" --index 0
left=$(find "$S" -name '.*.tmp.*')
[[ -z $left && -f $S/0/model/model.h5 ]] || fail "stale temps not swept: $left"
pass "stale temp files of pid $dead swept by the next publish"

echo "hostile data cases: $cases, all exit 2/75 with one line and nothing published"
(( cases >= 40 )) || fail "only $cases cases"
