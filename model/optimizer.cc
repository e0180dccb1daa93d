#include "model/optimizer.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "base/check.h"

namespace sweep::model {
namespace {
using ArrayMap = Eigen::Map<Eigen::ArrayXf>;
}  // namespace

OptimizerState::OptimizerState(const OptimizerConfig& config, Mlp* model) : config_(config) {
  int64_t total = 0;
  for (DenseLayer& l : model->mutable_layers()) {
    arrays_.push_back({l.w.data(), total, l.w.size(), true});
    total += l.w.size();
    arrays_.push_back({l.b.data(), total, l.b.size(), false});
    total += l.b.size();
  }
  if (config.kind != Optimizer::kSgd) m_.assign(total, 0.0f);
  if (config.kind == Optimizer::kAdam || config.kind == Optimizer::kAdamW) v_.assign(total, 0.0f);
}

void OptimizerState::Update(int64_t offset, int64_t size, float* grad, float lr, int64_t step) {
  if (size <= 0) return;
  auto a = std::find_if(arrays_.begin(), arrays_.end(),
                        [&](const Array& x) { return offset < x.offset + x.size; });
  SWEEP_CHECK(a != arrays_.end() && offset >= a->offset && offset + size <= a->offset + a->size);
  Step st{lr, lr};
  if (config_.kind == Optimizer::kAdam || config_.kind == Optimizer::kAdamW) {
    // Keras form: the bias corrections fold into the rate; epsilon is added to sqrt(v).
    const double t = static_cast<double>(step);
    st.adam_lr = static_cast<float>(lr * std::sqrt(1.0 - std::pow(config_.beta2, t)) /
                                    (1.0 - std::pow(config_.beta1, t)));
  }
  // Chunks small enough that the update's several passes (m, v, w) hit L1.
  constexpr int64_t kChunk = 512;
  float* param = a->data + (offset - a->offset);
  for (int64_t lo = 0; lo < size; lo += kChunk) {
    const int64_t n = std::min(kChunk, size - lo);
    UpdateChunk(param + lo, grad + offset + lo, offset + lo, n, a->decay, st);
    std::fill_n(grad + offset + lo, n, 0.0f);
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
