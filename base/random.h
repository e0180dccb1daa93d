// The one PRNG family of the project: two generators and the named distributions every stream
// draws from: model weights, epoch shuffles and the validation split (SplitMix64Rng), the
// synthetic data sets (SplitMix64Rng) and the W&B random search rows (Xoshiro256Rng, one stream
// per row). Fixed by these files alone, never by <random>, so a seed means the same numbers on
// every platform and standard library. Not cryptographic.
//
// A distribution is a free function template taking the generator first (`Normal(rng)`). The
// integer and exact ones are inline here. The ones that round (UniformReal, LogUniform, the
// normals) are defined once in random.cc, compiled with -ffp-contract=off and without the
// model's -march, for the two generators only: a caller's flags (FMA) cannot change their bits.
// exp/log/sin/cos come from libm, so bit-identity assumes the same libm (one container image).
#pragma once

#include <cstdint>

namespace sweep {

// splitmix64 (Steele, Lea, Flood 2014): advances `state` by the golden-ratio increment and
// returns the mixed output. The mixing step behind every stream.
inline uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// The output of one step from `z`, leaving the caller's value alone (a hash of z).
inline uint64_t SplitMix64Of(uint64_t z) { return SplitMix64(z); }

// splitmix64 as a generator: the state is the seed, each Next() is one step.
class SplitMix64Rng {
 public:
  explicit SplitMix64Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() { return SplitMix64(state_); }
  // The whole state: SplitMix64Rng(state()) continues the same sequence (checkpoints).
  uint64_t state() const { return state_; }

 private:
  uint64_t state_;
};

// xoshiro256** (Blackman, Vigna 2018). Stream `stream` of `seed`: the four state words are
// SplitMix64Of(x), SplitMix64Of(x + g), ... for x = SplitMix64Of(SplitMix64Of(seed) ^ stream)
// and g the golden-ratio increment, so each (seed, stream) pair is an independent sequence.
class Xoshiro256Rng {
 public:
  Xoshiro256Rng(uint64_t seed, uint64_t stream) {
    uint64_t x = SplitMix64Of(SplitMix64Of(seed) ^ stream);
    for (uint64_t& s : s_) {
      s = SplitMix64Of(x);
      x += 0x9e3779b97f4a7c15ull;
    }
  }
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// Derives independent seeds for the components of one run (model: 1 init, 2 shuffling,
// 3 validation split): the second output of splitmix64 from seed ^ (component * a constant).
inline uint64_t SubSeed(uint64_t seed, uint64_t component) {
  SplitMix64Rng r(seed ^ (component * 0xd1b54a32d192ed03ull));
  r.Next();
  return r.Next();
}

// ---- Integer and exact distributions (inline) ----

// Uniform in [0, n), n >= 1: Lemire's multiply-shift, one draw (the bias is below 2^-40 for
// n < 2^24). Weight-init order, epoch shuffles and the validation split.
template <class Rng>
uint64_t UniformBelow(Rng& rng, uint64_t n) {
  return static_cast<uint64_t>((static_cast<unsigned __int128>(rng.Next()) * n) >> 64);
}

// Next() % n, n >= 1: one draw, slightly biased for large n. The synthetic data sets' streams.
template <class Rng>
uint64_t ModuloBelow(Rng& rng, uint64_t n) {
  return rng.Next() % n;
}

// Uniform in [lo, hi], lo <= hi, unbiased: draws are rejected below (2^64 - range) % range.
template <class Rng>
int64_t UniformInt(Rng& rng, int64_t lo, int64_t hi) {
  const uint64_t range = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) + 1;
  if (range == 0) return static_cast<int64_t>(rng.Next());  // the whole int64 range
  const uint64_t threshold = (0 - range) % range;
  uint64_t r;
  do r = rng.Next();
  while (r < threshold);
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + r % range);
}

// Uniform in [0, 1) with 24 random bits (exact: a 24-bit integer times 2^-24).
template <class Rng>
float UniformFloat(Rng& rng) {
  return static_cast<float>(rng.Next() >> 40) * (1.0f / 16777216.0f);
}

// Uniform in [0, 1) with 53 random bits (exact: a 53-bit integer times 2^-53).
template <class Rng>
double Uniform01(Rng& rng) {
  return static_cast<double>(rng.Next() >> 11) * 0x1.0p-53;
}

// ---- Rounding distributions (random.cc, for SplitMix64Rng and Xoshiro256Rng) ----

// lo + (hi - lo) * Uniform01: in [lo, hi) up to rounding. One draw.
template <class Rng>
double UniformReal(Rng& rng, double lo, double hi);
// exp(UniformReal(log lo, log hi)), 0 < lo <= hi: log-uniform between the values. One draw.
template <class Rng>
double LogUniform(Rng& rng, double lo, double hi);
// Standard normal by Box-Muller, cosine branch only: u1 = 1 - Uniform01 (so log is finite),
// u2 = Uniform01, sqrt(-2 log u1) * cos(2 pi u2). Two draws.
template <class Rng>
double Normal(Rng& rng);
// mu + sigma * Normal(rng).
template <class Rng>
double Normal(Rng& rng, double mu, double sigma);
// exp(Normal(rng, mu, sigma)).
template <class Rng>
double LogNormal(Rng& rng, double mu, double sigma);
// Box-Muller with both branches: the draws and r are Normal's, returns r * cos(2 pi u2) and
// stores r * sin(2 pi u2) in *sine. Two draws. See NormalPairs.
template <class Rng>
double BoxMuller(Rng& rng, double* sine);
// Irwin-Hall approximation of N(0, 1): the four 32-bit halves of two draws summed, scaled to
// variance 1 (support +-3.46). Several times cheaper than Normal and free of libm.
template <class Rng>
double IrwinHallNormal(Rng& rng);

// Standard normals two at a time: every other call draws (BoxMuller), the next returns the
// stored sine branch. One object per stream (it holds the spare value).
class NormalPairs {
 public:
  template <class Rng>
  double operator()(Rng& rng) {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    has_spare_ = true;
    return BoxMuller(rng, &spare_);
  }

 private:
  bool has_spare_ = false;
  double spare_ = 0;
};

}  // namespace sweep
