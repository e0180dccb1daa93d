// The per-thread scratch of training and the forward/backward passes over a block of samples.
// Internal to sweep_model (train.cc, evaluate.cc and tests use it; other libraries do not).
//
// Samples are columns: a block of n samples of the row-major Dataset is, byte for byte, a
// column-major inputs x n matrix, so every layer is one GEMM over the block.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "model/config.h"
#include "model/mlp.h"

namespace sweep::model {

using MatrixMap = Eigen::Map<Matrix>;
using ConstMatrixMap = Eigen::Map<const Matrix>;

// Offsets of each layer's w and b in the flat parameter/gradient order
// (w0, b0, w1, b1, ...), the order the optimizer walks.
struct ParameterLayout {
  explicit ParameterLayout(const Mlp& model);
  std::vector<int64_t> w_offset, b_offset;
  int64_t size = 0;
};

// A block of n samples at columns [lo, lo + n) of a Workspace: one thread's share of a
// mini-batch when the threads of a training step share one Workspace.
struct Columns {
  int lo = 0;
  int n = 0;
};

// Activations, deltas, gradients and targets of blocks of up to `max_cols` samples, sized once
// so that a training step allocates nothing. Evaluation gives each thread its own; training
// shares one between the threads of a step, each writing only its own Columns (and its own
// ranges of grad()).
class Workspace {
 public:
  // `input_buffers`: how many inputs x max_cols buffers x(i) to hold (training double-buffers
  // the gathered inputs so the next batch is gathered while this one is still being read).
  Workspace(const Mlp& model, int max_cols, int input_buffers = 1);

  int max_cols() const { return max_cols_; }
  // Gathered inputs (inputs x max_cols) and targets for the current block.
  float* x(int i = 0) { return x_[i].data(); }
  int input_buffers() const { return static_cast<int>(x_.size()); }
  float* y() { return y_.data(); }
  // Output of layer k (post-activation; the last holds logits, then probabilities).
  MatrixMap A(size_t k, int n) { return A(k, Columns{0, n}); }
  MatrixMap A(size_t k, Columns c) { return Cols(&a_[k], c); }
  // d(loss)/d(pre-activation of layer k), scaled as OutputLoss's grad_scale says.
  MatrixMap Delta(size_t k, Columns c) { return Cols(&d_[k], c); }
  // Flat gradient in ParameterLayout order.
  float* grad() { return grad_.data(); }
  const float* ones() const { return ones_.data(); }
  float* col_tmp() { return col_tmp_.data(); }  // 2 * max_cols floats of per-sample scratch
  const ParameterLayout& layout() const { return layout_; }

 private:
  static MatrixMap Cols(Matrix* m, Columns c) {
    return MatrixMap(m->data() + static_cast<Eigen::Index>(c.lo) * m->rows(), m->rows(), c.n);
  }

  int max_cols_;
  ParameterLayout layout_;
  std::vector<Matrix> x_;
  Vector y_;
  std::vector<Matrix> a_, d_;
  Vector grad_;
  Vector ones_;
  Vector col_tmp_;
};

// Loss summed over a block and the number of correct predictions (classification only).
struct BlockLoss {
  double loss_sum = 0;
  int64_t correct = 0;
};

// Copies rows rows[0..n) of the row-major `x` (cols wide) and their targets into x_out
// (column-major cols x n) and y_out, prefetching a few rows ahead: shuffled rows are scattered
// over memory.
void GatherRows(const float* x, const float* y, int cols, const int64_t* rows, int n,
                float* x_out, float* y_out);

// Forward pass of the samples in columns c, whose inputs are the column-major inputs x c.n
// matrix at `x`. Writes A(k, c) for every layer.
void Forward(const Mlp& model, const float* x, Columns c, Workspace* ws);
inline void Forward(const Mlp& model, const float* x, int n, Workspace* ws) {
  Forward(model, x, Columns{0, n}, ws);
}

// Loss of the forward pass of columns c against ws->y() + c.lo; turns softmax logits into
// probabilities. With `grad_scale` != 0 also writes d(loss)/d(output pre-activation) *
// grad_scale into the last layer's Delta(c).
BlockLoss OutputLoss(const Mlp& model, Loss loss, Columns c, float grad_scale, Workspace* ws);
inline BlockLoss OutputLoss(const Mlp& model, Loss loss, int n, float grad_scale,
                            Workspace* ws) {
  return OutputLoss(model, loss, Columns{0, n}, grad_scale, ws);
}

// After OutputLoss(grad_scale != 0): the deltas Delta(k, c) of every layer, back to the first.
void BackwardDeltas(const Mlp& model, Columns c, Workspace* ws);

// Adds the gradient of layer k's weights in input columns [c0, c1) (the flat range
// layout().w_offset[k] + [c0, c1) * units) over the n samples of columns [0, n) to ws->grad(),
// and with `bias` the gradient of its biases too. `x` is the whole block's input (columns
// [0, n)), needed for layer 0. Requires: BackwardDeltas done for all n columns.
void AddWeightGradient(const Mlp& model, size_t k, const float* x, int n, int c0, int c1,
                       bool bias, Workspace* ws);

// Backward pass of a whole block after OutputLoss(grad_scale != 0): overwrites ws->grad() with
// the gradient of the block (already scaled). `x` is the same input as given to Forward.
void Backward(const Mlp& model, const float* x, int n, Workspace* ws);

}  // namespace sweep::model
