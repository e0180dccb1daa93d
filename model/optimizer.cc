#include "model/optimizer.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>

namespace sweep::model {
namespace {
using ArrayMap = Eigen::Map<Eigen::ArrayXf>;
// Part boundaries fall on whole cache lines so two threads never write the same line.
constexpr int64_t kAlign = 16;
}  // namespace

OptimizerState::OptimizerState(const OptimizerConfig& config, Mlp* model, int parts)
    : config_(config), parts_(parts) {
  struct Array {
    float* data;
    int64_t size;
    bool decay;
  };
  std::vector<Array> arrays;
  for (DenseLayer& l : model->mutable_layers()) {
    arrays.push_back({l.w.data(), l.w.size(), true});
    arrays.push_back({l.b.data(), l.b.size(), false});
  }
  int64_t total = 0;
  for (const Array& a : arrays) total += a.size;
  if (config.kind != Optimizer::kSgd) m_.assign(total, 0.0f);
  if (config.kind == Optimizer::kAdam || config.kind == Optimizer::kAdamW) v_.assign(total, 0.0f);
  const int64_t per_part = (total / parts + kAlign - 1) / kAlign * kAlign;
  for (int p = 0; p < parts; ++p) {
    const int64_t lo = std::min(total, p * per_part);
    const int64_t hi = p + 1 == parts ? total : std::min(total, lo + per_part);
    int64_t offset = 0;
    for (const Array& a : arrays) {
      const int64_t s = std::max(lo, offset), e = std::min(hi, offset + a.size);
      if (s < e) parts_[p].push_back({a.data + (s - offset), s, e - s, a.decay});
      offset += a.size;
    }
  }
}

void OptimizerState::Update(int part, const float* const* grads, int num_grads, float lr,
                            int64_t step) {
  for (const Piece& p : parts_[part]) {
    // The sum lands in grads[0]'s storage: every thread is past its backward pass here.
    float* g0 = const_cast<float*>(grads[0]) + p.offset;
    ArrayMap g(g0, p.size);
    for (int t = 1; t < num_grads; ++t) {
      g += Eigen::Map<const Eigen::ArrayXf>(grads[t] + p.offset, p.size);
    }
    UpdatePiece(p, g0, lr, step);
  }
}

void OptimizerState::UpdatePiece(const Piece& p, float* gp, float lr, int64_t step) {
  ArrayMap w(p.param, p.size), g(gp, p.size);
  const float wd = p.decay ? config_.weight_decay : 0.0f;
  switch (config_.kind) {
    case Optimizer::kSgd:
      if (wd != 0) {
        w -= lr * (g + wd * w);
      } else {
        w -= lr * g;
      }
      return;
    case Optimizer::kMomentum: {
      ArrayMap v(m_.data() + p.offset, p.size);
      const float mu = config_.momentum;
      if (wd != 0) g += wd * w;
      v = mu * v + g;
      if (config_.nesterov) {
        w -= lr * (g + mu * v);
      } else {
        w -= lr * v;
      }
      return;
    }
    case Optimizer::kAdam:
    case Optimizer::kAdamW: {
      ArrayMap m(m_.data() + p.offset, p.size), v(v_.data() + p.offset, p.size);
      const float b1 = config_.beta1, b2 = config_.beta2;
      // Keras form: the bias corrections fold into the rate; epsilon is added to sqrt(v).
      const double t = static_cast<double>(step);
      const float lr_t = static_cast<float>(lr * std::sqrt(1.0 - std::pow(b2, t)) /
                                            (1.0 - std::pow(b1, t)));
      if (config_.kind == Optimizer::kAdam && wd != 0) g += wd * w;
      if (config_.kind == Optimizer::kAdamW && wd != 0) w *= 1.0f - lr * wd;
      m = b1 * m + (1.0f - b1) * g;
      v = b2 * v + (1.0f - b2) * g.square();
      w -= lr_t * m / (v.sqrt() + config_.epsilon);
      return;
    }
  }
}

}  // namespace sweep::model
