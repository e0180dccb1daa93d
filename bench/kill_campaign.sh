#!/usr/bin/env bash
# The long SIGKILL campaign of issue 17: tests/checkpoint_kill_test.sh with 1,000 kills (about
# 10 minutes). Usage: bash bench/kill_campaign.sh [KILLS]  (after scripts/setup.sh built build/)
set -euo pipefail
cd "$(dirname "$0")/.."
export SWEEP_WORKER=$PWD/build/worker/sweep-worker SWEEP_BIN=$PWD/build/sweep/sweep \
  SWEEP_SOURCE_DIR=$PWD KILLS=${1:-1000}
exec bash tests/checkpoint_kill_test.sh
