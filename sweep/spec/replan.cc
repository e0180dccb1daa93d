#include "sweep/spec/replan.h"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <set>

#include "base/strings.h"
#include "storage/layout.h"

namespace sweep {
namespace {

std::string Describe(const Plan& plan) {
  std::string out = "'" + plan.source + "' (" + std::to_string(plan.count()) + " rows";
  if (!plan.overrides.empty()) {
    out += ", --set";
    for (const auto& s : plan.overrides) out += " " + s;
  }
  return out + ")";
}

std::string Counted(const std::vector<int>& indices, const char* what, bool list) {
  std::string out = std::to_string(indices.size()) + " " + what;
  if (list && !indices.empty()) out += ": " + FormatIndexRanges(indices);
  return out;
}

// The index a key lies under ("3/model/model.h5" -> 3), or -1.
int IndexOfKey(const std::string& key) {
  const size_t slash = key.find('/');
  if (slash == std::string::npos) return -1;
  std::optional<int64_t> index = ParseInt(std::string_view(key).substr(0, slash), 0, 1 << 30);
  return index && std::to_string(*index) == key.substr(0, slash) ? static_cast<int>(*index) : -1;
}

// A history folder name no earlier replan used: the UTC time, plus -2, -3... within a second.
StatusOr<std::string> NewHistoryStamp(storage::Store& store) {
  const std::string base = FormatUtc(std::time(nullptr), "%Y%m%dT%H%M%SZ");
  SWEEP_ASSIGN_OR_RETURN(std::vector<std::string> used,
                         store.List(storage::HistoryPrefix() + base));
  for (int n = 1;; ++n) {
    const std::string stamp = n == 1 ? base : base + "-" + std::to_string(n);
    const std::string prefix = storage::HistoryPrefix(stamp);
    if (std::none_of(used.begin(), used.end(),
                     [&](const std::string& k) { return k.rfind(prefix, 0) == 0; })) {
      return stamp;
    }
  }
}

// Folders emptied by the moves would read as rows that never started; remove them (local only).
void RemoveEmptyFolders(storage::Store& store, const std::set<int>& indices) {
  namespace fs = std::filesystem;
  for (int index : indices) {
    const std::string dir = store.LocalPath(std::to_string(index));
    if (dir.empty()) return;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec)) return;  // something stayed (a temp file): keep the folder
    }
    fs::remove_all(dir, ec);
  }
}

// Moves the old plan and every file of `indices` into history/{stamp}/.
Status MoveAside(storage::Store& store, const std::set<int>& indices, ReplanReport* report) {
  SWEEP_ASSIGN_OR_RETURN(std::string stamp, NewHistoryStamp(store));
  const std::string history = storage::HistoryDir("", stamp);
  SWEEP_ASSIGN_OR_RETURN(std::string old_plan, store.Get(storage::PlanPath("")));
  SWEEP_RETURN_IF_ERROR(store.Put(storage::PlanPath(history), old_plan));
  report->history_dir = storage::HistoryDir(store.root(), stamp);
  SWEEP_ASSIGN_OR_RETURN(std::vector<std::string> keys, store.List(""));
  // Every result.json first: a failure part way leaves rows without a result (they read as
  // unfinished and run again), never a result whose model.h5 has already moved away.
  std::stable_partition(keys.begin(), keys.end(), [](const std::string& key) {
    return key == storage::ResultPath("", IndexOfKey(key));
  });
  for (const std::string& key : keys) {
    if (indices.count(IndexOfKey(key)) == 0) continue;
    SWEEP_RETURN_IF_ERROR(store.Move(key, storage::JoinPath(history, key)));
    ++report->files_moved;
  }
  RemoveEmptyFolders(store, indices);
  return Status::Ok();
}

Status Refusal(const storage::Store& store, const Plan& old_plan, const Plan& plan,
               const PlanDiff& diff) {
  std::string what = diff.kept.empty() ? "a different sweep" : "an earlier version of this sweep";
  return Status::InvalidArgument(
      storage::PlanPath(store.root()) + " holds " + what + ", " + Describe(old_plan) +
      "; the spec now gives " + Describe(plan) + ": " + DescribeDiff(diff) +
      ". Nothing started. Run again with --replan to keep the unchanged rows' results, move the "
      "changed and removed rows' files to " +
      storage::JoinPath(store.root(), std::string(storage::kHistoryDir)) +
      "/ (never deleted) and run the rest; or use another --storage.");
}

}  // namespace

PlanDiff DiffPlans(const Plan& old_plan, const Plan& new_plan) {
  PlanDiff diff;
  const int common = std::min(old_plan.count(), new_plan.count());
  for (int i = 0; i < common; ++i) {
    (old_plan.row_hashes[i] == new_plan.row_hashes[i] ? diff.kept : diff.changed).push_back(i);
  }
  for (int i = common; i < new_plan.count(); ++i) diff.added.push_back(i);
  for (int i = common; i < old_plan.count(); ++i) diff.removed.push_back(i);
  return diff;
}

std::string DescribeDiff(const PlanDiff& diff) {
  return Counted(diff.kept, "unchanged (kept)", false) + ", " +
         Counted(diff.changed, "changed (rerun)", true) + ", " + Counted(diff.added, "new", true) +
         ", " + Counted(diff.removed, "removed", true);
}

StatusOr<ReplanReport> ReplanStorage(storage::Store& store, const Plan& plan, bool allow_replan) {
  StatusOr<std::optional<Plan>> existing = ReadPlan(store);
  if (!existing.ok()) {
    if (existing.status().code() != StatusCode::kCorruption) return existing.status();
    return Status::InvalidArgument(
        existing.status().message() +
        "; refusing to overwrite it: use another --storage, or remove the file if the folder "
        "holds no results you need");
  }
  ReplanReport report;
  if (existing->has_value() && (*existing)->rows_hash == plan.rows_hash) return report;
  if (existing->has_value()) {
    const Plan& old_plan = **existing;
    report.diff = DiffPlans(old_plan, plan);
    if (!allow_replan) return Refusal(store, old_plan, plan, report.diff);
    std::set<int> aside(report.diff.changed.begin(), report.diff.changed.end());
    aside.insert(report.diff.removed.begin(), report.diff.removed.end());
    SWEEP_RETURN_IF_ERROR(MoveAside(store, aside, &report).WithContext("replan"));
    report.replanned = true;
  }
  SWEEP_RETURN_IF_ERROR(store.Put(storage::PlanPath(""), PlanToText(plan))
                            .WithContext(storage::PlanPath(store.root())));
  return report;
}

}  // namespace sweep
