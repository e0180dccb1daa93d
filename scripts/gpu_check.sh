#!/usr/bin/env bash
# The device check of the CUDA path (issue 22), for a GPU machine, in one call of about 5-8
# minutes: build with SWEEP_CUDA=ON, the GPU tests, a full W1 row GPU vs CPU, a worker row with
# device: cuda, and the benchmark (64 packed W1 rows vs PyTorch one after another, rows/hour and
# GPU utilisation sampled by nvidia-smi). Everything lands in $OUT (default ./gpu-check-out):
# summary.txt first, then the logs and JSON of each step. A step that fails is recorded and the
# next one still runs; the exit status is the number of failed steps.
#
#   OUT=/tmp/out scripts/gpu_check.sh            # on the device machine: run(command=...)
#   BENCH_ROWS=16 SKIP_BENCH=1 CUDA_ARCH=80 JOBS=8 BUILD=build-gpu   (optional knobs)
#
# Needs: nvcc (PATH or /usr/local/cuda/bin) with cuBLAS, CMake >= 3.25, Ninja or make, the
# project's -dev packages (Eigen, HDF5, yaml-cpp, fmt, CLI11, nlohmann-json, curl, GTest),
# python3; PyTorch with CUDA for the PyTorch side of the benchmark (skipped, and said so, without).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
OUT=${OUT:-$PWD/gpu-check-out}
BUILD=${BUILD:-build-gpu}
JOBS=${JOBS:-$(nproc)}
mkdir -p "$OUT"
failed=0
note() { echo "$*" | tee -a "$OUT/summary.txt"; }
step() {  # step NAME TIMEOUT_S COMMAND...: runs it with its output in $OUT/NAME.log
  local name=$1 limit=$2 t0=$SECONDS rc
  shift 2
  timeout "$limit" "$@" >"$OUT/$name.log" 2>&1
  rc=$?
  if ((rc == 0)); then note "ok    $name ($((SECONDS - t0)) s)"; else
    note "FAIL  $name (exit $rc, $((SECONDS - t0)) s): tail of $name.log:"
    tail -n 15 "$OUT/$name.log" | sed 's/^/      /' | tee -a "$OUT/summary.txt"
    failed=$((failed + 1))
  fi
  return $rc
}

: >"$OUT/summary.txt"
note "gpu_check $(date -u +%FT%TZ) $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
nvidia-smi >"$OUT/nvidia-smi.txt" 2>&1 || note "nvidia-smi failed (no driver?)"
note "gpu: $(nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader 2>/dev/null | head -1)"
NVCC=${CUDACXX:-$(command -v nvcc || true)}
[[ -z $NVCC && -x /usr/local/cuda/bin/nvcc ]] && NVCC=/usr/local/cuda/bin/nvcc
if [[ -z $NVCC ]]; then note "FAIL  no nvcc on PATH or in /usr/local/cuda/bin"; exit 1; fi
note "nvcc: $NVCC ($("$NVCC" --version | tail -1))"
# This GPU's architecture only (fast build): 9.0 -> 90.
CUDA_ARCH=${CUDA_ARCH:-$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -1 | tr -d '. ')}
CUDA_ARCH=${CUDA_ARCH:-90}
gen=(-G Ninja)
command -v ninja >/dev/null || gen=(-G "Unix Makefiles")
launch=()
command -v ccache >/dev/null && launch=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)

# 1. Build.
step configure 300 cmake -S . -B "$BUILD" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DSWEEP_CUDA=ON \
  -DCMAKE_CUDA_COMPILER="$NVCC" -DCMAKE_CUDA_ARCHITECTURES="$CUDA_ARCH" -DSWEEP_BUILD_BENCH=OFF \
  "${launch[@]}" || { note "configure failed: missing packages? see configure.log"; exit 1; }
step build 420 cmake --build "$BUILD" --parallel "$JOBS" --target sweep_model_cuda_test \
  sweep_model_test cuda_packed_bench sweep-worker || exit 1
B=$BUILD

# 2. The GPU tests (kernels vs CPU on random shapes, finite differences, W1-shaped row, packed vs
#    one by one, pause/resume) and the seam tests of the CPU suite.
step cuda_test 300 "$B/model/cuda/sweep_model_cuda_test" --gtest_output=json:"$OUT/cuda_test.json"
grep -E "^\[  (PASSED|FAILED)  \]|^\[  SKIPPED \] [0-9]|^\[  FAILED  \] [A-Z]" "$OUT/cuda_test.log" |
  sed 's/^/      /' | tee -a "$OUT/summary.txt"
step seam_test 120 "$B/model/sweep_model_test" --gtest_filter='CudaSeam*:Train*'

# 3. A full W1 row (60,000 synthetic MNIST rows, 784-128-10, Adam, batch 128, 3 epochs) on the
#    GPU and on the CPU from the same initial weights: loss within 1%, accuracy to 3 digits.
step w1_gpu 300 "$B/cuda_packed_bench" --rows 1 --one-by-one --device cuda
step w1_cpu 300 "$B/cuda_packed_bench" --rows 1 --one-by-one --device cpu
python3 - "$OUT" <<'PY' 2>&1 | tee -a "$OUT/summary.txt"
import json, sys
out = sys.argv[1]
try:
    g, c = (json.loads(open("%s/w1_%s.log" % (out, s)).read().strip().splitlines()[-1]) for s in ("gpu", "cpu"))
except Exception as e:
    print("FAIL  w1_compare: %s" % e); sys.exit(0)
ok = abs(g["mean_loss"] - c["mean_loss"]) <= 0.01 * c["mean_loss"] and abs(g["mean_accuracy"] - c["mean_accuracy"]) <= 1e-3
print("%s  w1_compare: loss gpu %.5f cpu %.5f, accuracy gpu %.4f cpu %.4f, seconds gpu %.2f cpu %.2f" % (
    "ok  " if ok else "FAIL", g["mean_loss"], c["mean_loss"], g["mean_accuracy"], c["mean_accuracy"], g["seconds"], c["seconds"]))
json.dump({"gpu": g, "cpu": c, "ok": ok}, open("%s/w1_row.json" % out, "w"), indent=1)
PY

# 4. The worker end to end: one row of examples/synthetic.yml with device: cuda publishes
#    model.h5 and result.json as on the CPU.
rm -rf "$OUT/worker-store"
step worker_cuda 300 "$B/worker/sweep-worker" --index 0 --params examples/synthetic.yml \
  --storage "$OUT/worker-store" --set device=cuda --set epochs=1 && {
  find "$OUT/worker-store" -name result.json -exec cp {} "$OUT/worker_result.json" \; -quit
  find "$OUT/worker-store" -name '*.h5' -size +1M -delete  # keep what comes back small
}

# 4b. A packed worker: the first 4 rows of examples/synthetic.yml in one process, the cuda rows
#     handed to model::TrainPacked together (worker/train_slots.cc), each published.
rm -rf "$OUT/pack-store"
step worker_pack_cuda 300 "$B/worker/sweep-worker" --index 0 --pack 4 \
  --params examples/synthetic.yml --storage "$OUT/pack-store" --set device=cuda --set epochs=1 &&
  grep -h "pack of" "$OUT/worker_pack_cuda.log" | sed 's/^/      /' | tee -a "$OUT/summary.txt"
find "$OUT/pack-store" -name '*.h5' -size +1M -delete 2>/dev/null

# 5. The benchmark: 64 W1 rows packed vs PyTorch one after another (bench/cuda_compare.py).
if [[ -z ${SKIP_BENCH:-} ]]; then
  step bench 420 python3 bench/cuda_compare.py --bench "$B/cuda_packed_bench" --out "$OUT/bench" \
    --rows "${BENCH_ROWS:-64}" --one-by-one
  tee -a "$OUT/summary.txt" <"$OUT/bench/cuda_compare.md" 2>/dev/null
  rm -rf "$OUT/bench/rows"  # the exported data set and weights: large, and re-made on demand
fi
note "failed steps: $failed"
exit "$failed"
