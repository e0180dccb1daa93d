#!/usr/bin/env bash
# A full disk under a real worker (issue 16): the storage is a small tmpfs (root only: skipped,
# exit 77, where mount is refused) filled by a filler file to a chosen number of free bytes.
#   publish: every free size from 0 to past the row's files ends in exit 0 (it fit) or exit 75
#     with one error line, never a crash; after a 75 the previous result.json is byte-identical,
#     model.h5 a whole HDF5 file, and no temp file is left
#   checkpoint: a row stopped by SIGTERM (exit 143, checkpoint saved) resumes on a full disk: the
#     saves fail with a warning, training goes on, publish fails: exit 75, the checkpoint
#     byte-identical; with space again the next attempt resumes from it and publishes
# RLIMIT_FSIZE (ulimit -f) is covered by hostile_data_test.sh.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/checkpoint_lib.sh"
DISK=$T/disk
mkdir -p "$DISK"
if ! mount -t tmpfs -o size=16m tmpfs "$DISK" 2>/dev/null; then
  echo "skip: cannot mount a tmpfs here (needs root)"
  exit 77
fi
unmount() { umount "$DISK"; }
on_exit unmount

avail() { df --output=avail -B1 "$DISK" | tail -1 | tr -d ' '; }
# fill FREE: a filler file leaves about FREE bytes free (tmpfs counts 4 KiB pages).
fill() {
  rm -f "$DISK/filler"
  local n=$(($(avail) - $1))
  ((n > 0)) && head -c "$n" /dev/zero >"$DISK/filler" 2>/dev/null || true
}
unfill() { rm -f "$DISK/filler"; }
no_temps() {
  local left
  left=$(find "$1" -name '.*.tmp.*' 2>/dev/null)
  [[ -z $left ]] || fail "$2: temp files left: $left"
}
h5_whole() {
  "$PY" - "$1" <<'PY'
import sys
import h5py
with h5py.File(sys.argv[1], "r") as f:
    assert "model_weights" in f
PY
}
# worker SPEC STORAGE: sets rc; output in $T/last.
worker() {
  local code=0
  SWEEP_THREADS=1 "$SWEEP_WORKER" --index 0 --params "$1" --storage "$2" >"$T/last" 2>&1 || code=$?
  rc=$code
}
one_error_line() {
  [[ $(grep -c '^error:' "$T/last") == 1 ]] && tail -1 "$T/last" | grep -q '^error:' ||
    { cat "$T/last"; fail "$1: not one error line, last"; }
}

echo "== publish on a full disk"
cp "$SWEEP_SOURCE_DIR/tests/data/zoo.csv" "$T/zoo.csv"
printf -- '- {dataset: %s, hidden: [64, 32], epochs: 150, seed: 1}\n' "$T/zoo.csv" >"$T/small.yml"
S=$DISK/s
worker "$T/small.yml" "$S"
[[ $rc == 0 ]] || { cat "$T/last"; fail "first publish: exit $rc"; }
cp "$S/0/result.json" "$T/result.before"
transient=0
for free in $(seq 0 4096 98304); do
  fill "$free"
  worker "$T/small.yml" "$S"
  unfill
  case $rc in
    0) ;;
    75)
      transient=$((transient + 1))
      one_error_line "free $free"
      grep -q "No space left on device" "$T/last" || { cat "$T/last"; fail "free $free: cause"; }
      cmp -s "$S/0/result.json" "$T/result.before" || fail "free $free: result.json changed"
      ;;
    *) cat "$T/last"; fail "free $free: exit $rc (0 or 75 expected)" ;;
  esac
  h5_whole "$S/0/model/model.h5" || fail "free $free: model.h5 is not whole"
  no_temps "$S" "free $free"
  [[ $rc == 0 ]] && cp "$S/0/result.json" "$T/result.before"
  pass "publish with $free bytes free: exit $rc $(grep -o "[a-z]*\.[a-z0-9]*\.tmp" "$T/last" | head -1)"
done
((transient > 0)) || fail "no free size made publish fail: the disk was never full"

echo "== checkpoints on a full disk"
write_ckpt_spec "$T/spec.yml"
S=$DISK/c
CKPT=$S/0/checkpoint/checkpoint.bin
: >"$T/worker.log"
start_worker "$S" 1
for _ in $(seq 200); do grep -q '^checkpoint: ' "$T/worker.log" && break; sleep 0.05; done
grep -q '^checkpoint: ' "$T/worker.log" || { cat "$T/worker.log"; fail "no checkpoint saved"; }
kill -TERM "$WORKER_PID"
code=0
wait "$WORKER_PID" || code=$?
[[ $code == 143 ]] || { cat "$T/worker.log"; fail "SIGTERM: exit $code"; }
cp "$CKPT" "$T/ckpt.before"
fill 0
worker "$T/spec.yml" "$S"
unfill
[[ $rc == 75 ]] || { cat "$T/last"; fail "full disk: exit $rc, not 75"; }
grep -q "^resuming row 0 from epoch" "$T/last" || { cat "$T/last"; fail "did not resume"; }
grep -q "checkpoint of row 0 not saved: .*No space left on device" "$T/last" ||
  { cat "$T/last"; fail "no warning for the failed checkpoint save"; }
# Training went on to its end: the error is publish's, after the epochs.
[[ $(grep -c '^epoch ' "$T/last") -ge 2 ]] && tail -1 "$T/last" | grep -q '^error: publish: ' ||
  { cat "$T/last"; fail "training did not go on to publish"; }
one_error_line "full disk"
cmp -s "$CKPT" "$T/ckpt.before" || fail "the checkpoint changed on a full disk"
[[ ! -e $S/0/result.json ]] || fail "result.json published on a full disk"
no_temps "$S" "checkpoint"
pass "full disk: exit 75, checkpoint whole"
worker "$T/spec.yml" "$S"
[[ $rc == 0 ]] || { cat "$T/last"; fail "after the disk was freed: exit $rc"; }
grep -q "^resuming row 0 from epoch" "$T/last" || { cat "$T/last"; fail "did not resume"; }
h5_whole "$S/0/model/model.h5" || fail "model.h5 after the retry"
pass "space again: resumed and published"
echo "disk full test: ok"
