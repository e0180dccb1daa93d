// Forwarding header: the model's PRNG is base/random.h's SplitMix64Rng with its UniformBelow and
// UniformFloat. Kept only for bench/, which still says model::Random; new code includes
// base/random.h and calls the named distributions.
#pragma once

#include <cstdint>

#include "base/random.h"

namespace sweep::model {

class Random : public SplitMix64Rng {
 public:
  using SplitMix64Rng::SplitMix64Rng;
  uint64_t Below(uint64_t n) { return UniformBelow(*this, n); }  // [0, n)
  float Uniform() { return UniformFloat(*this); }                // [0, 1), 24 bits
};

using sweep::SubSeed;

}  // namespace sweep::model
