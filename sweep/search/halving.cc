#include "sweep/search/halving.h"

#include <fmt/format.h>

#include <cmath>

#include "sweep/spec/plan.h"
#include "sweep/spec/row_config.h"

namespace sweep::search {
namespace {

// eta^h / (h + 1), exactly (integers) as a double: Hyperband's share of a bracket.
double BracketWeight(int eta, int halvings) {
  double w = 1;
  for (int i = 0; i < halvings; ++i) w *= eta;
  return w / (halvings + 1);
}

std::vector<int> BracketSizes(int rows, int eta, int levels, int brackets) {
  std::vector<double> w;
  double total = 0;
  for (int b = 0; b < brackets; ++b) total += w.emplace_back(BracketWeight(eta, levels - 1 - b));
  std::vector<int> sizes;
  int given = 0;
  for (int b = 0; b < brackets; ++b) {
    given += sizes.emplace_back(static_cast<int>(std::floor(rows * w[b] / total)));
  }
  sizes[0] += rows - given;
  return sizes;
}

// The default ranking metric of a config: accuracy for classification, loss for regression;
// val_ when rows are held out.
std::string DefaultMetric(const model::TrainConfig& c) {
  const bool val = c.data.validation_split > 0;
  const bool mse = c.network.loss == model::Loss::kMse;
  return std::string(val ? "val_" : "train_") + (mse ? "loss" : "accuracy");
}

}  // namespace

Status RankMetric(const Spec& spec, std::string* name, bool* maximize) {
  if (spec.metric) {
    *name = spec.metric->name, *maximize = spec.metric->maximize;
    return Status::Ok();
  }
  auto config = ConfigFromRow(spec.rows.at(0));
  if (!config.ok()) return config.status().WithContext("row 0");
  *name = DefaultMetric(*config);
  *maximize = !name->ends_with("loss");
  return Status::Ok();
}

int64_t HalvingPlan::TotalEpochs() const {
  int64_t total = 0;
  for (const auto& b : brackets) {
    int before = 0;
    for (const auto& r : b.rungs) total += int64_t{r.size} * (r.epochs - before), before = r.epochs;
  }
  return total;
}

std::vector<int> Bands(const EarlyTerminate& et, int epochs) {
  std::vector<int> bands;
  if (et.min_iter > 0) {
    for (int64_t b = et.min_iter; b < epochs; b *= et.eta) bands.push_back(static_cast<int>(b));
    return bands;
  }
  for (int k = et.s; k >= 1; --k) {
    const double b = std::floor(et.max_iter / std::pow(static_cast<double>(et.eta), k));
    if (b >= 1 && b < epochs && (bands.empty() || b > bands.back())) {
      bands.push_back(static_cast<int>(b));
    }
  }
  return bands;
}

StatusOr<HalvingPlan> MakeHalvingPlan(const Spec& spec) {
  HalvingPlan plan;
  plan.early_terminate = *spec.early_terminate;
  const EarlyTerminate& et = plan.early_terminate;
  std::string default_metric;
  for (size_t i = 0; i < spec.rows.size(); ++i) {
    auto config = ConfigFromRow(spec.rows[i]);
    if (!config.ok()) return config.status().WithContext(fmt::format("row {}", i));
    if (config->early_stopping.patience > 0) {
      return Status::InvalidArgument(fmt::format(
          "row {}: early_terminate and early_stopping_patience both stop rows: use one", i));
    }
    if (i == 0) plan.epochs = config->epochs, default_metric = DefaultMetric(*config);
    if (config->epochs != plan.epochs) {
      return Status::InvalidArgument(fmt::format(
          "early_terminate needs every row to train the same epochs: row 0 has {}, row {} has {}",
          plan.epochs, i, config->epochs));
    }
  }
  plan.metric = spec.metric ? spec.metric->name : default_metric;
  plan.maximize = spec.metric ? spec.metric->maximize : !default_metric.ends_with("loss");
  std::vector<int> levels = Bands(et, plan.epochs);
  levels.push_back(plan.epochs);
  const int rows = static_cast<int>(spec.rows.size());
  if (et.brackets > static_cast<int>(levels.size())) {
    return Status::InvalidArgument(fmt::format(
        "early_terminate.brackets: {} brackets, but only {} levels (bands below epochs {}, "
        "then {})",
        et.brackets, levels.size(), plan.epochs, plan.epochs));
  }
  const std::vector<int> sizes = BracketSizes(rows, et.eta, levels.size(), et.brackets);
  int first = 0;
  for (int b = 0; b < et.brackets; ++b) {
    if (sizes[b] < 1) {
      return Status::InvalidArgument(fmt::format(
          "early_terminate.brackets: {} rows are too few for {} brackets", rows, et.brackets));
    }
    HalvingBracket& bracket = plan.brackets.emplace_back();
    bracket.first_row = first;
    bracket.rows = sizes[b];
    first += sizes[b];
    int n = sizes[b];
    for (size_t level = b; level < levels.size(); ++level) {
      const int rung = static_cast<int>(level) - b;
      bracket.rungs.push_back({b, rung, levels[level], n, level + 1 == levels.size()});
      n = std::max(1, n / et.eta);
    }
  }
  return plan;
}

StatusOr<Spec> StoredSpec(storage::Store& store) {
  SWEEP_ASSIGN_OR_RETURN(std::optional<Plan> stored, ReadPlan(store));
  if (!stored) return Status::NotFound(store.root() + ": no sweep.json (nothing has run there)");
  SWEEP_ASSIGN_OR_RETURN(Spec spec, ParseSpec(stored->spec_text, stored->source, ""));
  SWEEP_RETURN_IF_ERROR(ApplyOverrides(stored->overrides, &spec));
  return spec;
}

StatusOr<HalvingPlan> StoredHalvingPlan(storage::Store& store) {
  SWEEP_ASSIGN_OR_RETURN(Spec spec, StoredSpec(store));
  if (!spec.early_terminate) {
    return Status::InvalidArgument(spec.source + " has no early_terminate: nothing to plan");
  }
  return MakeHalvingPlan(spec);
}

std::vector<std::string> DescribeHalvingPlan(const HalvingPlan& plan) {
  std::vector<std::string> lines;
  for (size_t b = 0; b < plan.brackets.size(); ++b) {
    const HalvingBracket& bracket = plan.brackets[b];
    std::string line = plan.brackets.size() > 1
                           ? fmt::format("bracket {} (rows {}-{}):", b, bracket.first_row,
                                         bracket.first_row + bracket.rows - 1)
                           : fmt::format("{} rows:", bracket.rows);
    for (const HalvingRung& r : bracket.rungs) {
      line += fmt::format("{} rung {} {} row{} to epoch {}", r.rung == 0 ? "" : ",", r.rung, r.size,
                          r.size == 1 ? "" : "s", r.epochs);
    }
    lines.push_back(line);
  }
  lines.push_back(fmt::format(
      "ranked by {} ({}), eta {}{}; at most {} epochs in all (straight through: {})", plan.metric,
      plan.maximize ? "max" : "min", plan.early_terminate.eta,
      plan.early_terminate.strict ? ", strict" : "", plan.TotalEpochs(),
      int64_t{plan.epochs} * [&] {
        int n = 0;
        for (const auto& b : plan.brackets) n += b.rows;
        return n;
      }()));
  return lines;
}

}  // namespace sweep::search
