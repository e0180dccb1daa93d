// Row keys -> model::TrainConfig through the one row-key table (row_keys.h), so ConfigFromRow,
// ConfigToRow, the range checks and the docs cannot drift apart.
#include "sweep/spec/row_config.h"

#include <algorithm>

#include "base/strings.h"
#include "sweep/spec/row_keys.h"

namespace sweep {

const std::vector<std::string>& RowKeys() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const RowKey& k : AllRowKeys()) names.emplace_back(k.name);
    std::sort(names.begin(), names.end());
    return names;
  }();
  return kNames;
}

StatusOr<model::TrainConfig> ConfigFromRow(const nlohmann::json& row) {
  if (!row.is_object()) {
    return Status::InvalidArgument("expected a mapping of row keys, got " + row.dump());
  }
  model::TrainConfig config;
  for (const auto& [name, value] : row.items()) {
    const RowKey* key = FindRowKey(name);
    if (key == nullptr) {
      return Status::InvalidArgument(name + ": unknown key" + DidYouMean(name, RowKeys()));
    }
    SWEEP_RETURN_IF_ERROR(key->set(name, value, &config));
  }
  if (!row.contains("dataset")) return Status::InvalidArgument("dataset: required key missing");
  SWEEP_RETURN_IF_ERROR(CheckRanges(config));
  SWEEP_RETURN_IF_ERROR(model::Validate(config));
  return config;
}

nlohmann::json ConfigToRow(const model::TrainConfig& config) {
  nlohmann::json row = nlohmann::json::object();  // a std::map: keys come out sorted
  for (const RowKey& k : AllRowKeys()) row[std::string(k.name)] = k.get(config);
  return row;
}

std::vector<std::string> ValidateRows(const std::vector<nlohmann::json>& rows) {
  std::vector<std::string> problems;
  for (size_t i = 0; i < rows.size(); ++i) {
    auto config = ConfigFromRow(rows[i]);
    if (!config.ok()) {
      problems.push_back("row " + std::to_string(i) + ": " + config.status().message());
    }
  }
  return problems;
}

}  // namespace sweep
