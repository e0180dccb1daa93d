#!/usr/bin/env bash
# ctest cuda_compile: when nvcc is on this machine, the CUDA sources must still compile and link
# (no GPU needed, nothing runs). Configures a SWEEP_CUDA=ON tree in $1 (kept between runs, ccache
# launcher) and builds only the model library and its CUDA test. Exit 77 (ctest SKIP) without
# nvcc.
#
#   model/cuda/compile_check.sh BUILD_DIR [SOURCE_DIR]
set -euo pipefail
build=$1
src=${2:-$(cd "$(dirname "$0")/../.." && pwd)}
nvcc=${CUDACXX:-$(command -v nvcc || true)}
[[ -z $nvcc && -x /usr/local/cuda/bin/nvcc ]] && nvcc=/usr/local/cuda/bin/nvcc
if [[ -z $nvcc ]]; then
  echo "cuda_compile: skipped: no nvcc on PATH or in /usr/local/cuda/bin" >&2
  exit 77
fi
echo "cuda_compile: $nvcc: $("$nvcc" --version | tail -1)"
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache
            -DCMAKE_CUDA_COMPILER_LAUNCHER=ccache)
fi
# One architecture keeps it cheap: the point is that the sources compile, not the fat binary.
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSWEEP_CUDA=ON \
  -DSWEEP_BUILD_BENCH=OFF -DCMAKE_CUDA_COMPILER="$nvcc" -DCMAKE_CUDA_ARCHITECTURES=80 \
  "${launcher[@]}" >"$build.configure.log" 2>&1 || { cat "$build.configure.log"; exit 1; }
cmake --build "$build" --target sweep_model_cuda_test -- -j"${SWEEP_JOBS:-2}"
