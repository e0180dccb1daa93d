#!/usr/bin/env bash
# What a short array child costs besides training: the shared objects it maps at start (a local
# row must not load libcurl, libcrypto or a shared libhdf5: cloud/http.cc, cmake/
# SweepDependencies.cmake) and its per-epoch lines (every one written by the end, in order,
# without one write() each: base/log.h).
source "$(dirname "$0")/lib.sh"

cat > "$T/p.yml" <<'YML'
- {dataset: "synthetic:blobs?rows=101&features=16&classes=7&seed=1", hidden: [], optimizer: sgd,
   learning_rate: 0.1, batch_size: 0, epochs: 2001, seed: 1, threads: 1}
YML

# 1. Shared objects of a local-path worker (ld.so lists each one it loads).
if [[ ${SWEEP_STATIC_DEPS:-1} == 1 ]]; then
  LD_DEBUG=files LD_DEBUG_OUTPUT=$T/ld "$SWEEP_WORKER" --params "$T/p.yml" --storage "$T/s1" \
    --index 0 --set epochs=1 > "$T/log" 2>&1 || { cat "$T/log"; fail "worker failed"; }
  cat "$T"/ld.* > "$T/ld"
  grep -q 'file=libc.so.6' "$T/ld" || fail "LD_DEBUG=files shows no libraries: $(head -5 "$T/ld")"
  loaded=$(grep -o 'file=[^ ]*' "$T/ld" | sort -u | tr '\n' ' ')
  for lib in libcurl libcrypto libssl libgnutls libhdf5 libstdc++ libyaml-cpp libfmt; do
    [[ $loaded != *"file=$lib"* ]] || fail "a local-path worker loaded $lib: $loaded"
  done
  pass "local-path worker maps only: $loaded"
fi

# 2. 2001 epochs into a file: every line there by the end, in order, the summary after them.
"$SWEEP_WORKER" --params "$T/p.yml" --storage "$T/s2" --index 0 > "$T/log" 2>&1 \
  || { tail "$T/log"; fail "worker failed"; }
# expect_epochs LOG N: the epoch lines of LOG are "epoch 1/.." to "epoch N/..", in order.
expect_epochs() {
  local got
  got=$(grep '^epoch ' "$1" | awk '{ split($2, a, "/"); if (a[1] != NR) { print NR ": " $0; exit } }')
  [[ -z $got ]] || fail "epoch lines out of order or missing: $got"
  got=$(grep -c '^epoch ' "$1")
  [[ $got == "$2" ]] || fail "expected $2 epoch lines, got $got"
}
expect_epochs "$T/log" 2001
[[ $(tail -1 "$T/log") == "row 0 succeeded in "* ]] || fail "last line: $(tail -2 "$T/log")"
pass "2001 epoch lines, in order, then the summary"

# 3. Not one write() per epoch (when strace is there to count them).
if command -v strace > /dev/null; then
  strace -f -e trace=write -o "$T/strace" "$SWEEP_WORKER" --params "$T/p.yml" --storage "$T/s3" \
    --index 0 > "$T/log3" 2>&1 || fail "worker under strace"
  writes=$(grep -c '^[0-9]* *write(1,' "$T/strace" || true)
  ((writes >= 1 && writes < 200)) || fail "$writes write() calls on stdout for 2001 epochs"
  expect_epochs "$T/log3" 2001
  pass "$writes write() calls on stdout for 2001 epoch lines"
fi

# 4. SIGTERM: the lines written so far are all there (1..k, none lost), then the error.
sed -i 's/epochs: 2001/epochs: 10000000/' "$T/p.yml"
"$SWEEP_WORKER" --params "$T/p.yml" --storage "$T/s4" --index 0 > "$T/log4" 2>&1 &
pid=$!
# The first line is written at once, the rest at most 0.5 s later.
for _ in $(seq 100); do grep -q '^epoch ' "$T/log4" && break; sleep 0.1; done
grep -q '^epoch ' "$T/log4" || { kill -9 "$pid"; fail "no epoch line within 10 s"; }
sleep 0.3
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
[[ $rc == 143 ]] || fail "exit $rc after SIGTERM"
k=$(grep -c '^epoch ' "$T/log4")
((k > 1)) || fail "only $k epoch lines before SIGTERM"
expect_epochs "$T/log4" "$k"
[[ $(tail -1 "$T/log4") == error:* ]] || fail "last line after SIGTERM: $(tail -1 "$T/log4")"
pass "SIGTERM after $k epochs: all $k lines written, then the error"
echo PASS
