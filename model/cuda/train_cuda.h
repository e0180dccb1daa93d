// The CUDA training path behind Train and TrainPacked (model/train.h), seen from CPU code: no
// CUDA type appears here. With SWEEP_CUDA=ON it is model/cuda/packed_trainer.cc and the .cu
// files beside it; a CPU build links stub.cc instead, which fails every row with
// CheckDeviceBuilt's "this build of sweep-worker has no CUDA" (model/config.h).
//
// Semantics are the CPU path's (the reference): the caller builds the initial Mlp and the
// validation split on the CPU (PrepareRun), the epoch shuffles are drawn on the host with the
// CPU trainer's generator and uploaded as row indices, so a GPU run sees the same initial
// weights and the same batches in the same order; only float rounding differs (cuBLAS sums in
// another order than Eigen).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/dataset.h"
#include "base/status.h"
#include "model/config.h"
#include "model/mlp.h"
#include "model/train.h"

namespace sweep::model::cuda {

// Rows trained together at most (the optimizer kernel takes their settings by value).
inline constexpr int kMaxPackedRows = 64;

// One row of a packed run: its config, its split (PrepareRun's), its initial model (trained in
// place) and its hooks. The pointers must outlive TrainRows.
struct RowJob {
  const TrainConfig* config = nullptr;
  std::vector<int64_t> train, val;
  Mlp* model = nullptr;
  const TrainHooks* hooks = nullptr;
};

// Ok, or InvalidArgument naming the first feature of `config` the GPU path lacks (Unsupported's
// message). Pure; the same answer on every build. Today every feature is supported.
Status CheckSupported(const TrainConfig& config);

// "device: cuda does not support ROW_KEY yet; use device: cpu" (InvalidArgument).
Status Unsupported(const std::string& row_key);

// Whether rows a and b may train in one packed run (see TrainPacked in model/train.h).
bool Packable(const RowJob& a, const RowJob& b);

// Trains rows.size() (1..kMaxPackedRows) Packable rows on the first GPU. Returns one result per
// row. Errors (every row): InvalidArgument (no CUDA in this build, no CUDA device, a CUDA or
// cuBLAS call failed: "cudaMalloc: out of memory"), Corruption (a resume state that does not fit).
// Requires: CheckSupported(*row.config).ok() for every row.
std::vector<StatusOr<TrainReport>> TrainRows(const Dataset& data, std::vector<RowJob>& rows);

// Whether a CUDA device can be used here (false on a CPU build). Tests skip on false.
bool DevicePresent();

// Ok when a CUDA device can be used here, else why not: CheckDeviceBuilt's error on a CPU
// build, "no CUDA device: ..." on a machine without one (InvalidArgument).
Status CheckDeviceUsable();

}  // namespace sweep::model::cuda
