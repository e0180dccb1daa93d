#!/usr/bin/env bash
# Sets everything up (packages, s3rver, build) and runs every test: unit, end-to-end, shell
# script checks and one pass of each micro benchmark. Exit code is ctest's.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Tests run 2 at a time; the heavy end-to-end ones are marked RUN_SERIAL.
ctest --test-dir build --output-on-failure --timeout 900 -j "${SWEEP_TEST_JOBS:-2}" "$@"
