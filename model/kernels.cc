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

Workspace::Workspace(const Mlp& model, int max_cols)
    : max_cols_(max_cols),
      layout_(model),
      x_(model.inputs(), max_cols),
      y_(max_cols),
      grad_(layout_.size),
      ones_(Vector::Ones(max_cols)),
      col_tmp_(2 * max_cols) {
  Eigen::Index widest = 1;  // deltas of every layer's output; the input needs none
  for (const DenseLayer& l : model.layers()) {
    a_.emplace_back(l.w.rows(), max_cols);
    widest = std::max(widest, l.w.rows());
  }
  for (Matrix& d : d_) d.resize(widest, max_cols);
  x_.setZero();
  y_.setZero();
  grad_.setZero();
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
                Workspace* ws) {
  constexpr int kAhead = 4;
  const size_t bytes = static_cast<size_t>(cols) * sizeof(float);
  for (int j = 0; j < n; ++j) {
    if (j + kAhead < n) {
      const char* next = reinterpret_cast<const char*>(x + rows[j + kAhead] * cols);
      for (size_t b = 0; b < bytes; b += 64) __builtin_prefetch(next + b);
    }
    std::memcpy(ws->x() + static_cast<size_t>(j) * cols, x + rows[j] * cols, bytes);
    ws->y()[j] = y[rows[j]];
  }
}

void Forward(const Mlp& model, const float* x, int n, Workspace* ws) {
  const auto& layers = model.layers();
  ConstMatrixMap in0(x, model.inputs(), n);
  for (size_t k = 0; k < layers.size(); ++k) {
    MatrixMap z = ws->A(k, n);
    if (k == 0) {
      z.noalias() = layers[k].w * in0;
    } else {
      z.noalias() = layers[k].w * ws->A(k - 1, n);
    }
    if (k + 1 < layers.size()) {
      BiasActivate(z, layers[k].b, model.activation());
    } else {
      z.colwise() += layers[k].b;
    }
  }
}

void SoftmaxColumns(MatrixMap z) {
  auto a = z.array();
  a.rowwise() -= a.colwise().maxCoeff();
  a = a.exp();
  a.rowwise() /= a.colwise().sum();
}

BlockLoss OutputLoss(const Mlp& model, Loss loss, int n, float grad_scale, Workspace* ws) {
  const size_t last = model.layers().size() - 1;
  MatrixMap z = ws->A(last, n);
  MatrixMap d = ws->Delta(0, static_cast<int>(z.rows()), n);
  if (loss == Loss::kCrossEntropy) {
    return SoftmaxCrossEntropy(z, ws->y(), grad_scale, ws->col_tmp(), d);
  }
  return SquaredError(z, ws->y(), grad_scale, d);
}

void Backward(const Mlp& model, const float* x, int n, Workspace* ws) {
  const auto& layers = model.layers();
  const ParameterLayout& layout = ws->layout();
  Eigen::Map<const Vector> ones(ws->ones(), n);
  int cur = 0;
  for (size_t k = layers.size(); k-- > 0;) {
    const Matrix& w = layers[k].w;
    MatrixMap d = ws->Delta(cur, static_cast<int>(w.rows()), n);
    MatrixMap gw(ws->grad() + layout.w_offset[k], w.rows(), w.cols());
    Eigen::Map<Vector> gb(ws->grad() + layout.b_offset[k], w.rows());
    if (k == 0) {
      gw.noalias() = d * ConstMatrixMap(x, w.cols(), n).transpose();
    } else {
      gw.noalias() = d * ws->A(k - 1, n).transpose();
    }
    gb.noalias() = d * ones;
    if (k == 0) break;
    MatrixMap next = ws->Delta(1 - cur, static_cast<int>(w.cols()), n);
    next.noalias() = w.transpose() * d;
    ActivationGrad(next, ws->A(k - 1, n), model.activation());
    cur = 1 - cur;
  }
}

}  // namespace sweep::model
