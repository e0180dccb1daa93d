// What `sweep status` and `sweep collect` add for a sweep with early_terminate: one line per
// rung with its rows (the promoted ones), how many have their record there, and the best so far.
// Rows stopped at a band keep their checkpoint and have no result.json: the row counts above
// these lines show them as unfinished.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "storage/store.h"
#include "sweep/search/halving.h"

namespace sweep::search {

// "rung 1 of bracket 0: 9 rows to epoch 3 (promoted: 2-5,7), 9 recorded; best row 4
// val_accuracy=0.9413", or "rung 2 ...: not decided yet". Reads decisions, never creates one.
StatusOr<std::vector<std::string>> DescribeRungs(storage::Store& store, const HalvingPlan& plan);

// The lines for the sweep stored at `root`, headed "successive halving:"; none when it has no
// early_terminate (or no sweep.json). Errors: storage trouble.
StatusOr<std::vector<std::string>> RungStatusLines(const std::string& root);

}  // namespace sweep::search
