#include "model/kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace sweep::model {

ParameterLayout::ParameterLayout(const Mlp& model) {
  for (const DenseLayer& l : model.layers()) {
    w_offset.push_back(size);
    size += l.w.size();
    b_offset.push_back(size);
    size += l.b.size();
  }
}

Workspace::Workspace(const Mlp& model, int max_cols, int input_buffers)
    : max_cols_(max_cols),
      layout_(model),
      x_(input_buffers, Matrix::Zero(model.inputs(), max_cols)),
      y_(Vector::Zero(max_cols)),
      grad_(Vector::Zero(layout_.size)),
      ones_(Vector::Ones(max_cols)),
      col_tmp_(2 * max_cols) {
  for (const DenseLayer& l : model.layers()) {
    a_.emplace_back(l.w.rows(), max_cols);
    d_.emplace_back(l.w.rows(), max_cols);
  }
}

namespace {

// z = act(z + b), fused into one pass over the block.
void BiasActivate(MatrixMap z, const Vector& b, Activation act) {
  auto za = z.array();
  switch (act) {
    case Activation::kRelu:
      za = (za.colwise() + b.array()).cwiseMax(0.0f);
      break;
    case Activation::kTanh:
      za = (za.colwise() + b.array()).tanh();
      break;
    case Activation::kSigmoid:
      za = (za.colwise() + b.array()).logistic();
      break;
  }
}

// d *= act'(a), with the derivative written in terms of the activation's output a.
void ActivationGrad(MatrixMap d, const MatrixMap& a, Activation act) {
  auto da = d.array();
  auto aa = a.array();
  switch (act) {
    case Activation::kRelu:
      da = (aa > 0.0f).select(da, 0.0f);
      break;
    case Activation::kTanh:
      da = da * (1.0f - aa.square());
      break;
    case Activation::kSigmoid:
      da = da * aa * (1.0f - aa);
      break;
  }
}

// Column-wise softmax in place, vectorised across the block (exp/log are Eigen's packet
// versions): per-sample scalar exp calls dominated small full-batch problems.
BlockLoss SoftmaxCrossEntropy(MatrixMap z, const float* y, float grad_scale, float* col_tmp,
                              MatrixMap d) {
  BlockLoss out;
  const int classes = static_cast<int>(z.rows());
  const Eigen::Index n = z.cols();
  Eigen::Map<Eigen::RowVectorXf> mx(col_tmp, n), sums(col_tmp + n, n);
  double label_logits = 0;  // sum of z[label] - max
  for (Eigen::Index j = 0; j < n; ++j) {
    const float* col = z.col(j).data();
    const int label = static_cast<int>(y[j]);
    int arg = 0;
    for (int i = 1; i < classes; ++i) arg = col[i] > col[arg] ? i : arg;
    mx[j] = col[arg];
    label_logits += col[label] - col[arg];
    out.correct += arg == label;
  }
  auto za = z.array();
  za.rowwise() -= mx.array();
  za = za.exp();  // contiguous block: packet exp (a broadcast expression would go scalar)
  sums = za.colwise().sum();
  // -log p[label] = log(sum_i exp(z_i - max)) - (z[label] - max).
  out.loss_sum = static_cast<double>(sums.array().log().sum()) - label_logits;
  za.rowwise() *= sums.array().inverse();
  if (grad_scale != 0) {
    auto dm = d.leftCols(n);
    dm = z * grad_scale;
    for (Eigen::Index j = 0; j < n; ++j) dm(static_cast<int>(y[j]), j) -= grad_scale;
  }
  return out;
}

BlockLoss SquaredError(MatrixMap z, const float* y, float grad_scale, MatrixMap d) {
  BlockLoss out;
  for (Eigen::Index j = 0; j < z.cols(); ++j) {
    const float e = z(0, j) - y[j];
    out.loss_sum += static_cast<double>(e) * e;
    if (grad_scale != 0) d(0, j) = 2.0f * e * grad_scale;
  }
  return out;
}

}  // namespace

void GatherRows(const float* x, const float* y, int cols, const int64_t* rows, int n,
                float* x_out, float* y_out) {
  constexpr int kAhead = 4;
  const size_t bytes = static_cast<size_t>(cols) * sizeof(float);
  for (int j = 0; j < n; ++j) {
    if (j + kAhead < n) {
      const char* next = reinterpret_cast<const char*>(x + rows[j + kAhead] * cols);
      for (size_t b = 0; b < bytes; b += 64) __builtin_prefetch(next + b);
    }
    std::memcpy(x_out + static_cast<size_t>(j) * cols, x + rows[j] * cols, bytes);
    y_out[j] = y[rows[j]];
  }
}

void Forward(const Mlp& model, const float* x, Columns c, Workspace* ws) {
  const auto& layers = model.layers();
  ConstMatrixMap in0(x, model.inputs(), c.n);
  for (size_t k = 0; k < layers.size(); ++k) {
    MatrixMap z = ws->A(k, c);
    if (k == 0) {
      z.noalias() = layers[k].w * in0;
    } else {
      z.noalias() = layers[k].w * ws->A(k - 1, c);
    }
    if (k + 1 < layers.size()) {
      BiasActivate(z, layers[k].b, model.activation());
    } else {
      z.colwise() += layers[k].b;
    }
  }
}

BlockLoss OutputLoss(const Mlp& model, Loss loss, Columns c, float grad_scale, Workspace* ws) {
  const size_t last = model.layers().size() - 1;
  MatrixMap z = ws->A(last, c);
  MatrixMap d = ws->Delta(last, c);
  const float* y = ws->y() + c.lo;
  if (loss == Loss::kCrossEntropy) {
    return SoftmaxCrossEntropy(z, y, grad_scale, ws->col_tmp() + 2 * c.lo, d);
  }
  return SquaredError(z, y, grad_scale, d);
}

void BackwardDeltas(const Mlp& model, Columns c, Workspace* ws) {
  const auto& layers = model.layers();
  for (size_t k = layers.size() - 1; k > 0; --k) {
    MatrixMap next = ws->Delta(k - 1, c);
    next.noalias() = layers[k].w.transpose() * ws->Delta(k, c);
    ActivationGrad(next, ws->A(k - 1, c), model.activation());
  }
}

void AddWeightGradient(const Mlp& model, size_t k, const float* x, int n, int c0, int c1,
                       bool bias, Workspace* ws) {
  const Matrix& w = model.layers()[k].w;
  const ParameterLayout& layout = ws->layout();
  const Eigen::Index units = w.rows();
  MatrixMap d = ws->Delta(k, Columns{0, n});
  if (c1 > c0) {
    // Accumulating into a cleared buffer: `=` would zero-fill the destination first, an extra
    // pass over it (the optimizer clears each gradient while it is in cache anyway).
    MatrixMap gw(ws->grad() + layout.w_offset[k] + c0 * units, units, c1 - c0);
    if (k == 0) {
      gw.noalias() += d * ConstMatrixMap(x, w.cols(), n).middleRows(c0, c1 - c0).transpose();
    } else {
      gw.noalias() += d * ws->A(k - 1, n).middleRows(c0, c1 - c0).transpose();
    }
  }
  if (bias) {
    Eigen::Map<Vector> gb(ws->grad() + layout.b_offset[k], units);
    gb.noalias() += d * Eigen::Map<const Vector>(ws->ones(), n);
  }
}

void Backward(const Mlp& model, const float* x, int n, Workspace* ws) {
  std::fill_n(ws->grad(), ws->layout().size, 0.0f);
  BackwardDeltas(model, Columns{0, n}, ws);
  for (size_t k = 0; k < model.layers().size(); ++k) {
    AddWeightGradient(model, k, x, n, 0, static_cast<int>(model.layers()[k].w.cols()), true, ws);
  }
}

}  // namespace sweep::model
