// What `sweep status` and `sweep collect` add for an adaptive sweep: with early_terminate, one
// line per rung with its rows (the promoted ones), how many have their record there, and the
// best so far; with method: bayes, one line per wave (proposed or not yet, finished rows, best).
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

// "wave 1: rows 8-15 (proposed), 8 finished; best row 12 val_accuracy=0.91", or "(not
// proposed yet)". Requires spec.bayes. Reads wave files, never creates one.
StatusOr<std::vector<std::string>> DescribeWaves(storage::Store& store, const Spec& spec);

// The lines for the sweep stored at `root`, headed "successive halving ..." or "bayes (TPE)
// ..."; none for other sweeps (or without sweep.json). Errors: storage trouble.
StatusOr<std::vector<std::string>> RungStatusLines(const std::string& root);

}  // namespace sweep::search
