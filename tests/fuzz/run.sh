#!/usr/bin/env bash
# Runs every libFuzzer target of a clang sanitizer build on its seed corpus.
#
#   tests/fuzz/run.sh BUILD SECONDS [TARGET...]     e.g. tests/fuzz/run.sh build-asan 600 fuzz_spec
#
# RUNS=N stops each target after N executions too (the campaign: RUNS=1000000 and 600 s).
#
# BUILD is configured with CC=clang CXX=clang++ -DSWEEP_SANITIZE=ON (scripts/test.sh makes
# build-asan so); the targets are built here if needed. Each runs SECONDS (libFuzzer
# -max_total_time) on a temporary copy of tests/fuzz/corpus/TARGET (new inputs do not touch the
# repository; pass MERGE=1 to add the new coverage-increasing inputs to it). A crash, leak,
# sanitizer report or timeout (10 s per input; 90 s for fuzz_dataset_h5) fails the run: the
# input is kept as BUILD/fuzz-artifacts/TARGET-crash-*. One summary line per target: executions, coverage.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "$1" && pwd)
SECONDS_EACH=$2
shift 2
TARGETS=("$@")
if ((${#TARGETS[@]} == 0)); then
  TARGETS=(fuzz_spec fuzz_set fuzz_csv fuzz_idx fuzz_gzip fuzz_results fuzz_aws fuzz_predict fuzz_model_h5
    fuzz_dataset_h5 fuzz_http)
fi
cmake --build "$BUILD" --target "${TARGETS[@]}" >/dev/null
# Seconds one input may take: the HDF5 data set reader waits up to a minute for a child that
# libhdf5 hangs in (and says so); every other target answers in well under a second.
input_timeout() { [[ $1 == fuzz_dataset_h5 ]] && echo 90 || echo 10; }
ART="$BUILD/fuzz-artifacts"
mkdir -p "$ART"
failed=0
for t in "${TARGETS[@]}"; do
  work=$(mktemp -d)
  cp -r "$HERE/corpus/$t/." "$work/" 2>/dev/null || true
  log="$ART/$t.log"
  code=0
  # rss_limit: readers must bound their allocations (2 GB is far above any valid input's needs).
  "$BUILD/tests/fuzz/$t" "$work" -max_total_time="$SECONDS_EACH" -runs="${RUNS:--1}" \
    -timeout="$(input_timeout "$t")" -rss_limit_mb=2048 \
    -malloc_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$ART/$t-" >"$log" 2>&1 || code=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  if [[ $code != 0 ]]; then
    failed=1
    echo "$t: FAILED (exit $code) after ${runs:-?} runs; log $log" >&2
    grep -m5 -E 'ERROR|SUMMARY|runtime error' "$log" >&2 || tail -5 "$log" >&2
  else
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
    echo "$t: ${runs:-0} runs (${rate:-?}/s), coverage ${cov:-?} edges, corpus $(ls "$work" | wc -l), peak RSS ${rss:-?} MB, clean"
  fi
  if [[ ${MERGE:-0} == 1 && $code == 0 ]]; then
    mkdir -p "$HERE/corpus/$t"
    "$BUILD/tests/fuzz/$t" -merge=1 "$HERE/corpus/$t" "$work" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
done
exit $failed
