#!/usr/bin/env bash
# One Ctrl-C delivered twice within 200 ms (the terminal and a wrapper that forwards it) counts
# once: sweep waits out --stop-timeout for the workers instead of killing them at once. A real
# second Ctrl-C, later, still kills at once. The worker here ignores SIGTERM so the difference
# shows.
source "$(dirname "$0")/run_lib.sh"
cat > stubborn-worker <<'SH'
#!/usr/bin/env bash
trap '' TERM
echo "epoch 1/1"
while :; do sleep 0.05 || true; done
SH
chmod +x stubborn-worker
printf -- '- {dataset: "synthetic:blobs", epochs: 1}\n' > spec.yml
run_and_signal() {  # run_and_signal NAME GAP: SIGINT twice, GAP seconds apart; prints the seconds
  "$SWEEP_BIN" run spec.yml --storage "$WORK/$1" --stop-timeout 3 --worker ./stubborn-worker \
    > "$1.log" 2>&1 &
  local pid=$! t0
  for _ in $(seq 100); do grep -q epoch "$1/0/worker.log" 2>/dev/null && break; sleep 0.05; done
  kill -INT "$pid"; sleep "$2"; t0=$(date +%s.%N); kill -INT "$pid"
  wait "$pid" || true
  python3 -c "import sys, time; print(round(time.time() - float(sys.argv[1]), 2))" "$t0"
}
a=$(run_and_signal A 0.05)
grep -q 'interrupted by SIGINT' A.log || { cat A.log; fail "no interruption summary"; }
python3 -c "import sys; sys.exit(float(sys.argv[1]) < 2)" "$a" || { cat A.log; fail "a doubled Ctrl-C killed at once ($a s)"; }
b=$(run_and_signal B 0.5)
python3 -c "import sys; sys.exit(float(sys.argv[1]) > 1)" "$b" || { cat B.log; fail "a second Ctrl-C did not kill at once ($b s)"; }
grep -q 'killing' B.log || { cat B.log; fail "no killing line"; }
echo "PASS: doubled Ctrl-C waited $a s (stop timeout 3 s); a real second one ended it in $b s"
