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

// One thread's activations, gradients and targets, sized once for blocks of up to `max_cols`
// samples so that a training step allocates nothing. Not shared between threads.
class Workspace {
 public:
  Workspace(const Mlp& model, int max_cols);

  int max_cols() const { return max_cols_; }
  // Gathered inputs (inputs x max_cols) and targets for the current block.
  float* x() { return x_.data(); }
  float* y() { return y_.data(); }
  // Output of layer k (post-activation; the last holds logits, then probabilities).
  MatrixMap A(size_t k, int n) { return MatrixMap(a_[k].data(), a_[k].rows(), n); }
  MatrixMap Delta(int which, int rows, int n) { return MatrixMap(d_[which].data(), rows, n); }
  // Flat gradient in ParameterLayout order.
  float* grad() { return grad_.data(); }
  const float* ones() const { return ones_.data(); }
  float* col_tmp() { return col_tmp_.data(); }  // 2 * max_cols floats of per-sample scratch
  const ParameterLayout& layout() const { return layout_; }

 private:
  int max_cols_;
  ParameterLayout layout_;
  Matrix x_;
  Vector y_;
  std::vector<Matrix> a_;
  Matrix d_[2];
  Vector grad_;
  Vector ones_;
  Vector col_tmp_;
};

// Loss summed over a block and the number of correct predictions (classification only).
struct BlockLoss {
  double loss_sum = 0;
  int64_t correct = 0;
};

// Copies rows rows[0..n) of the row-major `x` (cols wide) and their targets into ws->x() and
// ws->y(), prefetching a few rows ahead: shuffled rows are scattered over memory.
void GatherRows(const float* x, const float* y, int cols, const int64_t* rows, int n,
                Workspace* ws);

// Forward pass of n samples whose inputs are the column-major inputs x n matrix at `x`.
void Forward(const Mlp& model, const float* x, int n, Workspace* ws);

// Turns each column of logits into probabilities (max-shifted softmax, in place).
void SoftmaxColumns(MatrixMap z);

// Loss of the forward pass against ws->y(); turns softmax logits into probabilities. With
// `grad_scale` != 0 also writes d(loss)/d(output pre-activation) * grad_scale into Delta(0).
BlockLoss OutputLoss(const Mlp& model, Loss loss, int n, float grad_scale, Workspace* ws);

// Backward pass after OutputLoss(grad_scale != 0): overwrites ws->grad() with the gradient of
// the block (already scaled). `x` is the same input as given to Forward.
void Backward(const Mlp& model, const float* x, int n, Workspace* ws);

}  // namespace sweep::model
