#include "model/optimizer.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "base/check.h"

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

void OptimizerState::SetMoments(const std::vector<float>& m, const std::vector<float>& v) {
  SWEEP_CHECK(m.size() == m_.size() && v.size() == v_.size());
  m_ = m;
  v_ = v;
}

void OptimizerState::Update(int part, const float* const* grads, int num_grads, float lr,
                            int64_t step) {
  Step st{lr, lr};
  if (config_.kind == Optimizer::kAdam || config_.kind == Optimizer::kAdamW) {
    // Keras form: the bias corrections fold into the rate; epsilon is added to sqrt(v).
    const double t = static_cast<double>(step);
    st.adam_lr = static_cast<float>(lr * std::sqrt(1.0 - std::pow(config_.beta2, t)) /
                                    (1.0 - std::pow(config_.beta1, t)));
  }
  // Chunks small enough that the sum and the update passes hit L1.
  constexpr int64_t kChunk = 512;
  for (const Piece& p : parts_[part]) {
    for (int64_t lo = 0; lo < p.size; lo += kChunk) {
      const int64_t n = std::min(kChunk, p.size - lo);
      // The sum lands in grads[0]'s storage: every thread is past its backward pass here.
      float* g0 = const_cast<float*>(grads[0]) + p.offset + lo;
      ArrayMap g(g0, n);
      for (int t = 1; t < num_grads; ++t) {
        g += Eigen::Map<const Eigen::ArrayXf>(grads[t] + p.offset + lo, n);
      }
      UpdateChunk(p.param + lo, g0, p.offset + lo, n, p.decay, st);
    }
  }
}

void OptimizerState::UpdateChunk(float* wp, float* gp, int64_t offset, int64_t size, bool decay,
                                 const Step& st) {
  ArrayMap w(wp, size), g(gp, size);
  const float lr = st.lr;
  const float wd = decay ? config_.weight_decay : 0.0f;
  switch (config_.kind) {
    case Optimizer::kSgd:
      if (wd != 0) {
        w -= lr * (g + wd * w);
      } else {
        w -= lr * g;
      }
      return;
    case Optimizer::kMomentum: {
      ArrayMap v(m_.data() + offset, size);
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
      ArrayMap m(m_.data() + offset, size), v(v_.data() + offset, size);
      const float b1 = config_.beta1, b2 = config_.beta2;
      if (config_.kind == Optimizer::kAdam && wd != 0) g += wd * w;
      if (config_.kind == Optimizer::kAdamW && wd != 0) w *= 1.0f - lr * wd;
      m = b1 * m + (1.0f - b1) * g;
      v = b2 * v + (1.0f - b2) * g.square();
      w -= st.adam_lr * m / (v.sqrt() + config_.epsilon);
      return;
    }
  }
}

}  // namespace sweep::model
