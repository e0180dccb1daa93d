// splitmix64 (Steele, Lea, Flood 2014), the one mixing step behind every stream in the project:
// model::Random (weights, batches), the synthetic data sets and the W&B random search
// (internal::RowRng seeds xoshiro256** with it). Fixed by this file alone, so a seed means the
// same numbers on every platform and standard library. Not cryptographic.
#pragma once

#include <cstdint>

namespace sweep {

// Advances `state` by the golden-ratio increment and returns the mixed output.
inline uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// The output of one step from `z`, leaving the caller's value alone (a hash of z).
inline uint64_t SplitMix64Of(uint64_t z) { return SplitMix64(z); }

}  // namespace sweep
