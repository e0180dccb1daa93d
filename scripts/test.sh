#!/usr/bin/env bash
# Sets everything up (packages, s3rver, build) and runs every test: unit, end-to-end, shell
# script checks and one pass of each micro benchmark; then the unit tests under ASan+UBSan and
# each fuzz target for a few seconds. Exit code: non-zero when any test failed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Tests run 2 at a time; the heavy end-to-end ones are marked RUN_SERIAL.
rc=0
ctest --test-dir build --output-on-failure --timeout 900 -j "${SWEEP_TEST_JOBS:-2}" "$@" || rc=$?

# The unit tests again under ASan + UBSan, and each fuzz target briefly on its corpus: a clang
# build in build-asan/ (README "Reliability"). SWEEP_SKIP_SANITIZE=1 skips it.
if [[ ${SWEEP_SKIP_SANITIZE:-0} != 1 ]]; then
  CC=clang CXX=clang++ cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS_RELEASE="-O1 -g1" -DCMAKE_C_FLAGS_RELEASE="-O1 -g1" \
    -DSWEEP_SANITIZE=ON -DSWEEP_BUILD_BENCH=OFF >/dev/null
  cmake --build build-asan --target sweep_unit_tests sweep_fuzz_targets --parallel "$(nproc)"
  ctest --test-dir build-asan -L 'unit|fuzz' --output-on-failure --timeout 900 \
    -j "${SWEEP_TEST_JOBS:-2}" || rc=$?
fi
exit "$rc"
