#!/usr/bin/env bash
# The adaptive-search benchmark (issue 18; bench/RESULTS.md, "Adaptive search"): replays on the
# stored table (bench/data/search_table.jsonl) with bench/search_sim (random search, successive
# halving, Hyperband, TPE waves; our decision code) and bench/search_optuna.py (Optuna's
# TPESampler + HyperbandPruner, the anchor), then the real run (bench/search_real.sh). Prints
# markdown. Not part of ctest (about 10 minutes on this 2-CPU machine: Optuna's 100 seeds about
# 4 CPU minutes, the real run about 4); ctest's bench_search_sim runs the simulator with 2 seeds.
#
#   bench/search_compare.sh [--seeds N] [--optuna-seeds M] [--no-real]
#
# Installs Debian's python3-optuna with apt-get the first time if it is missing. Regenerate the
# table (about 4 CPU minutes) with:
#   build/bench/search_table --spec bench/search_space.yml --out bench/data/search_table.jsonl
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SEEDS=100
OPTUNA_SEEDS=100
REAL=1
while [[ $# -gt 0 ]]; do
  case $1 in
    --seeds) SEEDS=$2; shift ;;
    --optuna-seeds) OPTUNA_SEEDS=$2; shift ;;
    --no-real) REAL=0 ;;
    *) echo "search_compare.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
if ! /usr/bin/python3 -c 'import optuna' 2>/dev/null; then
  echo "search_compare.sh: installing python3-optuna with apt-get (once)" >&2
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-optuna >/dev/null
fi
TARGETS="search_sim"
[[ $REAL == 1 ]] && TARGETS="$TARGETS sweep sweep-worker"
if [[ ! -f $BUILD/build.ninja ]]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
# shellcheck disable=SC2086
cmake --build "$BUILD" --target $TARGETS >/dev/null

TABLE=bench/data/search_table.jsonl
PER_SEED=$(mktemp)
trap 'rm -f "$PER_SEED"' EXIT
echo "## Replay: our searches (bench/search_sim, $SEEDS seeds)"
echo
"$BUILD/bench/search_sim" --table "$TABLE" --spec bench/search_space.yml --seeds "$SEEDS" \
  --per-seed "$PER_SEED"
echo
echo "## Replay: the anchor (bench/search_optuna.py, $OPTUNA_SEEDS seeds)"
echo
/usr/bin/python3 bench/search_optuna.py --table "$TABLE" --seeds "$OPTUNA_SEEDS" --ours "$PER_SEED"
if [[ $REAL == 1 ]]; then
  echo
  echo "## Real run (bench/search_real.sh)"
  echo
  BUILD=$BUILD bench/search_real.sh
fi
