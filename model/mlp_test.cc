#include "model/mlp.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <tuple>

#include "base/random.h"
#include "model/kernels.h"

namespace sweep::model {
namespace {

TEST(Mlp, ShapesFollowTheKerasKernelLayout) {
  Mlp m(5, {7, 3}, 4, Activation::kTanh, OutputKind::kSoftmax, Init::kAuto, 1);
  ASSERT_EQ(m.layers().size(), 3u);
  EXPECT_EQ(m.inputs(), 5);
  EXPECT_EQ(m.outputs(), 4);
  EXPECT_EQ(m.layers()[0].w.rows(), 7);
  EXPECT_EQ(m.layers()[0].w.cols(), 5);
  EXPECT_EQ(m.layers()[2].b.size(), 4);
  EXPECT_EQ(m.ParameterCount(), 5 * 7 + 7 + 7 * 3 + 3 + 3 * 4 + 4);
  EXPECT_EQ(m.ActivationName(0), "tanh");
  EXPECT_EQ(m.ActivationName(2), "softmax");
  Mlp lin(5, {}, 1, Activation::kRelu, OutputKind::kLinear, Init::kAuto, 1);
  EXPECT_EQ(lin.layers().size(), 1u);
  EXPECT_EQ(lin.ActivationName(0), "linear");
}

TEST(Mlp, InitIsSeededAndBoundedByHeOrXavier) {
  Mlp a(100, {50}, 10, Activation::kRelu, OutputKind::kSoftmax, Init::kAuto, 7);
  Mlp b(100, {50}, 10, Activation::kRelu, OutputKind::kSoftmax, Init::kAuto, 7);
  Mlp c(100, {50}, 10, Activation::kRelu, OutputKind::kSoftmax, Init::kAuto, 8);
  EXPECT_EQ(a.layers()[0].w, b.layers()[0].w);
  EXPECT_NE(a.layers()[0].w, c.layers()[0].w);
  const float he = std::sqrt(6.0f / 100), xavier_out = std::sqrt(6.0f / 60);
  EXPECT_LE(a.layers()[0].w.cwiseAbs().maxCoeff(), he);
  EXPECT_GT(a.layers()[0].w.cwiseAbs().maxCoeff(), 0.9f * he);
  EXPECT_LE(a.layers()[1].w.cwiseAbs().maxCoeff(), xavier_out);  // output layer: Xavier
  EXPECT_TRUE(a.layers()[0].b.isZero());
  Mlp t(100, {50}, 10, Activation::kTanh, OutputKind::kSoftmax, Init::kAuto, 7);
  EXPECT_LE(t.layers()[0].w.cwiseAbs().maxCoeff(), std::sqrt(6.0f / 150));
  Mlp h(100, {50}, 10, Activation::kTanh, OutputKind::kSoftmax, Init::kHe, 7);
  EXPECT_GT(h.layers()[0].w.cwiseAbs().maxCoeff(), std::sqrt(6.0f / 150));
}

// Pinned bit for bit (recorded before the PRNG moved to base/random.h): a change here changes
// every run's initial weights.
TEST(Mlp, InitWeightsArePinned) {
  Mlp m(4, {3}, 2, Activation::kRelu, OutputKind::kSoftmax, Init::kAuto, 7);
  const float* w0 = m.layers()[0].w.data();
  const float* w1 = m.layers()[1].w.data();
  const float want0[] = {-0x1.145674p-2f, -0x1.2f01dep+0f, 0x1.f69c06p-1f, 0x1.205f78p+0f};
  EXPECT_EQ(w0[0], want0[0]);
  EXPECT_EQ(w0[1], want0[1]);
  EXPECT_EQ(w0[2], want0[2]);
  EXPECT_EQ(w0[11], want0[3]);
  const float want1[] = {0x1.d4e852p-1f, 0x1.a0894p-1f, -0x1.858db2p-2f};
  EXPECT_EQ(w1[0], want1[0]);
  EXPECT_EQ(w1[1], want1[1]);
  EXPECT_EQ(w1[5], want1[2]);
}

// Mean loss of the model on the block in ws (inputs x, targets in ws->y()).
double MeanLoss(const Mlp& m, Loss loss, const float* x, int n, Workspace* ws) {
  Forward(m, x, n, ws);
  return OutputLoss(m, loss, n, 0.0f, ws).loss_sum / n;
}

class GradientCheck
    : public ::testing::TestWithParam<std::tuple<Activation, Loss, std::vector<int>>> {};

// Analytic gradients against central differences. float32 limits the agreement, so the check
// is on the relative error of the whole gradient plus a loose per-coordinate bound.
TEST_P(GradientCheck, MatchesFiniteDifferences) {
  const auto& [act, loss, hidden] = GetParam();
  const int inputs = 6, n = 9, outputs = loss == Loss::kCrossEntropy ? 4 : 1;
  Mlp m(inputs, hidden, outputs, act,
        loss == Loss::kCrossEntropy ? OutputKind::kSoftmax : OutputKind::kLinear, Init::kAuto, 3);
  SplitMix64Rng rng(11);
  for (DenseLayer& l : m.mutable_layers()) {
    for (Eigen::Index i = 0; i < l.b.size(); ++i) l.b[i] = 0.2f * (UniformFloat(rng) - 0.5f);
  }
  Workspace ws(m, n);
  std::vector<float> x(inputs * n);
  for (float& v : x) v = 2.0f * UniformFloat(rng) - 1.0f;
  for (int j = 0; j < n; ++j) {
    ws.y()[j] = loss == Loss::kCrossEntropy ? static_cast<float>(UniformBelow(rng, outputs))
                                            : 2.0f * UniformFloat(rng) - 1.0f;
  }
  Forward(m, x.data(), n, &ws);
  OutputLoss(m, loss, n, 1.0f / n, &ws);
  Backward(m, x.data(), n, &ws);
  const ParameterLayout layout(m);
  std::vector<double> analytic(ws.grad(), ws.grad() + layout.size), numeric;
  const float h = 1e-2f;
  for (DenseLayer& l : m.mutable_layers()) {
    for (float* p : {l.w.data(), l.b.data()}) {
      const Eigen::Index size = p == l.w.data() ? l.w.size() : l.b.size();
      for (Eigen::Index i = 0; i < size; ++i) {
        const float saved = p[i];
        p[i] = saved + h;
        const double up = MeanLoss(m, loss, x.data(), n, &ws);
        p[i] = saved - h;
        const double down = MeanLoss(m, loss, x.data(), n, &ws);
        p[i] = saved;
        numeric.push_back((up - down) / (2 * h));
      }
    }
  }
  ASSERT_EQ(numeric.size(), analytic.size());
  double diff = 0, norm = 0;
  for (size_t i = 0; i < numeric.size(); ++i) {
    diff += (numeric[i] - analytic[i]) * (numeric[i] - analytic[i]);
    norm += numeric[i] * numeric[i] + analytic[i] * analytic[i];
    EXPECT_NEAR(analytic[i], numeric[i], 5e-3 + 2e-2 * std::abs(numeric[i])) << "parameter " << i;
  }
  EXPECT_GT(norm, 1e-6);
  EXPECT_LT(std::sqrt(diff / norm), 1e-2);
}

INSTANTIATE_TEST_SUITE_P(AllActivationsAndLosses, GradientCheck,
                         ::testing::Combine(::testing::Values(Activation::kRelu, Activation::kTanh,
                                                              Activation::kSigmoid),
                                            ::testing::Values(Loss::kCrossEntropy, Loss::kMse),
                                            ::testing::Values(std::vector<int>{},
                                                              std::vector<int>{5},
                                                              std::vector<int>{5, 4})));

TEST(Kernels, SoftmaxProbabilitiesSumToOneAndLossIsStable) {
  Mlp m(2, {}, 3, Activation::kRelu, OutputKind::kSoftmax, Init::kAuto, 1);
  m.mutable_layers()[0].w << 100, 0, 0, 100, -100, 0;  // huge logits must not overflow
  Workspace ws(m, 2);
  const float x[] = {10, 0, 0, 10};
  ws.y()[0] = 0;
  ws.y()[1] = 2;
  Forward(m, x, 2, &ws);
  BlockLoss bl = OutputLoss(m, Loss::kCrossEntropy, 2, 0.0f, &ws);
  EXPECT_TRUE(std::isfinite(bl.loss_sum));
  EXPECT_NEAR(bl.loss_sum, 1000.0, 1e-3);  // row 1: logits 0, 1000, 0 with label 2
  EXPECT_EQ(bl.correct, 1);
  EXPECT_NEAR(ws.A(0, 2).col(0).sum(), 1.0f, 1e-6f);
  EXPECT_NEAR(ws.A(0, 2).col(1).sum(), 1.0f, 1e-6f);
}

}  // namespace
TEST(Mlp, FlatParametersRoundTripInLayoutOrder) {
  Mlp a(3, {4}, 2, Activation::kRelu, OutputKind::kSoftmax, Init::kAuto, 7);
  std::vector<float> flat = a.FlatParameters();
  ASSERT_EQ(static_cast<int64_t>(flat.size()), a.ParameterCount());
  EXPECT_EQ(flat[0], a.layers()[0].w.data()[0]);
  EXPECT_EQ(flat[12], a.layers()[0].b[0]);  // after layer 0's 4x3 weights
  Mlp b(3, {4}, 2, Activation::kRelu, OutputKind::kSoftmax, Init::kAuto, 8);
  const float* before = b.layers()[0].w.data();
  b.SetFlatParameters(flat);
  EXPECT_EQ(b.layers()[0].w.data(), before);  // same storage: optimizers keep pointers into it
  EXPECT_EQ(b.FlatParameters(), flat);
}

}  // namespace sweep::model
