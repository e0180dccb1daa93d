// Which rows `sweep run` starts, from the rows' states in storage and the selection flags.
//
//   default     every row that has not succeeded (missing, unfinished, failed, corrupt):
//               rerunning a sweep resumes it
//   --missing   rows without a usable result.json (missing, unfinished, corrupt)
//   --failed    rows whose result.json says failed
//               (--missing --failed together: the union)
//   --only L    restricts any of the above to the indices in L ("3,5-7")
//   --force     also reruns rows that succeeded (within --only when given)
#pragma once

#include <string_view>
#include <vector>

#include "base/status.h"
#include "sweep/results/scan.h"

namespace sweep {

// Parses "3,5-7" into sorted unique indices, each checked against 0 <= i < count.
// Errors: InvalidArgument naming the bad element ("--only 12: row count is 10").
StatusOr<std::vector<int>> ParseIndexList(std::string_view text, int count);

struct SelectFlags {
  std::vector<int> only;  // empty = all rows
  bool missing = false;
  bool failed = false;
  bool force = false;
};

struct Selection {
  std::vector<int> run;       // indices to start, ascending
  std::vector<int> skipped;   // in scope but left alone (already succeeded, or filtered out)
  int succeeded_skipped = 0;  // of `skipped`, those that already succeeded
};

// `states[i]` is row i's state; states.size() is the row count.
Selection SelectRows(const std::vector<RowState>& states, const SelectFlags& flags);

}  // namespace sweep
