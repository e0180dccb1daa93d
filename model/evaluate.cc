#include "model/evaluate.h"

#include <algorithm>
#include <cstring>

#include "base/check.h"
#include "base/cpu.h"

namespace sweep::model {
namespace {

int PoolSize(int threads, int64_t rows) {
  const int t = threads > 0 ? threads : AvailableCpus();
  const int64_t blocks = (rows + kEvalBlock - 1) / kEvalBlock;
  return static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(t, blocks)));
}

// Points at block [lo, lo + n) of the inputs: in place when the rows are contiguous, else
// gathered into the workspace. Targets always go to ws->y().
const float* BlockInputs(const Dataset& data, const std::vector<int64_t>* rows, int64_t lo, int n,
                         Workspace* ws) {
  const size_t cols = static_cast<size_t>(data.cols);
  if (rows == nullptr) {
    if (!data.y.empty()) std::memcpy(ws->y(), data.y.data() + lo, n * sizeof(float));
    return data.x.data() + lo * cols;
  }
  GatherRows(data.x.data(), data.y.data(), data.cols, rows->data() + lo, n, ws);
  return ws->x();
}

// Runs `fn(block_lo, n, ws)` after the forward pass of every block, blocks spread over the pool.
template <typename Fn>
void ForEachBlock(const Mlp& model, const Dataset& data, const std::vector<int64_t>* rows,
                  ThreadPool* pool, std::vector<Workspace>* ws, Fn fn) {
  const int64_t count = rows ? static_cast<int64_t>(rows->size()) : data.rows;
  const int64_t blocks = (count + kEvalBlock - 1) / kEvalBlock;
  pool->Run([&](int t) {
    Workspace& w = (*ws)[t];
    for (int64_t b = t; b < blocks; b += pool->size()) {
      const int64_t lo = b * kEvalBlock;
      const int n = static_cast<int>(std::min<int64_t>(kEvalBlock, count - lo));
      Forward(model, BlockInputs(data, rows, lo, n, &w), n, &w);
      fn(b, n, &w);
    }
  });
}

}  // namespace

std::vector<Workspace> MakeEvalWorkspaces(const Mlp& model, int threads) {
  std::vector<Workspace> ws;
  for (int t = 0; t < threads; ++t) ws.emplace_back(model, kEvalBlock);
  return ws;
}

Metrics EvaluateRows(const Mlp& model, const Dataset& data, const std::vector<int64_t>* rows,
                     Loss loss, ThreadPool* pool, std::vector<Workspace>* ws) {
  const int64_t count = rows ? static_cast<int64_t>(rows->size()) : data.rows;
  Metrics m;
  if (count == 0) return m;
  std::vector<BlockLoss> parts((count + kEvalBlock - 1) / kEvalBlock);
  ForEachBlock(model, data, rows, pool, ws, [&](int64_t b, int n, Workspace* w) {
    parts[b] = OutputLoss(model, loss, n, 0.0f, w);
  });
  double loss_sum = 0;
  int64_t correct = 0;
  for (const BlockLoss& p : parts) loss_sum += p.loss_sum, correct += p.correct;
  m.loss = loss_sum / count;
  if (loss == Loss::kCrossEntropy) m.accuracy = static_cast<double>(correct) / count;
  return m;
}

Metrics Evaluate(const Mlp& model, const Dataset& data, Loss loss, int threads) {
  SWEEP_CHECK(data.cols == model.inputs());
  SWEEP_CHECK(data.y.size() == static_cast<size_t>(data.rows));
  if (loss == Loss::kCrossEntropy) {
    for (float y : data.y) SWEEP_CHECK(y >= 0 && y < model.outputs());
  }
  ScopedFlushDenormals ftz;
  ThreadPool pool(PoolSize(threads, data.rows));
  std::vector<Workspace> ws = MakeEvalWorkspaces(model, pool.size());
  return EvaluateRows(model, data, nullptr, loss, &pool, &ws);
}

Matrix Predict(const Mlp& model, const Dataset& data, int threads) {
  SWEEP_CHECK(data.cols == model.inputs());
  ScopedFlushDenormals ftz;
  ThreadPool pool(PoolSize(threads, data.rows));
  std::vector<Workspace> ws = MakeEvalWorkspaces(model, pool.size());
  Matrix out(model.outputs(), data.rows);
  const size_t last = model.layers().size() - 1;
  const bool softmax = model.output() == OutputKind::kSoftmax;
  ForEachBlock(model, data, nullptr, &pool, &ws, [&](int64_t b, int n, Workspace* w) {
    MatrixMap z = w->A(last, n);
    if (softmax) SoftmaxColumns(z);
    out.middleCols(b * kEvalBlock, n) = z;
  });
  return out;
}

}  // namespace sweep::model
