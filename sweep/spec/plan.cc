#include "sweep/spec/plan.h"

#include <climits>
#include <cstdint>
#include <exception>

#include "storage/layout.h"
#include "sweep/spec/replan.h"

namespace sweep {
namespace {

using nlohmann::json;

const char* GoalName(bool maximize) { return maximize ? "maximize" : "minimize"; }

// An integer field, or `fallback` when it is absent or not an integer in int64 (nlohmann's
// value<int>() of 1e36 would be an undefined conversion: found by tests/fuzz/fuzz_results).
int64_t IntOr(const json& j, const char* key, int64_t fallback) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return fallback;
  if (it->is_number_unsigned() && it->get<uint64_t>() > INT64_MAX) return fallback;
  return it->get<int64_t>();
}

}  // namespace

std::string ShellQuote(const std::string& text) {
  if (!text.empty() && text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789_-+=.,/:@%") == std::string::npos) {
    return text;
  }
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string RerunCommand(const Plan& plan, const std::string& root, const std::string& extra) {
  if (plan.engine == "slurm") {
    return "sweep submit " + ShellQuote(plan.source) + " --engine slurm --storage " +
           ShellQuote(root) + " " + (extra.empty() ? "--missing --failed" : extra);
  }
  std::string out = "sweep run " + ShellQuote(plan.source) + " --storage " + ShellQuote(root);
  for (const auto& s : plan.overrides) out += " --set " + ShellQuote(s);
  if (!extra.empty()) out += " " + extra;
  return out;
}

Plan MakePlan(const Spec& spec, std::string spec_text, std::vector<std::string> overrides) {
  Plan plan;
  plan.source = spec.source;
  plan.spec_text = std::move(spec_text);
  plan.overrides = std::move(overrides);
  plan.rows = spec.rows;
  plan.rows_hash = RowsHash(spec.rows);
  for (const auto& row : plan.rows) plan.row_hashes.push_back(RowHash(row));
  plan.metric = spec.metric;
  return plan;
}

json PlanToJson(const Plan& plan) {
  json j = json::object();
  j["format_version"] = kPlanFormatVersion;
  j["source"] = plan.source;
  j["spec"] = plan.spec_text;
  j["overrides"] = plan.overrides;
  j["rows_hash"] = plan.rows_hash;
  j["row_hashes"] = plan.row_hashes;
  j["count"] = plan.count();
  if (plan.metric) {
    j["metric"] = {{"name", plan.metric->name}, {"goal", GoalName(plan.metric->maximize)}};
  }
  if (!plan.engine.empty()) j["engine"] = plan.engine;
  j["rows"] = plan.rows;
  return j;
}

std::string PlanToText(const Plan& plan) { return PlanToJson(plan).dump(2) + "\n"; }

StatusOr<Plan> ParsePlan(std::string_view text) {
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::Corruption("sweep.json: not valid JSON");
  if (!j.is_object()) return Status::Corruption("sweep.json: not a JSON object");
  try {
    const int64_t version = IntOr(j, "format_version", 0);
    if (version != kPlanFormatVersion) {
      return Status::Corruption("sweep.json: unsupported format_version " +
                                std::to_string(version));
    }
    Plan plan;
    plan.source = j.value("source", "");
    plan.spec_text = j.value("spec", "");
    plan.overrides = j.value("overrides", std::vector<std::string>{});
    plan.engine = j.value("engine", "");
    plan.rows_hash = j.at("rows_hash").get<std::string>();
    const json& rows = j.at("rows");
    if (!rows.is_array()) return Status::Corruption("sweep.json: 'rows' is not an array");
    plan.rows.assign(rows.begin(), rows.end());
    for (const auto& row : plan.rows) plan.row_hashes.push_back(RowHash(row));
    if (IntOr(j, "count", -1) != plan.count()) {
      return Status::Corruption("sweep.json: 'count' does not match the rows");
    }
    if (j.contains("metric") && j["metric"].is_object()) {
      MetricGoal goal;
      goal.name = j["metric"].value("name", goal.name);
      std::string g = j["metric"].value("goal", "maximize");
      goal.maximize = g != "minimize" && g != "min";
      plan.metric = goal;
    }
    return plan;
  } catch (const std::exception& e) {
    return Status::Corruption(std::string(storage::kPlanFile) + ": " + e.what());
  }
}

StatusOr<std::optional<Plan>> ReadPlan(storage::Store& store) {
  StatusOr<std::string> text = store.Get(storage::PlanPath(""));
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) return std::optional<Plan>();
    return text.status().WithContext(storage::PlanPath(store.root()));
  }
  StatusOr<Plan> plan = ParsePlan(*text);
  if (!plan.ok()) return plan.status().WithContext(store.root());
  return std::optional<Plan>(std::move(plan).value());
}

Status WritePlanOnce(storage::Store& store, const Plan& plan) {
  return ReplanStorage(store, plan, /*allow_replan=*/false).status();
}

}  // namespace sweep
