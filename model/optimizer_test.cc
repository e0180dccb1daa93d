#include "model/optimizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace sweep::model {
namespace {

// A 3-input, 2-output model without hidden layers: 6 weights then 2 biases.
Mlp TinyModel(float w, float b) {
  Mlp m(3, {}, 2, Activation::kRelu, OutputKind::kLinear, Init::kAuto, 1);
  m.mutable_layers()[0].w.setConstant(w);
  m.mutable_layers()[0].b.setConstant(b);
  return m;
}

// Applies one update with every part, as the training threads do.
void Step(OptimizerState* opt, int parts, const std::vector<std::vector<float>>& grads, float lr,
          int64_t step) {
  std::vector<std::vector<float>> copy = grads;  // Update sums into the first buffer
  std::vector<const float*> ptrs;
  for (auto& g : copy) ptrs.push_back(g.data());
  for (int p = 0; p < parts; ++p)
    opt->Update(p, ptrs.data(), static_cast<int>(ptrs.size()), lr, step);
}

TEST(Optimizer, PartsCoverEveryParameterOnceAndGradientsAreSummed) {
  OptimizerConfig c;
  c.kind = Optimizer::kSgd;
  for (int parts : {1, 2, 3, 7}) {
    Mlp m = TinyModel(1.0f, 1.0f);
    OptimizerState opt(c, &m, parts);
    Step(&opt, parts, {std::vector<float>(8, 0.25f), std::vector<float>(8, 0.75f)}, 0.5f, 1);
    EXPECT_TRUE(m.layers()[0].w.isConstant(0.5f)) << parts;
    EXPECT_TRUE(m.layers()[0].b.isConstant(0.5f)) << parts;
  }
}

TEST(Optimizer, CoupledDecayShrinksWeightsNotBiases) {
  OptimizerConfig c;
  c.kind = Optimizer::kSgd;
  c.weight_decay = 0.1f;
  Mlp m = TinyModel(2.0f, 2.0f);
  OptimizerState opt(c, &m, 2);
  Step(&opt, 2, {std::vector<float>(8, 0.0f)}, 0.5f, 1);
  EXPECT_TRUE(m.layers()[0].w.isApproxToConstant(2.0f - 0.5f * 0.1f * 2.0f));
  EXPECT_TRUE(m.layers()[0].b.isConstant(2.0f));
}

TEST(Optimizer, AdamWDecaysDirectlyAndAdamThroughTheGradient) {
  OptimizerConfig c;
  c.kind = Optimizer::kAdamW;
  c.weight_decay = 0.1f;
  Mlp m = TinyModel(2.0f, 2.0f);
  OptimizerState adamw(c, &m, 1);
  Step(&adamw, 1, {std::vector<float>(8, 0.0f)}, 0.5f, 1);
  EXPECT_TRUE(m.layers()[0].w.isApproxToConstant(2.0f * (1.0f - 0.5f * 0.1f)));
  EXPECT_TRUE(m.layers()[0].b.isConstant(2.0f));
  // Adam normalises the decay gradient: the first step moves each weight by about lr.
  c.kind = Optimizer::kAdam;
  Mlp n = TinyModel(2.0f, 2.0f);
  OptimizerState adam(c, &n, 1);
  Step(&adam, 1, {std::vector<float>(8, 0.0f)}, 0.5f, 1);
  EXPECT_NEAR(n.layers()[0].w(0, 0), 1.5f, 1e-4f);
  EXPECT_TRUE(n.layers()[0].b.isConstant(2.0f));
}

TEST(Optimizer, AdamFirstStepsMatchTheFormula) {
  OptimizerConfig c;
  c.kind = Optimizer::kAdam;
  Mlp m = TinyModel(0.0f, 0.0f);
  OptimizerState opt(c, &m, 1);
  double w = 0, mom = 0, vel = 0;
  const float g[] = {0.5f, -0.2f, 0.1f};
  for (int t = 1; t <= 3; ++t) {
    Step(&opt, 1, {std::vector<float>(8, g[t - 1])}, 0.01f, t);
    mom = 0.9 * mom + 0.1 * g[t - 1];
    vel = 0.999 * vel + 0.001 * g[t - 1] * g[t - 1];
    w -= 0.01 * std::sqrt(1 - std::pow(0.999, t)) / (1 - std::pow(0.9, t)) * mom /
         (std::sqrt(vel) + 1e-7);
    EXPECT_NEAR(m.layers()[0].w(1, 2), w, 1e-6) << t;
    EXPECT_NEAR(m.layers()[0].b(1), w, 1e-6) << t;
  }
}

TEST(Optimizer, MomentumAndNesterovMatchTheFormula) {
  for (bool nesterov : {false, true}) {
    OptimizerConfig c;
    c.kind = Optimizer::kMomentum;
    c.momentum = 0.9f;
    c.nesterov = nesterov;
    Mlp m = TinyModel(1.0f, 1.0f);
    OptimizerState opt(c, &m, 1);
    double w = 1, v = 0;
    for (int t = 1; t <= 3; ++t) {
      Step(&opt, 1, {std::vector<float>(8, 1.0f)}, 0.1f, t);
      v = 0.9 * v + 1.0;
      w -= 0.1 * (nesterov ? 1.0 + 0.9 * v : v);
      EXPECT_NEAR(m.layers()[0].w(0, 0), w, 1e-5) << nesterov << " " << t;
    }
  }
}

}  // namespace
}  // namespace sweep::model
