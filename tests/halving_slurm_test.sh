#!/usr/bin/env bash
# Successive halving on a real single-node Slurm (issue 18): `sweep submit --engine slurm --wait`
# of the 27-row early_terminate grid queues every rung at once (MaxArraySize=10: rung 0 goes out
# as 3 arrays), each rung's arrays with --dependency=afterany on the rung before's; the first
# task of a rung computes its promotion. The promotions are byte-identical to a local
# `sweep run` of the same spec and the final rows bit-identical; `sweep plan --check` passes.
# Then `method: bayes`: one array per TPE wave, the same proposals as a local run.
# Skips (77) without root or Slurm (tests/slurm_lib.sh).
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/halving_lib.sh"
SLURM_MAX_ARRAY_SIZE=10
source "$(dirname "$0")/slurm_lib.sh"
cd "$T" || exit 1
write_halving_spec spec.yml
timeout 120 "$SWEEP_BIN" run spec.yml --storage local -j 2 >local.log 2>&1 || { cat local.log; fail "local run"; }

expect_exit 0 timeout 300 "$SWEEP_BIN" submit spec.yml --engine slurm --storage results \
  --wait --wait-timeout 240
cat "$T/out"
[[ $(grep -c "^submitted " "$T/out") == 5 ]] || { cat "$T/err"; dump_logs; fail "want 3 + 1 + 1 arrays"; }
grep -q "^submitted sweep-[0-9a-f]*-r0-0-2: job [0-9]* (array 0-6, rung 0-0 positions 20-26)" "$T/out" || fail "rung 0 third array"
grep -q "^submitted sweep-[0-9a-f]*-r0-2: job [0-9]* (array 0-2, rung 0-2 positions 0-2)" "$T/out" || fail "rung 2"
grep -q "^done: 3 of 3 final rows succeeded" "$T/out" || { cat "$T/err"; dump_logs; fail "final rows"; }
# Rung 1 starting before rung 0 ended would rank missing rows: same_decisions below catches it.
"$SWEEP_BIN" submit spec.yml --engine slurm --storage dry --dry-run >dry.out 2>/dev/null
grep -q -- "--dependency=afterany:<sweep-[0-9a-f]*-r0-0-0>:<sweep-[0-9a-f]*-r0-0-1>:<sweep-[0-9a-f]*-r0-0-2>" dry.out \
  || { cat dry.out; fail "dry run: rung 1 does not wait for rung 0's 3 arrays"; }
grep -q "SWEEP_RUNG=0-2" dry.out || fail "dry run: no SWEEP_RUNG"
same_halving_outcome local results
pass "Slurm rungs with afterany dependencies: the same promotions and final rows as sweep run"

# method: bayes: one array per TPE wave, each after the one before; the first task of a wave
# computes its proposal; the same proposals as a local `sweep run`.
write_bayes_spec bayes.yml 4
timeout 120 "$SWEEP_BIN" run bayes.yml --storage bayes-local -j 2 >bayes.log 2>&1 || { cat bayes.log; fail "local bayes"; }
expect_exit 0 timeout 300 "$SWEEP_BIN" submit bayes.yml --engine slurm --storage bayes-slurm \
  --wait --wait-timeout 240
[[ $(grep -c "^submitted sweep-[0-9a-f]*-w[012]: job " "$T/out") == 3 ]] || { cat "$T/out" "$T/err"; fail "3 wave arrays"; }
[[ $(find bayes-slurm -name result.json | wc -l) == 24 ]] || { dump_logs; fail "not 24 results on Slurm"; }
same_waves bayes-local bayes-slurm "Slurm's waves differ from the local run's"
pass "bayes on Slurm: 3 wave arrays with afterany; byte-identical proposals to sweep run"
