#include "model/mlp.h"

#include <algorithm>
#include <cmath>

#include "base/check.h"
#include "base/random.h"

namespace sweep::model {
namespace {

// Uniform in [-limit, limit]: He (sqrt(6 / fan_in)) or Xavier/Glorot (sqrt(6 / (fan_in +
// fan_out))), the Keras *_uniform initialisers.
void InitLayer(DenseLayer* layer, bool he, SplitMix64Rng* rng) {
  const int fan_out = static_cast<int>(layer->w.rows());
  const int fan_in = static_cast<int>(layer->w.cols());
  const float limit = he ? std::sqrt(6.0f / fan_in) : std::sqrt(6.0f / (fan_in + fan_out));
  float* w = layer->w.data();
  for (Eigen::Index i = 0; i < layer->w.size(); ++i) {
    w[i] = (2.0f * UniformFloat(*rng) - 1.0f) * limit;
  }
  layer->b.setZero();
}

}  // namespace

Mlp::Mlp(int inputs, const std::vector<int>& hidden, int outputs, Activation activation,
         OutputKind output, Init init, uint64_t seed)
    : activation_(activation), output_(output) {
  SWEEP_CHECK(inputs >= 1 && outputs >= 1);
  SplitMix64Rng rng(seed);
  int fan_in = inputs;
  for (size_t k = 0; k <= hidden.size(); ++k) {
    const bool last = k == hidden.size();
    const int units = last ? outputs : hidden[k];
    SWEEP_CHECK(units >= 1);
    DenseLayer layer{Matrix(units, fan_in), Vector(units)};
    // auto: He for relu hidden layers; the softmax/linear output layer gets Xavier.
    const bool he =
        init == Init::kHe || (init == Init::kAuto && !last && activation == Activation::kRelu);
    InitLayer(&layer, he, &rng);
    layers_.push_back(std::move(layer));
    fan_in = units;
  }
}

int Mlp::inputs() const { return layers_.empty() ? 0 : static_cast<int>(layers_.front().w.cols()); }
int Mlp::outputs() const { return layers_.empty() ? 0 : static_cast<int>(layers_.back().w.rows()); }

int64_t Mlp::ParameterCount() const {
  int64_t n = 0;
  for (const DenseLayer& l : layers_) n += l.w.size() + l.b.size();
  return n;
}

std::vector<float> Mlp::FlatParameters() const {
  std::vector<float> out;
  out.reserve(ParameterCount());
  for (const DenseLayer& l : layers_) {
    out.insert(out.end(), l.w.data(), l.w.data() + l.w.size());
    out.insert(out.end(), l.b.data(), l.b.data() + l.b.size());
  }
  return out;
}

void Mlp::SetFlatParameters(const std::vector<float>& values) {
  SWEEP_CHECK(static_cast<int64_t>(values.size()) == ParameterCount());
  const float* p = values.data();
  for (DenseLayer& l : layers_) {
    std::copy(p, p + l.w.size(), l.w.data());
    p += l.w.size();
    std::copy(p, p + l.b.size(), l.b.data());
    p += l.b.size();
  }
}

std::string_view Mlp::ActivationName(size_t k) const {
  if (k + 1 == layers_.size()) return output_ == OutputKind::kSoftmax ? "softmax" : "linear";
  return ToString(activation_);
}

}  // namespace sweep::model
