// Search algorithms replayed against the replay table (bench/replay_table.h), with the project's
// own decision code: rows drawn by ParseSpec from a `method: random` / `method: bayes` spec
// built from the grid spec (bench/search_space.yml) and a seed; the rung plan from
// MakeHalvingPlan; promotions by BandValue, SortRanking and PromotedRows
// (sweep/search/rung_decision.h); TPE waves by ProposeWave (sweep/search/tpe_waves.h: random
// share, startup rows, constant liar). Training a row to an epoch = reading the table there.
//
// The chosen row of a search is what `sweep collect` would call the best: among the rows trained
// to the full epochs (result.json), the highest final val_accuracy (the ranking metric), ties by
// row index. Its final test accuracy is the search's outcome; regret = the table's best final
// test accuracy - that.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "bench/replay_table.h"
#include "sweep/spec/spec.h"

namespace sweep::bench {

struct Outcome {
  int64_t epochs = 0;  // epochs trained in all (diverged rows: up to their diverging epoch)
  double test = 0;     // the chosen row's final test accuracy (0 when no row finished)
  // Random search and TPE waves: after each row in row order, the chosen row's test accuracy
  // among the rows so far (0 while none finished).
  std::vector<double> test_after_row;
};

// The grid spec's text made into another method: "method: grid" replaced by `method` with
// run_cap, seed and the extra top-level YAML `extra` (e.g. an early_terminate mapping).
std::string DeriveSpecText(const std::string& grid_text, const std::string& method, int run_cap,
                           uint64_t seed, const std::string& extra);

// Errors: what ParseSpec, MakeHalvingPlan and ReplayTable::Find return.
StatusOr<Outcome> ReplayRandom(const ReplayTable& table, const std::string& grid_text, int rows,
                               uint64_t seed);
// Successive halving (brackets 1) or Hyperband (brackets > 1) with min_iter 1, eta 3 over
// `rows` random rows.
StatusOr<Outcome> ReplayHalving(const ReplayTable& table, const std::string& grid_text, int rows,
                                int brackets, uint64_t seed);
// `method: bayes` with waves of `wave_size`, `rows` rows in all, each trained to the end.
StatusOr<Outcome> ReplayTpeWaves(const ReplayTable& table, const std::string& grid_text, int rows,
                                 int wave_size, uint64_t seed);

// The epochs a halving spec of `rows` random rows trains when every rung is full (its plan's
// TotalEpochs).
StatusOr<int64_t> HalvingPlanEpochs(const std::string& grid_text, int rows, int brackets);

}  // namespace sweep::bench
