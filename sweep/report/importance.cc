#include "sweep/report/importance.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "base/check.h"

namespace sweep::report {
namespace {

// Ranks 1..n with ties given their average rank.
std::vector<double> AverageRanks(const std::vector<double>& v) {
  std::vector<size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
  std::vector<double> ranks(v.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    const double rank = (static_cast<double>(i) + static_cast<double>(j)) / 2 + 1;
    for (size_t k = i; k <= j; ++k) ranks[order[k]] = rank;
    i = j + 1;
  }
  return ranks;
}

std::optional<double> Pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx <= 0 || syy <= 0) return std::nullopt;
  return sxy / std::sqrt(sxx * syy);
}

}  // namespace

std::optional<double> SpearmanRho(const std::vector<double>& x, const std::vector<double>& y) {
  SWEEP_CHECK(x.size() == y.size());
  if (x.size() < 3) return std::nullopt;
  return Pearson(AverageRanks(x), AverageRanks(y));
}

std::vector<int> NumericGroups(const std::vector<double>& x, int max_groups) {
  std::map<double, int> distinct;
  for (double v : x) distinct.emplace(v, 0);
  const bool bin = static_cast<int>(distinct.size()) > max_groups;
  // Binning by rank: a value's bin is where its first occurrence falls among the sorted rows,
  // so equal values share a bin and bins hold about n / max_groups rows each.
  std::vector<double> sorted = x;
  std::sort(sorted.begin(), sorted.end());
  int id = 0;
  for (auto& [value, group] : distinct) {
    if (!bin) {
      group = id++;
      continue;
    }
    const size_t first = std::lower_bound(sorted.begin(), sorted.end(), value) - sorted.begin();
    group = static_cast<int>(first * max_groups / sorted.size());
  }
  std::vector<int> out;
  out.reserve(x.size());
  for (double v : x) out.push_back(distinct[v]);
  return out;
}

std::optional<double> MainEffectShare(const std::vector<int>& groups,
                                      const std::vector<double>& y) {
  SWEEP_CHECK(groups.size() == y.size());
  if (y.size() < 3) return std::nullopt;
  const double mean = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(y.size());
  std::map<int, std::pair<double, int>> sums;  // group -> (sum, count)
  double total = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    total += (y[i] - mean) * (y[i] - mean);
    auto& [sum, count] = sums[groups[i]];
    sum += y[i];
    ++count;
  }
  if (total <= 0) return std::nullopt;
  double between = 0;
  for (const auto& [group, sc] : sums) {
    const double m = sc.first / sc.second;
    between += sc.second * (m - mean) * (m - mean);
  }
  return std::min(1.0, between / total);
}

}  // namespace sweep::report
