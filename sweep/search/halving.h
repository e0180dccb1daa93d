// Successive halving and Hyperband over a grid or random spec with `early_terminate` (W&B's
// hyperband keys, sweep/spec/early_terminate.h): the plan of rungs, known before anything runs.
//
// Bands: min_iter * eta^k (or floor(max_iter / eta^k), k = s..1), those below the rows' epochs,
// ascending; levels are the bands followed by `epochs` itself. A bracket starting at level L
// has rungs L..last: rung 0 trains all its rows to level L's epochs, rung i+1 the top
// max(1, floor(n_i / eta)) of rung i (sweep/search/rung_decision.h) to the next level's, going
// on from their checkpoints; the last rung trains to `epochs` and publishes result.json.
// One bracket (the default) is W&B's successive halving. With `brackets: B` (Hyperband, Li et
// al.), bracket b starts at level b, and the rows are split in contiguous blocks in proportion
// to Hyperband's n = eta^h / (h + 1) for h = halvings in the bracket (the rest to bracket 0).
// Every row must have the same `epochs` and no early_stopping_patience (two ways of stopping).
// The ranking metric is the spec's `metric`, else val_ (with a validation split) or train_
// accuracy (classification) / loss (regression), the loss minimised.
// All functions here are pure, except StoredSpec and StoredHalvingPlan (they read sweep.json).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "storage/store.h"
#include "sweep/spec/early_terminate.h"
#include "sweep/spec/spec.h"

namespace sweep::search {

struct HalvingRung {
  int bracket = 0;
  int rung = 0;    // 0 = the bracket's first
  int epochs = 0;  // each of its rows is trained to this epoch by the rung's end
  int size = 0;    // rows in it
  bool last = false;
};

struct HalvingBracket {
  int first_row = 0;  // rows first_row .. first_row + rows - 1 of the spec
  int rows = 0;
  std::vector<HalvingRung> rungs;
};

struct HalvingPlan {
  EarlyTerminate early_terminate;
  int epochs = 0;  // every row's
  std::string metric;
  bool maximize = true;
  std::vector<HalvingBracket> brackets;

  // Epochs trained when every rung is full: each rung's rows times its extra epochs.
  int64_t TotalEpochs() const;
  // The most rungs of a bracket (bracket 0's).
  int MaxRungs() const { return static_cast<int>(brackets[0].rungs.size()); }
};

// Ascending bands below `epochs`.
std::vector<int> Bands(const EarlyTerminate& et, int epochs);

// The metric adaptive search ranks rows by: the spec's `metric`, else val_ (with a validation
// split) or train_ accuracy (classification) / loss (regression, minimised), from row 0's config.
Status RankMetric(const Spec& spec, std::string* name, bool* maximize);

// Requires spec.early_terminate. Errors: InvalidArgument naming the problem (rows with other
// epochs, early_stopping_patience, more brackets than levels or rows, an invalid row).
StatusOr<HalvingPlan> MakeHalvingPlan(const Spec& spec);

// The spec of the sweep stored under `store` (sweep.json: its text and --set overrides).
// Errors: NotFound when there is no sweep.json; what ReadPlan and ParseSpec return.
StatusOr<Spec> StoredSpec(storage::Store& store);

// The plan of the sweep stored under `store` (sweep.json: its spec text and --set overrides).
// Errors: NotFound when there is no sweep.json; InvalidArgument when its spec has no
// early_terminate; what ReadPlan and MakeHalvingPlan return.
StatusOr<HalvingPlan> StoredHalvingPlan(storage::Store& store);

// "27 rows: rung 0 27 rows to epoch 1, rung 1 9 rows to epoch 3, rung 2 3 rows to epoch 9
// (at most 63 epochs; straight through: 243)" per bracket, one line each.
std::vector<std::string> DescribeHalvingPlan(const HalvingPlan& plan);

}  // namespace sweep::search
