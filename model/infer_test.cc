#include "model/infer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "base/random.h"
#include "model/train.h"

namespace sweep::model {
namespace {

Dataset Noise(int64_t rows, int cols) {
  Dataset d = ZeroDataset(rows, cols, 0);
  Xoshiro256Rng rng(7, 0);
  for (float& v : d.x) v = static_cast<float>(Uniform01(rng)) - 0.5f;
  return d;
}

TEST(Inferer, EqualsPredictBitForBitAcrossBlocks) {
  const Mlp m(12, {9, 5}, 4, Activation::kTanh, OutputKind::kSoftmax, Init::kAuto, 3);
  const Dataset data = Noise(600, 12);  // more than two 256-sample blocks
  const Matrix want = Predict(m, data, 2);
  Inferer inf(m);
  std::vector<float> got(600 * 4);
  inf.Run(data.x.data(), 600, got.data());
  for (int i = 0; i < 600; ++i) {
    for (int j = 0; j < 4; ++j) ASSERT_EQ(got[i * 4 + j], want(j, i)) << i << "," << j;
  }
  // A single sample, the scratch reused: Eigen takes its matrix-vector path for one column,
  // so it equals Predict of that one row exactly and the batched answer to rounding.
  Dataset row = ZeroDataset(1, 12, 0);
  std::copy_n(data.x.begin() + 5 * 12, 12, row.x.begin());
  const Matrix want_one = Predict(m, row, 1);
  std::vector<float> one(4);
  inf.Run(row.x.data(), 1, one.data());
  for (int j = 0; j < 4; ++j) {
    EXPECT_EQ(one[j], want_one(j, 0));
    EXPECT_NEAR(one[j], want(j, 5), 1e-6);
  }
}

TEST(Inferer, LinearOutputIsNotSoftmaxed) {
  const Mlp m(3, {}, 1, Activation::kRelu, OutputKind::kLinear, Init::kAuto, 1);
  const float x[3] = {1, 2, 3};
  float y = 0;
  Inferer(m).Run(x, 1, &y);
  const auto& l = m.layers()[0];
  EXPECT_FLOAT_EQ(y, l.w(0, 0) * 1 + l.w(0, 1) * 2 + l.w(0, 2) * 3 + l.b(0));
}

}  // namespace
}  // namespace sweep::model
