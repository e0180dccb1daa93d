// A small, fast, portable random number generator (splitmix64, base/random.h). Unlike <random>
// distributions its output is fixed by these files alone, so a seed means the same weights and
// batches on every standard library. Not cryptographic.
#pragma once

#include <cstdint>

#include "base/random.h"

namespace sweep::model {

class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}

  uint64_t Next() { return SplitMix64(state_); }
  // Uniform in [0, n) (Lemire's multiply-shift; the bias is below 2^-40 for our sizes).
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }
  // Uniform in [0, 1) with 24 random bits.
  float Uniform() { return static_cast<float>(Next() >> 40) * (1.0f / 16777216.0f); }

 private:
  uint64_t state_;
};

// Derives independent seeds for the components of one run (init, shuffling, split).
inline uint64_t SubSeed(uint64_t seed, uint64_t component) {
  Random r(seed ^ (component * 0xd1b54a32d192ed03ull));
  r.Next();
  return r.Next();
}

}  // namespace sweep::model
