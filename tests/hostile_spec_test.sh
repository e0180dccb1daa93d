#!/usr/bin/env bash
# Hostile specs and --set values (issue 16) against sweep-worker and every sweep command that
# reads a spec (validate, expand, run, submit --dry-run for slurm and k8s): each case, bounded by
# `ulimit -v` (2 GB) and a 20 s timeout, must end with exit 2, a short clear error on stderr
# (no "terminate called", no signal), nothing published, no hang. Rows with bad values
# (row-*.yml) are a spec the commands that only show or render rows (expand, submit --dry-run)
# may print as they are: there exit 0 is right too, a crash never.
source "$(dirname "$0")/lib.sh"
cd "$T"
D='dataset: "synthetic:blobs?rows=60"'

# One file per case: name -> content (printf-style escapes).
declare -A CASES=(
  [not-utf8]="- {$D, note: \"caf\xe9\"}\n"
  [not-utf8-key]="- {$D, \xff\xfe: 1}\n"
  [utf16-bom]="\xff\xfe-\x00 \x00{\x00}\x00\n"
  [self-alias]="- &a [*a]\n"
  [self-alias-map]="a: &a {b: *a}\n"
  [two-documents]="- {$D}\n---\n- {$D, epochs: 2}\n"
  [deep-nesting]="- {$D, x: $(printf '[%.0s' {1..200})$(printf ']%.0s' {1..200})}\n"
  [long-key]="- $D\n  $(printf 'k%.0s' {1..300}): 1\n"
  [unclosed-flow]="- {$D, hidden: [64\n"
  [tab-indent]="- $D\n\tepochs: 1\n"
  [empty]=""
  [only-comment]="# nothing\n"
  [scalar]="just text\n"
  [grid-too-big]="method: grid\nparameters:\n  a: {values: [$(seq -s, 1 200)]}\n  b: {values: [$(seq -s, 1 200)]}\n  c: {values: [$(seq -s, 1 200)]}\n"
  [run-cap-too-big]="method: random\nrun_cap: 100000000\nparameters:\n  dataset: {value: d}\n"
  [q-uniform-1e30]="method: random\nrun_cap: 2\nparameters:\n  $D\n  epochs: {distribution: q_uniform, min: 1, max: 1e30}\n"
  [int-uniform-2-64]="method: random\nrun_cap: 1\nparameters:\n  $D\n  seed: {distribution: int_uniform, min: 0, max: 18446744073709551615}\n"
  [bayes]="method: bayes\nparameters:\n  $D\n"
  [row-nan-learning-rate]="- {$D, learning_rate: .nan}\n"
  [row-inf-epochs]="- {$D, epochs: .inf}\n"
  [row-huge-epochs-int]="- {$D, epochs: 99999999999999999999999}\n"
  [row-negative-batch]="- {$D, batch_size: -1}\n"
  [row-hidden-string]="- {$D, hidden: \"wide\"}\n"
  [row-unknown-keys]="- {$D, lr: 1, dropout: 0.5, optimizer: Adamm}\n"
)
for name in "${!CASES[@]}"; do printf -- "${CASES[$name]}" >"$name.yml"; done
# An alias bomb: 10 levels of 10 aliases (10^10 values) in under 500 bytes.
{ echo 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'
  for i in 1 2 3 4 5 6 7 8 9; do
    printf 'a%d: &a%d [' "$i" "$i"; for k in 1 2 3 4 5 6 7 8 9; do printf '*a%d, ' $((i - 1)); done
    printf '*a%d]\n' $((i - 1)); done; } >alias-bomb.yml
head -c 20000000 /dev/zero | tr '\0' '#' >too-large.yml   # 20 MB of comment
mkdir -p a-directory.yml
mkfifo a-fifo.yml
ln -s /dev/zero dev-zero.yml
head -c 4096 /dev/urandom >binary.yml
SPECS=(*.yml)

cases=0
# check NAME CMD...: exit 2 (or $ALSO_OK), a short stderr without a crash, within the bounds.
ALSO_OK=2
check() {
  local name=$1; shift
  local code=0
  timeout 20 bash -c 'ulimit -v 2000000; exec "$@"' _ "$@" >"$T/out" 2>"$T/err" </dev/null || code=$?
  cases=$((cases + 1))
  if [[ $code != 2 && $code != "$ALSO_OK" ]] || grep -q "terminate called\|Segmentation\|Aborted" "$T/err" ||
     [[ $(wc -l <"$T/err") -gt 4 ]] || [[ $code == 2 && ! -s $T/err ]]; then
    echo "--- $name: exit $code; stderr:" >&2; head -c 2000 "$T/err" >&2
    fail "$name"
  fi
}
for f in "${SPECS[@]}"; do
  check "worker $f" "$SWEEP_WORKER" --index 0 --params "$f" --storage "$T/st-w"
  check "validate $f" "$SWEEP_BIN" validate "$f"
  check "run $f" "$SWEEP_BIN" run "$f" --storage "$T/st-r"
  [[ $f != row-* ]] || ALSO_OK=0
  check "expand $f" "$SWEEP_BIN" expand "$f"
  check "submit slurm $f" "$SWEEP_BIN" submit "$f" --engine slurm --storage "$T/st-s" --dry-run
  check "submit k8s $f" "$SWEEP_BIN" submit "$f" --engine k8s --dry-run
  ALSO_OK=2
done
printf -- "- {$D, epochs: 1}\n" >good.yml
for set in $'note=caf\xe9' 'x=&a [*a]' $'x=[1]\n---\n[2]' "x=$(printf '[%.0s' {1..100})" \
           'epochs=1e30' 'hidden=[-1]' 'lr=0.1' $'=\xff'; do
  check "worker --set" "$SWEEP_WORKER" --index 0 --params good.yml --storage "$T/st-w" --set "$set"
  check "validate --set" "$SWEEP_BIN" validate good.yml --set "$set"
  check "run --set" "$SWEEP_BIN" run good.yml --storage "$T/st-r" --set "$set"
done
# Trained only by the worker: a model far larger than the memory.
printf -- "- {$D, hidden: [100000, 100000]}\n- {$D, hidden: [2000000000]}\n" >huge-model.yml
check "worker huge model" "$SWEEP_WORKER" --index 0 --params huge-model.yml --storage "$T/st-w"
check "worker 2e9-wide layer" "$SWEEP_WORKER" --index 1 --params huge-model.yml --storage "$T/st-w"
grep -q "more than the .* this process can use" "$T/err" || fail "memory message: $(cat "$T/err")"
for root in st-w st-r st-s; do
  [[ ! -d $T/$root ]] || ! find "$T/$root" -name result.json | grep -q . || fail "$root: published"
done
pass "$cases hostile spec cases: exit 2 with a short message, nothing published"
