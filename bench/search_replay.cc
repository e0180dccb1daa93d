#include "bench/search_replay.h"

#include <cmath>
#include <limits>

#include "sweep/search/halving.h"
#include "sweep/search/rung_decision.h"
#include "sweep/search/tpe_waves.h"

namespace sweep::bench {
namespace {

using nlohmann::json;

// The chosen row so far: the highest final val_accuracy among rows that reached the end; ties
// go to the row offered first (callers offer in row order).
struct Chooser {
  double val = -std::numeric_limits<double>::infinity();
  double test = 0;
  void Offer(const ReplayRow& r, int epochs) {
    if (!r.Reached(epochs) || !(r.val_accuracy[epochs - 1] > val)) return;
    val = r.val_accuracy[epochs - 1];
    test = r.test_accuracy[epochs - 1];
  }
};

StatusOr<Spec> DerivedSpec(const std::string& grid_text, const std::string& method, int rows,
                           uint64_t seed, const std::string& extra) {
  return ParseSpec(DeriveSpecText(grid_text, method, rows, seed, extra), "search_sim spec", "");
}

std::string EarlyTerminateYaml(int brackets) {
  return "early_terminate:\n  type: hyperband\n  min_iter: 1\n  eta: 3\n  brackets: " +
         std::to_string(brackets) + "\n";
}

StatusOr<std::vector<int>> TableRows(const ReplayTable& table, const std::vector<json>& rows) {
  std::vector<int> out;
  for (const json& row : rows) {
    SWEEP_ASSIGN_OR_RETURN(int i, table.Find(row));
    out.push_back(i);
  }
  return out;
}

// `rows` (spec row indices) of a rung trained to `epochs`, ranked as RankRung ranks their band
// records (or result.json in the last rung).
std::vector<search::Ranked> RankAt(const ReplayTable& table, const std::vector<int>& at,
                                   const search::HalvingPlan& plan, const std::vector<int>& rows,
                                   int epochs) {
  std::vector<search::Ranked> ranking;
  for (int row : rows) {
    const ReplayRow& r = table.rows[at[row]];
    if (!r.Reached(epochs)) {
      ranking.push_back({row, 0, "diverged"});
      continue;
    }
    const std::vector<double> history(r.val_accuracy.begin(), r.val_accuracy.begin() + epochs);
    const double v = search::BandValue(r.val_accuracy[epochs - 1], history,
                                       plan.early_terminate.strict, plan.maximize);
    ranking.push_back({row, std::isfinite(v) ? v : 0, std::isfinite(v) ? "" : "nan"});
  }
  search::SortRanking(&ranking, plan.maximize);
  return ranking;
}

// One bracket replayed: the epochs it trains; its last rung offered to `best`.
int64_t ReplayBracket(const ReplayTable& table, const std::vector<int>& at,
                      const search::HalvingPlan& plan, const search::HalvingBracket& b,
                      Chooser* best) {
  std::vector<int> rows;
  for (int i = 0; i < b.rows; ++i) rows.push_back(b.first_row + i);
  int64_t epochs = 0;
  for (size_t k = 0; k < b.rungs.size(); ++k) {
    const int from = k == 0 ? 0 : b.rungs[k - 1].epochs;
    if (k > 0) rows = search::PromotedRows(RankAt(table, at, plan, rows, from), b.rungs[k].size);
    for (int row : rows) epochs += table.rows[at[row]].Cost(from, b.rungs[k].epochs);
  }
  for (int row : rows) best->Offer(table.rows[at[row]], plan.epochs);
  return epochs;
}

}  // namespace

std::string DeriveSpecText(const std::string& grid_text, const std::string& method, int run_cap,
                           uint64_t seed, const std::string& extra) {
  const std::string from = "method: grid\n";
  std::string text = grid_text;
  const size_t pos = text.find(from);
  if (pos == std::string::npos) return text;  // ParseSpec's error says what is wrong
  text.replace(pos, from.size(),
               "method: " + method + "\nrun_cap: " + std::to_string(run_cap) +
                   "\nseed: " + std::to_string(seed) + "\n" + extra);
  return text;
}

StatusOr<Outcome> ReplayRandom(const ReplayTable& table, const std::string& grid_text, int rows,
                               uint64_t seed) {
  SWEEP_ASSIGN_OR_RETURN(Spec spec, DerivedSpec(grid_text, "random", rows, seed, ""));
  SWEEP_ASSIGN_OR_RETURN(std::vector<int> at, TableRows(table, spec.rows));
  Outcome out;
  Chooser best;
  for (int i : at) {
    out.epochs += table.rows[i].Cost(0, table.epochs);
    best.Offer(table.rows[i], table.epochs);
    out.test_after_row.push_back(best.test);
  }
  out.test = best.test;
  return out;
}

StatusOr<Outcome> ReplayHalving(const ReplayTable& table, const std::string& grid_text, int rows,
                                int brackets, uint64_t seed) {
  SWEEP_ASSIGN_OR_RETURN(
      Spec spec, DerivedSpec(grid_text, "random", rows, seed, EarlyTerminateYaml(brackets)));
  SWEEP_ASSIGN_OR_RETURN(search::HalvingPlan plan, search::MakeHalvingPlan(spec));
  SWEEP_ASSIGN_OR_RETURN(std::vector<int> at, TableRows(table, spec.rows));
  if (plan.epochs != table.epochs) {
    return Status::InvalidArgument("the spec's epochs differ from the table's");
  }
  Outcome out;
  Chooser best;
  for (const search::HalvingBracket& b : plan.brackets) {
    out.epochs += ReplayBracket(table, at, plan, b, &best);
  }
  out.test = best.test;
  return out;
}

StatusOr<Outcome> ReplayTpeWaves(const ReplayTable& table, const std::string& grid_text, int rows,
                                 int wave_size, uint64_t seed) {
  const std::string extra = "wave_size: " + std::to_string(wave_size) + "\n";
  SWEEP_ASSIGN_OR_RETURN(Spec spec, DerivedSpec(grid_text, "bayes", rows, seed, extra));
  std::string metric;
  bool maximize = true;
  SWEEP_RETURN_IF_ERROR(search::RankMetric(spec, &metric, &maximize));
  std::vector<search::Observation> observed;
  Outcome out;
  Chooser best;
  for (int w = 0; w < spec.bayes->waves(); ++w) {
    std::vector<json> wave;
    if (w == 0) {
      wave.assign(spec.rows.begin(), spec.rows.begin() + std::min(rows, wave_size));
    } else {
      wave = search::ProposeWave(spec, w, observed).rows;
    }
    for (json& row : wave) {
      SWEEP_ASSIGN_OR_RETURN(int i, table.Find(row));
      const ReplayRow& r = table.rows[i];
      out.epochs += r.Cost(0, table.epochs);
      best.Offer(r, table.epochs);
      out.test_after_row.push_back(best.test);
      // The loss tpe_waves reads from result.json: the metric negated when maximised.
      const double v = r.Reached(table.epochs) ? r.val_accuracy[table.epochs - 1] : std::nan("");
      const double loss =
          std::isfinite(v) ? (maximize ? -v : v) : std::numeric_limits<double>::infinity();
      observed.push_back({std::move(row), loss});
    }
  }
  out.test = best.test;
  return out;
}

StatusOr<int64_t> HalvingPlanEpochs(const std::string& grid_text, int rows, int brackets) {
  SWEEP_ASSIGN_OR_RETURN(Spec spec,
                         DerivedSpec(grid_text, "random", rows, 0, EarlyTerminateYaml(brackets)));
  SWEEP_ASSIGN_OR_RETURN(search::HalvingPlan plan, search::MakeHalvingPlan(spec));
  return plan.TotalEpochs();
}

}  // namespace sweep::bench
