#include "sweep/search/rung_status.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "storage/layout.h"
#include "sweep/search/rung_decision.h"

namespace sweep::search {
namespace {

// The rung's rows when known without deciding anything: rung 0's, or a decision on disk.
StatusOr<std::optional<std::vector<int>>> KnownRows(storage::Store& store, const HalvingPlan& plan,
                                                    int bracket, int rung) {
  if (rung == 0) {
    SWEEP_ASSIGN_OR_RETURN(std::vector<int> rows, RungRows(store, plan, bracket, 0));
    return std::optional<std::vector<int>>(std::move(rows));
  }
  StatusOr<std::string> text = store.Get(storage::RungPath("", bracket, rung));
  if (text.status().code() == StatusCode::kNotFound) return std::optional<std::vector<int>>();
  if (!text.ok()) return text.status();
  SWEEP_ASSIGN_OR_RETURN(std::vector<int> rows, DecisionRows(*text));
  return std::optional<std::vector<int>>(std::move(rows));
}

}  // namespace

StatusOr<std::vector<std::string>> DescribeRungs(storage::Store& store, const HalvingPlan& plan) {
  std::vector<std::string> lines;
  for (size_t b = 0; b < plan.brackets.size(); ++b) {
    for (const HalvingRung& rung : plan.brackets[b].rungs) {
      std::string line =
          fmt::format("rung {}{}: {} row{} to epoch {}", rung.rung,
                      plan.brackets.size() > 1 ? fmt::format(" of bracket {}", b) : "", rung.size,
                      rung.size == 1 ? "" : "s", rung.epochs);
      SWEEP_ASSIGN_OR_RETURN(auto rows, KnownRows(store, plan, b, rung.rung));
      if (!rows) {
        lines.push_back(line + ": not decided yet");
        continue;
      }
      if (rung.rung > 0) line += " (promoted: " + FormatIndexRanges(*rows) + ")";
      SWEEP_ASSIGN_OR_RETURN(std::vector<Ranked> ranking, RankRung(store, plan, rung, *rows));
      int recorded = 0;
      for (const Ranked& r : ranking) recorded += r.status != "missing";
      line += fmt::format(", {} recorded", recorded);
      if (!ranking.empty() && ranking[0].status.empty()) {
        line +=
            fmt::format("; best row {} {}={:.4g}", ranking[0].row, plan.metric, ranking[0].value);
      }
      lines.push_back(line);
    }
  }
  return lines;
}

StatusOr<std::vector<std::string>> RungStatusLines(const std::string& root) {
  SWEEP_ASSIGN_OR_RETURN(auto store, storage::OpenStore(root));
  StatusOr<HalvingPlan> plan = StoredHalvingPlan(*store);
  const StatusCode code = plan.status().code();
  if (code == StatusCode::kNotFound || code == StatusCode::kInvalidArgument) {
    return std::vector<std::string>();
  }
  if (!plan.ok()) return plan.status();
  SWEEP_ASSIGN_OR_RETURN(std::vector<std::string> lines, DescribeRungs(*store, *plan));
  lines.insert(lines.begin(), "successive halving (rows stopped at a band count as unfinished):");
  for (size_t i = 1; i < lines.size(); ++i) lines[i] = "  " + lines[i];
  return lines;
}

}  // namespace sweep::search
