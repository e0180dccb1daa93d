#include "sweep/results/selection.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "base/exit_code.h"
#include "base/strings.h"

namespace sweep {
namespace {

// A row number, spaces around it allowed ("3 - 5").
bool ParseRow(std::string_view s, int* out) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  std::optional<int64_t> v = ParseInt(s, 0, std::numeric_limits<int>::max());
  if (v) *out = static_cast<int>(*v);
  return v.has_value();
}

}  // namespace

StatusOr<std::vector<int>> ParseIndexList(std::string_view text, int count) {
  std::vector<int> out;
  std::string_view rest = text;
  if (rest.empty()) return Status::InvalidArgument("--only: empty index list");
  while (true) {
    size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    std::string label = "--only " + std::string(item);
    size_t dash = item.find('-');
    int lo = 0, hi = 0;
    bool ok = dash == std::string_view::npos
                  ? ParseRow(item, &lo) && (hi = lo, true)
                  : ParseRow(item.substr(0, dash), &lo) && ParseRow(item.substr(dash + 1), &hi);
    if (!ok) {
      return Status::InvalidArgument(label + ": expected an index or a range like 5-7");
    }
    if (lo > hi) return Status::InvalidArgument(label + ": range goes backwards");
    if (hi >= count) {
      return Status::InvalidArgument(label + ": the sweep has " + std::to_string(count) +
                                     " rows (indices 0-" + std::to_string(count - 1) + ")");
    }
    for (int i = lo; i <= hi; ++i) out.push_back(i);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Selection SelectRows(const std::vector<RowState>& states, const SelectFlags& flags) {
  Selection sel;
  std::vector<int> scope = flags.only;
  if (scope.empty()) {
    for (int i = 0; i < static_cast<int>(states.size()); ++i) scope.push_back(i);
  }
  const bool filtered = flags.missing || flags.failed;
  for (int i : scope) {
    if (i < 0 || i >= static_cast<int>(states.size())) continue;
    RowState s = states[i];
    bool take;
    if (filtered) {
      bool is_missing =
          s == RowState::kMissing || s == RowState::kUnfinished || s == RowState::kCorrupt;
      take = (flags.missing && is_missing) || (flags.failed && s == RowState::kFailed);
    } else {
      take = (s != RowState::kSucceeded && s != RowState::kDiverged) || flags.force;
    }
    if (take) {
      sel.run.push_back(i);
    } else {
      sel.skipped.push_back(i);
      if (s == RowState::kSucceeded) ++sel.succeeded_skipped;
      if (s == RowState::kDiverged) ++sel.diverged_skipped;
    }
  }
  return sel;
}

bool IsBadInputExit(int exit_code) { return exit_code == ToInt(ExitCode::kBadInput); }

std::string BadInputHint(const std::vector<int>& rows, const std::string& replan_command) {
  const bool one = rows.size() == 1;
  return std::string("bad input (exit 2) in ") + (one ? "row " : "rows ") +
         FormatIndexRanges(rows) + ": rerunning " + (one ? "it as it is" : "them as they are") +
         " fails again; fix the spec (or its data), then run: " + replan_command + "\n";
}

}  // namespace sweep
