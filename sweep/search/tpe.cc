#include "sweep/search/tpe.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace sweep::search {
namespace {

using nlohmann::json;
using Kind = SearchParam::Kind;

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Parzen {
  std::vector<double> mu, sigma;
  double low = 0, high = 0;
};

// A value of the parameter in its search space; NaN when the row lacks it.
double ToSpace(const SearchParam& p, const json& row) {
  if (!row.contains(p.name) || !row[p.name].is_number()) return std::nan("");
  const double x = row[p.name].get<double>();
  return p.log ? std::log(x) : x;
}

void Range(const SearchParam& p, double* low, double* high) {
  *low = p.log ? std::log(p.min) : p.min;
  *high = p.log ? std::log(p.max) : p.max;
  if (p.kind == Kind::kInt) *low -= 0.5, *high += 0.5;
}

Parzen Fit(const SearchParam& p, const std::vector<double>& points) {
  Parzen e;
  Range(p, &e.low, &e.high);
  std::vector<double> mus;
  for (double x : points) {
    if (!std::isnan(x)) mus.push_back(std::clamp(x, e.low, e.high));
  }
  mus.push_back(0.5 * (e.low + e.high));  // the prior
  std::sort(mus.begin(), mus.end());
  const double range = e.high - e.low;
  const double min_sigma = range / std::min(100.0, 1.0 + static_cast<double>(mus.size()));
  for (size_t i = 0; i < mus.size(); ++i) {
    const double left = mus[i] - (i == 0 ? e.low : mus[i - 1]);
    const double right = (i + 1 == mus.size() ? e.high : mus[i + 1]) - mus[i];
    e.sigma.push_back(std::clamp(std::max(left, right), min_sigma, range));
  }
  e.mu = std::move(mus);
  // The prior's width is the whole range (Optuna's prior_weight 1 component).
  return e;
}

double NormalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// log of the mixture density at x (equal weights, each normal truncated to [low, high]).
double LogDensity(const Parzen& e, double x) {
  double total = 0;
  for (size_t i = 0; i < e.mu.size(); ++i) {
    const double s = e.sigma[i];
    const double z = (x - e.mu[i]) / s;
    const double mass = NormalCdf((e.high - e.mu[i]) / s) - NormalCdf((e.low - e.mu[i]) / s);
    total += std::exp(-0.5 * z * z) / (s * std::sqrt(2 * M_PI) * std::max(mass, 1e-12));
  }
  return std::log(total / static_cast<double>(e.mu.size()));
}

double Sample(const Parzen& e, Xoshiro256Rng& rng) {
  const size_t i = UniformBelow(rng, e.mu.size());
  for (int tries = 0; tries < 100; ++tries) {
    const double x = e.mu[i] + e.sigma[i] * Normal(rng);
    if (x >= e.low && x <= e.high) return x;
  }
  return std::clamp(e.mu[i], e.low, e.high);
}

json FromSpace(const SearchParam& p, double x) {
  if (p.kind == Kind::kInt) {
    return static_cast<int64_t>(std::clamp(std::nearbyint(x), p.min, p.max));
  }
  double v = std::clamp(p.log ? std::exp(x) : x, p.min, p.max);
  if (p.q > 0) {
    const double steps = std::nearbyint(v / p.q);
    if (p.int_q && std::fabs(steps * p.q) < 0x1p53) {
      return static_cast<int64_t>(steps) * static_cast<int64_t>(p.q);
    }
    v = steps * p.q;
  }
  return v;
}

json ProposeNumeric(const SearchParam& p, const std::vector<const json*>& good,
                    const std::vector<const json*>& bad, Xoshiro256Rng& rng) {
  std::vector<double> g, b;
  for (const json* r : good) g.push_back(ToSpace(p, *r));
  for (const json* r : bad) b.push_back(ToSpace(p, *r));
  const Parzen l = Fit(p, g), gx = Fit(p, b);
  double best = 0, best_score = -kInf;
  for (int c = 0; c < kTpeCandidates; ++c) {
    const double x = Sample(l, rng);
    const double score = LogDensity(l, x) - LogDensity(gx, x);
    if (c == 0 || score > best_score) best = x, best_score = score;
  }
  return FromSpace(p, best);
}

std::vector<uint64_t> Counts(const SearchParam& p, const std::vector<const json*>& rows) {
  std::vector<uint64_t> counts(p.values.size(), 1);  // the prior
  for (const json* r : rows) {
    if (!r->contains(p.name)) continue;
    for (size_t j = 0; j < p.values.size(); ++j) {
      if ((*r)[p.name] == p.values[j]) {
        ++counts[j];
        break;
      }
    }
  }
  return counts;
}

json ProposeCategorical(const SearchParam& p, const std::vector<const json*>& good,
                        const std::vector<const json*>& bad, Xoshiro256Rng& rng) {
  const std::vector<uint64_t> l = Counts(p, good), g = Counts(p, bad);
  const uint64_t l_total = std::accumulate(l.begin(), l.end(), uint64_t{0});
  const uint64_t g_total = std::accumulate(g.begin(), g.end(), uint64_t{0});
  size_t best = 0;
  double best_score = -kInf;
  for (int c = 0; c < kTpeCandidates; ++c) {
    uint64_t u = UniformBelow(rng, l_total);
    size_t j = 0;
    while (u >= l[j]) u -= l[j], ++j;
    const double score = std::log(static_cast<double>(l[j]) / static_cast<double>(l_total)) -
                         std::log(static_cast<double>(g[j]) / static_cast<double>(g_total));
    if (c == 0 || score > best_score) best = j, best_score = score;
  }
  return p.values[best];
}

}  // namespace

json ProposeTpe(const BayesSearch& space, const std::vector<Observation>& observations,
                Xoshiro256Rng& rng) {
  std::vector<size_t> order(observations.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return observations[a].loss < observations[b].loss; });
  const size_t n = observations.size();
  const size_t n_good = std::max<size_t>(1, std::min<size_t>((n + 9) / 10, 25));
  std::vector<const json*> good, bad;
  for (size_t i = 0; i < n; ++i) {
    (i < n_good ? good : bad).push_back(&observations[order[i]].row);
  }
  json row = space.base;
  for (const SearchParam& p : space.params) {
    if (p.kind == Kind::kCategorical && p.values.size() == 1) {
      row[p.name] = p.values[0];
    } else if (p.kind == Kind::kCategorical) {
      row[p.name] = ProposeCategorical(p, good, bad, rng);
    } else {
      row[p.name] = ProposeNumeric(p, good, bad, rng);
    }
  }
  return row;
}

}  // namespace sweep::search
