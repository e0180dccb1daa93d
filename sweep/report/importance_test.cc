#include "sweep/report/importance.h"

#include <gtest/gtest.h>

namespace sweep::report {
namespace {

TEST(SpearmanRho, MonotoneIsOneWhateverTheShape) {
  EXPECT_DOUBLE_EQ(*SpearmanRho({1, 2, 3, 4}, {1, 8, 27, 64}), 1.0);
  EXPECT_DOUBLE_EQ(*SpearmanRho({1, 2, 3, 4}, {0.9, 0.5, 0.2, 0.1}), -1.0);
}

TEST(SpearmanRho, TiesGetAverageRanks) {
  // x ranks 1.5 1.5 3 4, y ranks 1 2 3 4: Pearson of those.
  const double rho = *SpearmanRho({1, 1, 2, 3}, {1, 2, 3, 4});
  EXPECT_NEAR(rho, 0.9486833, 1e-6);
}

TEST(SpearmanRho, UndefinedForConstantOrTooFew) {
  EXPECT_FALSE(SpearmanRho({1, 1, 1}, {1, 2, 3}).has_value());
  EXPECT_FALSE(SpearmanRho({1, 2, 3}, {5, 5, 5}).has_value());
  EXPECT_FALSE(SpearmanRho({1, 2}, {1, 2}).has_value());
}

TEST(NumericGroups, DistinctValuesUpToTheLimitElseEqualCountBins) {
  EXPECT_EQ(NumericGroups({0.1, 0.01, 0.1, 0.001}), (std::vector<int>{2, 1, 2, 0}));
  std::vector<double> x;
  for (int i = 0; i < 100; ++i) x.push_back(i);
  std::vector<int> g = NumericGroups(x, 10);
  EXPECT_EQ(g[0], 0);
  EXPECT_EQ(g[9], 0);
  EXPECT_EQ(g[10], 1);
  EXPECT_EQ(g[99], 9);
  // Equal values share a bin even when binning.
  std::vector<double> y = {5, 5, 5, 5, 1, 2, 3, 4, 6, 7, 8, 9};
  std::vector<int> gy = NumericGroups(y, 3);
  EXPECT_EQ(gy[0], gy[3]);
}

TEST(MainEffectShare, OneWhenTheGroupsExplainEverythingZeroWhenNothing) {
  EXPECT_DOUBLE_EQ(*MainEffectShare({0, 0, 1, 1}, {1, 1, 3, 3}), 1.0);
  EXPECT_DOUBLE_EQ(*MainEffectShare({0, 1, 0, 1}, {1, 1, 3, 3}), 0.0);
}

TEST(MainEffectShare, AdditiveGridSplitsTheVarianceBetweenFactors) {
  // y = 2a + b on a full 2x2 grid: a explains 4/5, b 1/5, no interaction.
  std::vector<int> a = {0, 0, 1, 1}, b = {0, 1, 0, 1};
  std::vector<double> y = {0, 1, 2, 3};
  EXPECT_NEAR(*MainEffectShare(a, y), 0.8, 1e-12);
  EXPECT_NEAR(*MainEffectShare(b, y), 0.2, 1e-12);
}

TEST(MainEffectShare, UndefinedForConstantMetric) {
  EXPECT_FALSE(MainEffectShare({0, 1, 2}, {4, 4, 4}).has_value());
}

}  // namespace
}  // namespace sweep::report
