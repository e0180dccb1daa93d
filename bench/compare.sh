#!/usr/bin/env bash
# sweep vs PyTorch side by side (see bench/RESULTS.md). Takes several minutes: not part of ctest.
#
#   bench/compare.sh [--quick] [--runs N] [--only W1,W2,W3,Sweep,Cold,Collect,Serve] [--markdown F]
#
# Builds the benchmark binaries and the worker into $BUILD (default build/, as scripts/setup.sh),
# installs Debian's python3-torch (large, ~1 GB) and OpenBLAS with apt-get the first time if they
# are missing, then runs bench/compare.py with /usr/bin/python3. Data sets are generated once into
# .cache/bench/ (not timed). --quick: 6,000 rows and 2 runs, a smoke check of the whole pipeline.
# Serve (sweep serve vs Flask+gunicorn under wrk, bench/serve_compare.py) needs python3-flask,
# gunicorn and wrk instead of torch; `--only Serve` installs only those.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}

# The workloads asked for: --only's list (the default is all of them).
ONLY="W1,W2,W3,Sweep,Cold,Collect,Serve"
for ((i = 1; i <= $#; i++)); do
  case ${!i} in
    --only) j=$((i + 1)); ONLY=${!j:-} ;;
    --only=*) ONLY=${!i#--only=} ;;
  esac
done
wants() { [[ ,$ONLY, == *,$1,* ]]; }

SUDO=""
[[ $(id -u) -eq 0 ]] || SUDO="sudo"
apt_install() {
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
if [[ ${ONLY//Serve/} =~ [A-Za-z] ]] && \
   { ! /usr/bin/python3 -c 'import torch, h5py, numpy' 2>/dev/null || \
     ! compgen -G '/usr/lib/x86_64-linux-gnu/openblas-*/libblas.so.3' >/dev/null; }; then
  echo "compare.sh: installing python3-torch, python3-h5py and OpenBLAS with apt-get (once, large)" >&2
  apt_install python3-torch python3-h5py python3-numpy libopenblas0-pthread
fi
# Serve: the Flask app behind gunicorn, and wrk; the Fashion-MNIST test images for the bodies.
if wants Serve && { ! /usr/bin/python3 -c 'import flask, h5py, numpy' 2>/dev/null || \
                    [[ ! -x /usr/bin/gunicorn || ! -x /usr/bin/wrk ]]; }; then
  echo "compare.sh: installing python3-flask, gunicorn and wrk with apt-get (once)" >&2
  apt_install python3-flask gunicorn wrk python3-h5py python3-numpy
fi
if wants Serve && [[ ! -d /usr/share/datasets/fashion-mnist ]]; then
  echo "compare.sh: installing dataset-fashion-mnist with apt-get (once, 30 MB)" >&2
  apt_install dataset-fashion-mnist || echo "compare.sh: no dataset-fashion-mnist: synthetic data" >&2
fi

if [[ ! -f $BUILD/build.ninja ]]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$BUILD" --parallel "$(nproc)" --target train_bench make_data sweep-worker sweep

exec /usr/bin/python3 bench/compare.py --build "$BUILD" "$@"
