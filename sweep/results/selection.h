// Which rows `sweep run` starts, from the rows' states in storage and the selection flags.
//
//   default     every row that has not finished (missing, unfinished, failed, corrupt):
//               rerunning a sweep resumes it
//   --missing   rows without a usable result.json (missing, unfinished, corrupt)
//   --failed    rows whose result.json says failed
//               (--missing --failed together: the union)
//   --only L    restricts any of the above to the indices in L ("3,5-7")
//   --force     also reruns rows that succeeded or diverged (within --only when given)
// A diverged row is finished like a succeeded one: the same row diverges again, so only
// --force reruns it (after the spec changed it, say).
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
  std::vector<int> skipped;   // in scope but left alone (already finished, or filtered out)
  int succeeded_skipped = 0;  // of `skipped`, those that already succeeded
  int diverged_skipped = 0;   // of `skipped`, those that diverged
};

// `states[i]` is row i's state; states.size() is the row count.
Selection SelectRows(const std::vector<RowState>& states, const SelectFlags& flags);

// A row that failed with exit 2 (bad input: spec, data, arguments; base/exit_code.h) fails the
// same way whenever it reruns as it is: `--failed` is for the others (exit 1, 75, 143, ...).
bool IsBadInputExit(int exit_code);

// What to do about rows that failed on bad input (ascending, not empty), one line:
// "bad input (exit 2) in row 1: rerunning it as it is fails again; fix the spec (or its data),
// then run: <replan_command>\n".
std::string BadInputHint(const std::vector<int>& rows, const std::string& replan_command);

}  // namespace sweep
