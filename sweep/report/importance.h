// Parameter importance for `sweep report`: how much each varying hyperparameter explains of the
// ranking metric, by two simple, deterministic measures over the succeeded rows.
//
//   Spearman's rho   rank correlation of a numeric hyperparameter with the metric, in [-1, 1]
//                    (average ranks for ties): the sign says which way to move it; it is blind
//                    to a U-shaped effect and undefined for categorical values.
//   main-effect share  eta^2 = sum_g n_g (mean_g - mean)^2 / sum_i (y_i - mean)^2, in [0, 1]:
//                    the fraction of the metric's variance explained by the hyperparameter
//                    alone, rows grouped by its value (numeric values with more than
//                    kMaxGroups distinct values go into kMaxGroups equal-count bins). On a full
//                    grid this is the first-order term of a functional ANOVA (fANOVA, as
//                    Optuna shows it) computed exactly; the shares of all hyperparameters sum
//                    to at most 1, the rest being interactions and noise. On random samples it
//                    is the same estimate without a surrogate model.
// Nothing here allocates beyond its results or touches files; functions are pure.
#pragma once

#include <optional>
#include <vector>

namespace sweep::report {

inline constexpr int kMaxGroups = 10;

// Spearman's rank correlation of the pairs (x[i], y[i]). nullopt with fewer than 3 pairs or
// when either side is constant. Requires: x.size() == y.size().
std::optional<double> SpearmanRho(const std::vector<double>& x, const std::vector<double>& y);

// Group ids 0..k-1 for numeric values: one per distinct value (ascending) when there are at
// most `max_groups`, else `max_groups` bins of about equal count by rank (equal values always
// share a bin).
std::vector<int> NumericGroups(const std::vector<double>& x, int max_groups = kMaxGroups);

// eta^2 of y grouped by `groups` (any non-negative ids). nullopt with fewer than 3 rows or a
// constant y. Requires: groups.size() == y.size().
std::optional<double> MainEffectShare(const std::vector<int>& groups, const std::vector<double>& y);

}  // namespace sweep::report
