// A successive-halving promotion as a file: {root}/rungs/{bracket}-{rung}.json (storage/layout.h),
// a pure function of the band records ({index}/bands/{epochs}.json) of the rung before it.
// Whoever needs it first (the runner, or the first child of the rung on an engine) computes it
// and creates it create-only (storage::Store::Create); a process that finds it already there
// after computing its own compares the bytes, so two writers can never disagree silently.
// Format version 1 (one line of JSON, keys sorted, numbers as the shortest text that reads back
// to the same double):
// {"bracket": 0, "epochs": 3, "eta": 3, "format_version": 1, "from_epochs": 1,
//  "goal": "maximize", "metric": "val_accuracy", "rung": 1, "strict": false,
//  "ranking": [{"row": 4, "value": 0.93}, ..., {"row": 7, "status": "failed", "value": null}],
//  "rows": [2, 4, 9]}
// "ranking" is every row of the rung before, best first: rows with a finite value by value,
// ties by row; then failed, diverged, missing and NaN rows by row ("status" says which, absent
// for a ranked value). "rows" are the promoted ones in ascending order: child i of the rung
// trains rows[i].
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "storage/store.h"
#include "sweep/search/halving.h"

namespace sweep::search {

inline constexpr int kRungDecisionFormatVersion = 1;

// A row of a rung as ranked: by its record there (band record, or result.json in the last rung).
struct Ranked {
  int row = 0;
  double value = 0;
  std::string status;  // "" = ranked by value; else failed, diverged, missing, nan
};

// The pure rule, apart from storage (bench/search_sim.cc replays it on a table):
// The value a band record ranks by: strict, `at_band` (the metric at the band); else the best
// finite value of `at_band` and `history` (the metric's values logged up to the band). NaN when
// none is finite.
double BandValue(double at_band, const std::vector<double>& history, bool strict, bool maximize);
// Sorts `ranking` as a promotion ranks rows: a finite value first, best first, ties by row; then
// the rows without a value (non-empty status) by row.
void SortRanking(std::vector<Ranked>* ranking, bool maximize);
// The rows a rung promotes from the sorted ranking of the rung before: the first `keep`
// (at most all), in ascending order.
std::vector<int> PromotedRows(const std::vector<Ranked>& ranking, int keep);

// `rows` of `rung` ranked as a promotion ranks them: best first, ties by row, then the rows
// without a value by row. Errors: Unavailable for storage trouble.
StatusOr<std::vector<Ranked>> RankRung(storage::Store& store, const HalvingPlan& plan,
                                       const HalvingRung& rung, const std::vector<int>& rows);

// The rows of rung `rung` of `bracket`: rung 0 from the plan; a later rung from its decision,
// read when it exists, else computed from the rung before (recursively) and created.
// Errors: Unavailable for storage trouble (retry); Corruption when a decision on disk does not
// parse, or when this process computed another decision than the one created meanwhile.
StatusOr<std::vector<int>> RungRows(storage::Store& store, const HalvingPlan& plan, int bracket,
                                    int rung);

// The decision text for rung `rung` >= 1 from the band records of `previous_rows` (the rows of
// rung - 1) as they are in `store` now.
StatusOr<std::string> ComputeDecision(storage::Store& store, const HalvingPlan& plan, int bracket,
                                      int rung, const std::vector<int>& previous_rows);

// The promoted rows of a decision text. Errors: Corruption.
StatusOr<std::vector<int>> DecisionRows(std::string_view text);

// `sweep plan --check`: every decision in storage recomputed from the files and compared byte
// for byte. One line per decision ("rungs/0-1.json: ok, 9 of 27 rows promoted") in `lines`;
// the mismatches also in `problems`.
struct DecisionCheck {
  std::vector<std::string> lines;
  std::vector<std::string> problems;
  int checked = 0;
};
StatusOr<DecisionCheck> CheckDecisions(storage::Store& store, const HalvingPlan& plan);

}  // namespace sweep::search
