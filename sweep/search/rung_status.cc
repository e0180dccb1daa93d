#include "sweep/search/rung_status.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "base/strings.h"
#include "storage/layout.h"
#include "storage/result.h"
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

StatusOr<std::vector<std::string>> DescribeWaves(storage::Store& store, const Spec& spec) {
  const BayesSearch& b = *spec.bayes;
  std::string metric;
  bool maximize = true;
  SWEEP_RETURN_IF_ERROR(RankMetric(spec, &metric, &maximize));
  std::vector<std::string> lines;
  for (int w = 0; w < b.waves(); ++w) {
    const int first = w * b.wave_size, last = std::min(b.run_cap, first + b.wave_size) - 1;
    std::string line = fmt::format("wave {}: rows {}-{}", w, first, last);
    if (w > 0 && !store.Get(storage::WavePath("", w)).ok()) {
      lines.push_back(line + " (not proposed yet)");
      continue;
    }
    int finished = 0, best = -1;
    double best_value = 0;
    for (int i = first; i <= last; ++i) {
      StatusOr<std::string> text = store.Get(storage::ResultPath("", i));
      if (!text.ok()) continue;
      StatusOr<storage::RunResult> r = storage::ParseResult(*text);
      if (!r.ok() || r->status == storage::ResultStatus::kFailed) continue;
      ++finished;
      auto it = r->metrics.find(metric);
      if (!r->succeeded() || it == r->metrics.end() || !std::isfinite(it->second)) continue;
      if (best < 0 || (maximize ? it->second > best_value : it->second < best_value)) {
        best = i, best_value = it->second;
      }
    }
    line += fmt::format("{}, {} finished", w > 0 ? " (proposed)" : " (random)", finished);
    if (best >= 0) line += fmt::format("; best row {} {}={:.4g}", best, metric, best_value);
    lines.push_back(line);
  }
  return lines;
}

StatusOr<std::vector<std::string>> RungStatusLines(const std::string& root) {
  SWEEP_ASSIGN_OR_RETURN(auto store, storage::OpenStore(root));
  StatusOr<Spec> spec = StoredSpec(*store);
  if (spec.status().code() == StatusCode::kNotFound) return std::vector<std::string>();
  if (!spec.ok()) return spec.status();
  std::vector<std::string> lines;
  if (spec->bayes) {
    SWEEP_ASSIGN_OR_RETURN(lines, DescribeWaves(*store, *spec));
    lines.insert(lines.begin(), "bayes (TPE) waves:");
  } else if (spec->early_terminate) {
    SWEEP_ASSIGN_OR_RETURN(HalvingPlan plan, MakeHalvingPlan(*spec));
    SWEEP_ASSIGN_OR_RETURN(lines, DescribeRungs(*store, plan));
    lines.insert(lines.begin(), "successive halving (rows stopped at a band count as unfinished):");
  } else {
    return lines;
  }
  for (size_t i = 1; i < lines.size(); ++i) lines[i] = "  " + lines[i];
  return lines;
}

}  // namespace sweep::search
