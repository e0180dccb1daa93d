#include "base/random.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <set>

namespace sweep {
namespace {

// Pinned: the reference splitmix64 outputs from state 0 (Vigna's splitmix64.c). Every stream in
// the project starts here, so a change changes all data, weights and random sweep rows.
TEST(Random, SplitMix64MatchesTheReference) {
  uint64_t state = 0;
  EXPECT_EQ(SplitMix64(state), 0xe220a8397b1dcdafull);
  EXPECT_EQ(SplitMix64(state), 0x6e789e6aa1b965f4ull);
  EXPECT_EQ(SplitMix64(state), 0x06c45d188009454full);
  EXPECT_EQ(state, 3 * 0x9e3779b97f4a7c15ull);
  EXPECT_EQ(SplitMix64Of(42), 0xbdd732262feb6e95ull);
  EXPECT_EQ(SplitMix64Of(0), 0xe220a8397b1dcdafull);
}

// The same values model/train_test.cc pinned on the model's PRNG before it moved here.
TEST(Random, SplitMix64RngWithUniformBelowAndUniformFloat) {
  SplitMix64Rng r(5);
  EXPECT_EQ(r.Next(), 0x63033b0ca389c35aull);
  EXPECT_EQ(UniformBelow(r, 1000), 752u);
  EXPECT_EQ(UniformFloat(r), 0x1.dc9698p-3f);
  EXPECT_EQ(SubSeed(42, 1), 0x3b3335584873a7b9ull);
  EXPECT_EQ(SubSeed(42, 3), 0x8f6ecc76132e5b97ull);
}

// The same values sweep/spec/spec_wandb_test.cc pinned on RowRng before it moved here.
TEST(Random, Xoshiro256RngMatchesTheRowRngReference) {
  Xoshiro256Rng a(0, 0);
  EXPECT_EQ(a.Next(), 0x8c4986f3f0e565d5ull);
  EXPECT_EQ(a.Next(), 0xf4547fdf5c2f56b6ull);
  EXPECT_EQ(a.Next(), 0x6a9e0d6a14f022fbull);
  Xoshiro256Rng b(42, 7);
  EXPECT_EQ(b.Next(), 0x0719e15cf3d4342full);
  EXPECT_EQ(b.Next(), 0x40efa5d3e1980cd0ull);
  Xoshiro256Rng c(0, 0);
  EXPECT_EQ(Normal(c), 1.2088710769284654);
}

TEST(Random, NormalPairsReturnBothBoxMullerBranches) {
  SplitMix64Rng a(9), b(9);
  double sine = 0;
  const double cosine = BoxMuller(a, &sine);
  NormalPairs normal;
  EXPECT_EQ(normal(b), cosine);
  EXPECT_EQ(normal(b), sine);
  EXPECT_EQ(b.Next(), a.Next());  // the second value drew nothing
  SplitMix64Rng c(9);
  EXPECT_EQ(Normal(c), cosine);  // Normal is the cosine branch of the same draws
}

TEST(Random, DistributionsStayInRange) {
  Xoshiro256Rng rng(3, 1);
  std::set<int64_t> ends;
  double irwin_sum = 0, irwin_sq = 0;
  for (int i = 0; i < 4000; ++i) {
    const int64_t k = UniformInt(rng, -2, 2);
    ASSERT_GE(k, -2);
    ASSERT_LE(k, 2);
    ends.insert(k);
    ASSERT_LT(UniformBelow(rng, 7), 7u);
    ASSERT_LT(ModuloBelow(rng, 7), 7u);
    const float f = UniformFloat(rng);
    ASSERT_TRUE(f >= 0.0f && f < 1.0f);
    const double u = UniformReal(rng, -1.0, 3.0);
    ASSERT_TRUE(u >= -1.0 && u < 3.0);
    const double l = LogUniform(rng, 1e-4, 1e-1);
    ASSERT_TRUE(l >= 1e-4 * (1 - 1e-12) && l <= 1e-1 * (1 + 1e-12)) << l;
    ASSERT_GT(LogNormal(rng, 0.0, 1.0), 0.0);
    const double z = IrwinHallNormal(rng);
    ASSERT_LE(std::fabs(z), 3.4642);
    irwin_sum += z;
    irwin_sq += z * z;
  }
  EXPECT_EQ(ends.size(), 5u);
  EXPECT_NEAR(irwin_sum / 4000, 0.0, 0.1);
  EXPECT_NEAR(irwin_sq / 4000, 1.0, 0.1);
  EXPECT_NE(UniformInt(rng, INT64_MIN, INT64_MAX), UniformInt(rng, INT64_MIN, INT64_MAX));
}

}  // namespace
}  // namespace sweep
