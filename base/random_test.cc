#include "base/random.h"

#include <gtest/gtest.h>

#include <cstdint>

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

}  // namespace
}  // namespace sweep
