#!/usr/bin/env bash
# sweep vs PyTorch side by side (see bench/RESULTS.md). Takes several minutes: not part of ctest.
#
#   bench/compare.sh [--quick] [--runs N] [--only W1,W2,W3,Sweep,Cold,Collect] [--markdown F]
#
# Builds the benchmark binaries and the worker into $BUILD (default build/, as scripts/setup.sh),
# installs Debian's python3-torch (large, ~1 GB) and OpenBLAS with apt-get the first time if they
# are missing, then runs bench/compare.py with /usr/bin/python3. Data sets are generated once into
# .cache/bench/ (not timed). --quick: 6,000 rows and 2 runs, a smoke check of the whole pipeline.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}

if ! /usr/bin/python3 -c 'import torch, h5py, numpy' 2>/dev/null || \
   ! compgen -G '/usr/lib/x86_64-linux-gnu/openblas-*/libblas.so.3' >/dev/null; then
  echo "compare.sh: installing python3-torch, python3-h5py and OpenBLAS with apt-get (once, large)" >&2
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    python3-torch python3-h5py python3-numpy libopenblas0-pthread >/dev/null
fi

if [[ ! -f $BUILD/build.ninja ]]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$BUILD" --parallel "$(nproc)" --target train_bench make_data sweep-worker sweep

exec /usr/bin/python3 bench/compare.py --build "$BUILD" "$@"
