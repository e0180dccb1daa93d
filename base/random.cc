// The rounding distributions of base/random.h. This file is compiled with -ffp-contract=off
// (base/CMakeLists.txt) so that no a * b + c here becomes an FMA: their bits are the same
// whichever library calls them and with whichever -march.
#include "base/random.h"

#include <cmath>

namespace sweep {

template <class Rng>
double UniformReal(Rng& rng, double lo, double hi) {
  return lo + (hi - lo) * Uniform01(rng);
}

template <class Rng>
double LogUniform(Rng& rng, double lo, double hi) {
  return std::exp(UniformReal(rng, std::log(lo), std::log(hi)));
}

template <class Rng>
double Normal(Rng& rng) {
  const double u1 = 1.0 - Uniform01(rng);  // (0, 1]: log is finite
  const double u2 = Uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

template <class Rng>
double Normal(Rng& rng, double mu, double sigma) {
  return mu + sigma * Normal(rng);
}

template <class Rng>
double LogNormal(Rng& rng, double mu, double sigma) {
  return std::exp(Normal(rng, mu, sigma));
}

template <class Rng>
double BoxMuller(Rng& rng, double* sine) {
  const double u1 = 1.0 - Uniform01(rng);  // (0, 1]: log is finite
  const double u2 = Uniform01(rng);
  const double r = std::sqrt(-2.0 * std::log(u1));
  *sine = r * std::sin(2.0 * M_PI * u2);
  return r * std::cos(2.0 * M_PI * u2);
}

template <class Rng>
double IrwinHallNormal(Rng& rng) {
  const uint64_t a = rng.Next(), b = rng.Next();
  const double sum = static_cast<double>(a >> 32) + static_cast<double>(a & 0xFFFFFFFFu) +
                     static_cast<double>(b >> 32) + static_cast<double>(b & 0xFFFFFFFFu);
  return (sum * 0x1.0p-32 - 2.0) * 1.7320508075688772;
}

// The generators the header promises.
#define SWEEP_RANDOM_INSTANTIATE(Rng)                     \
  template double UniformReal<Rng>(Rng&, double, double); \
  template double LogUniform<Rng>(Rng&, double, double);  \
  template double Normal<Rng>(Rng&);                      \
  template double Normal<Rng>(Rng&, double, double);      \
  template double LogNormal<Rng>(Rng&, double, double);   \
  template double BoxMuller<Rng>(Rng&, double*);          \
  template double IrwinHallNormal<Rng>(Rng&);
SWEEP_RANDOM_INSTANTIATE(SplitMix64Rng)
SWEEP_RANDOM_INSTANTIATE(Xoshiro256Rng)
#undef SWEEP_RANDOM_INSTANTIATE

}  // namespace sweep
