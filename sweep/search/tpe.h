// One TPE proposal (Bergstra et al. 2011), univariate as Optuna's TPESampler by default: the
// observations split at gamma(n) = min(ceil(0.1 n), 25) best (at least 1); per parameter, in
// file order, a Parzen estimator l(x) over the good ones and g(x) over the rest (each with a
// prior component), 24 candidates drawn from l, the one with the largest log l - log g kept
// (ties: the first drawn). Numeric parameters are searched in their transformed space (log for
// log ranges, +-0.5 around integer ends) with truncated normals whose widths are the larger gap
// to a neighbour, clipped to [range / min(100, 1 + n), range]; categorical ones by counts plus
// one. Deterministic: every draw from `rng`, fixed summation order, built with
// -ffp-contract=off (exp, log and erfc from libm: the same libm gives the same bits).
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "base/random.h"
#include "sweep/spec/search_space.h"

namespace sweep::search {

inline constexpr int kTpeCandidates = 24;

struct Observation {
  nlohmann::json row;  // the row's parameter values (other keys are ignored)
  double loss = 0;     // lower is better; +infinity for failed, pending (the constant liar) rows
};

// The row `space.base` with every parameter proposed. Requires observations non-empty.
nlohmann::json ProposeTpe(const BayesSearch& space, const std::vector<Observation>& observations,
                          Xoshiro256Rng& rng);

}  // namespace sweep::search
