// Replanning: changing the spec of a storage that already holds results.
//
// The plan (plan.h) keeps one hash per row, so a changed spec is compared row by row, by index:
//   kept     the row at this index is the same: its result stays and counts
//   changed  the row at this index differs: its files move aside, it runs again
//   added    a new index past the old plan's count
//   removed  an old index past the new plan's count: its files move aside
// Rows are matched by index, not by content: a row inserted at the top of a list shifts every
// index below it, and those rows count as changed.
//
// Moving aside never deletes: {root}/history/{stamp}/ gets the old sweep.json and every
// {index}/... file of the changed and removed rows (storage/layout.h), every result.json before
// the other files (a row never keeps a result whose model has moved). The new sweep.json is
// written last, so a crash or storage fault in between leaves the old plan in place and a second
// replan moves what is left (into its own history folder).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "storage/store.h"
#include "sweep/spec/plan.h"

namespace sweep {

struct PlanDiff {
  std::vector<int> kept, changed, added, removed;  // indices, ascending
  bool same() const { return changed.empty() && added.empty() && removed.empty(); }
};

PlanDiff DiffPlans(const Plan& old_plan, const Plan& new_plan);

// "8 unchanged (kept), 1 changed (rerun: 3), 2 new (8,9), 0 removed".
std::string DescribeDiff(const PlanDiff& diff);

struct ReplanReport {
  bool replanned = false;   // an existing plan was replaced
  PlanDiff diff;            // empty when there was no plan, or the same rows
  std::string history_dir;  // where files were moved; "" when nothing moved
  int files_moved = 0;
};

// Writes `plan` as the storage's sweep.json. No plan yet, or the same rows: as WritePlanOnce.
// Other rows: without `allow_replan`, InvalidArgument listing the diff and the ways forward
// (--replan, another --storage); with it, the changed and removed rows' files and the old
// sweep.json move to a new history folder, then the new plan is written.
// Errors: also Unavailable/InvalidArgument from the store.
StatusOr<ReplanReport> ReplanStorage(storage::Store& store, const Plan& plan, bool allow_replan);

}  // namespace sweep
