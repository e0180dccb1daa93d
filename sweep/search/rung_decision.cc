#include "sweep/search/rung_decision.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "storage/layout.h"
#include "storage/result.h"

namespace sweep::search {
namespace {

using nlohmann::json;

bool Better(double a, double b, bool maximize) { return maximize ? a > b : a < b; }

// The value a band record ranks by (BandValue of its metric and history).
double RecordValue(const storage::RunResult& r, const HalvingPlan& plan) {
  auto it = r.metrics.find(plan.metric);
  const double at_band = it == r.metrics.end() ? std::nan("") : it->second;
  std::vector<double> history;
  for (const json& e : r.history) {
    const bool has = e.contains(plan.metric) && e[plan.metric].is_number();
    history.push_back(has ? e[plan.metric].get<double>() : std::nan(""));
  }
  return BandValue(at_band, history, plan.early_terminate.strict, plan.maximize);
}

StatusOr<Ranked> RankRow(storage::Store& store, const HalvingPlan& plan, int row,
                         const std::string& key) {
  StatusOr<std::string> text = store.Get(key);
  if (text.status().code() == StatusCode::kNotFound) return Ranked{row, 0, "missing"};
  if (!text.ok()) return text.status();
  StatusOr<storage::RunResult> r = storage::ParseResult(*text);
  if (!r.ok() || r->status == storage::ResultStatus::kFailed) return Ranked{row, 0, "failed"};
  if (r->status == storage::ResultStatus::kDiverged) return Ranked{row, 0, "diverged"};
  const double value = RecordValue(*r, plan);
  return Ranked{row, std::isfinite(value) ? value : 0, std::isfinite(value) ? "" : "nan"};
}

const HalvingRung& RungOf(const HalvingPlan& plan, int bracket, int rung) {
  return plan.brackets[bracket].rungs[rung];
}

std::string DecisionKey(int bracket, int rung) { return storage::RungPath("", bracket, rung); }

}  // namespace

double BandValue(double at_band, const std::vector<double>& history, bool strict, bool maximize) {
  double value = at_band;
  if (strict) return value;
  for (double v : history) {
    if (std::isfinite(v) && (!std::isfinite(value) || Better(v, value, maximize))) value = v;
  }
  return value;
}

void SortRanking(std::vector<Ranked>* ranking, bool maximize) {
  std::stable_sort(ranking->begin(), ranking->end(), [&](const Ranked& a, const Ranked& b) {
    if (a.status.empty() != b.status.empty()) return a.status.empty();
    if (a.status.empty() && a.value != b.value) return Better(a.value, b.value, maximize);
    return a.row < b.row;
  });
}

std::vector<int> PromotedRows(const std::vector<Ranked>& ranking, int keep) {
  std::vector<int> rows;
  for (int i = 0; i < keep && i < static_cast<int>(ranking.size()); ++i) {
    rows.push_back(ranking[i].row);
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

StatusOr<std::vector<Ranked>> RankRung(storage::Store& store, const HalvingPlan& plan,
                                       const HalvingRung& rung, const std::vector<int>& rows) {
  std::vector<Ranked> ranking;
  for (int row : rows) {
    const std::string key =
        rung.last ? storage::ResultPath("", row) : storage::BandPath("", row, rung.epochs);
    SWEEP_ASSIGN_OR_RETURN(Ranked r, RankRow(store, plan, row, key));
    ranking.push_back(std::move(r));
  }
  SortRanking(&ranking, plan.maximize);
  return ranking;
}

StatusOr<std::string> ComputeDecision(storage::Store& store, const HalvingPlan& plan, int bracket,
                                      int rung, const std::vector<int>& previous_rows) {
  const HalvingRung& from = RungOf(plan, bracket, rung - 1);
  SWEEP_ASSIGN_OR_RETURN(std::vector<Ranked> ranking, RankRung(store, plan, from, previous_rows));
  const std::vector<int> rows = PromotedRows(ranking, RungOf(plan, bracket, rung).size);
  json list = json::array();
  for (const Ranked& r : ranking) {
    json entry = {{"row", r.row}};
    entry["value"] = r.status.empty() ? json(r.value) : json(nullptr);
    if (!r.status.empty()) entry["status"] = r.status;
    list.push_back(std::move(entry));
  }
  const json doc = {{"format_version", kRungDecisionFormatVersion},
                    {"bracket", bracket},
                    {"rung", rung},
                    {"epochs", RungOf(plan, bracket, rung).epochs},
                    {"from_epochs", from.epochs},
                    {"metric", plan.metric},
                    {"goal", plan.maximize ? "maximize" : "minimize"},
                    {"strict", plan.early_terminate.strict},
                    {"eta", plan.early_terminate.eta},
                    {"ranking", std::move(list)},
                    {"rows", rows}};
  return doc.dump() + "\n";
}

StatusOr<std::vector<int>> DecisionRows(std::string_view text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || doc.value("format_version", 0) != kRungDecisionFormatVersion ||
      !doc.contains("rows") || !doc["rows"].is_array()) {
    return Status::Corruption("not a rung decision of format version 1");
  }
  std::vector<int> rows;
  for (const json& r : doc["rows"]) {
    if (!r.is_number_integer() || r.get<int64_t>() < 0) {
      return Status::Corruption("rows: expected row indices");
    }
    rows.push_back(r.get<int>());
  }
  return rows;
}

StatusOr<std::vector<int>> RungRows(storage::Store& store, const HalvingPlan& plan, int bracket,
                                    int rung) {
  const HalvingBracket& b = plan.brackets[bracket];
  if (rung == 0) {
    std::vector<int> rows(b.rows);
    for (int i = 0; i < b.rows; ++i) rows[i] = b.first_row + i;
    return rows;
  }
  const std::string key = DecisionKey(bracket, rung);
  StatusOr<std::string> existing = store.Get(key);
  if (existing.ok()) {
    StatusOr<std::vector<int>> rows = DecisionRows(*existing);
    if (!rows.ok()) return rows.status().WithContext(key);
    return rows;
  }
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  SWEEP_ASSIGN_OR_RETURN(std::vector<int> previous, RungRows(store, plan, bracket, rung - 1));
  SWEEP_ASSIGN_OR_RETURN(std::string text, ComputeDecision(store, plan, bracket, rung, previous));
  SWEEP_ASSIGN_OR_RETURN(bool created, store.Create(key, text));
  if (!created) {
    SWEEP_ASSIGN_OR_RETURN(std::string there, store.Get(key));
    if (there != text) {
      return Status::Corruption(key + ": another process wrote a different decision from the " +
                                "same rung (were rows of rung " + std::to_string(rung - 1) +
                                " still running?); `sweep plan --check` shows it");
    }
  }
  return DecisionRows(text);
}

StatusOr<DecisionCheck> CheckDecisions(storage::Store& store, const HalvingPlan& plan) {
  DecisionCheck check;
  for (size_t b = 0; b < plan.brackets.size(); ++b) {
    for (size_t r = 1; r < plan.brackets[b].rungs.size(); ++r) {
      const std::string key = DecisionKey(b, r);
      StatusOr<std::string> there = store.Get(key);
      if (there.status().code() == StatusCode::kNotFound) break;  // not decided yet
      if (!there.ok()) return there.status();
      SWEEP_ASSIGN_OR_RETURN(std::vector<int> previous, RungRows(store, plan, b, r - 1));
      SWEEP_ASSIGN_OR_RETURN(std::string text, ComputeDecision(store, plan, b, r, previous));
      ++check.checked;
      if (text != *there) {
        check.problems.push_back(key + ": differs from the decision its band records give");
        check.lines.push_back(check.problems.back());
        continue;
      }
      SWEEP_ASSIGN_OR_RETURN(std::vector<int> rows, DecisionRows(text));
      check.lines.push_back(fmt::format("{}: ok, {} of {} rows promoted to epoch {}", key,
                                        rows.size(), previous.size(),
                                        plan.brackets[b].rungs[r].epochs));
    }
  }
  return check;
}

}  // namespace sweep::search
