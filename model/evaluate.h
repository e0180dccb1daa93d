// Batched forward passes over many rows: loss/accuracy and predictions. Internal to
// sweep_model; the public entry points (Evaluate, Predict) are declared in train.h.
#pragma once

#include <cstdint>
#include <vector>

#include "base/dataset.h"
#include "model/kernels.h"
#include "model/mlp.h"
#include "model/thread_pool.h"
#include "model/train.h"

namespace sweep::model {

// Rows per forward block when evaluating.
inline constexpr int kEvalBlock = 256;

// One Workspace(model, kEvalBlock) per pool thread.
std::vector<Workspace> MakeEvalWorkspaces(const Mlp& model, int threads);

// Loss and accuracy over `rows` of `data` (all rows when `rows` is null). Blocks are summed in
// row order, so the result does not depend on the thread count.
// Requires: data fits the model (Train checked it), ws->size() == pool->size().
Metrics EvaluateRows(const Mlp& model, const Dataset& data, const std::vector<int64_t>* rows,
                     Loss loss, ThreadPool* pool, std::vector<Workspace>* ws);

}  // namespace sweep::model
