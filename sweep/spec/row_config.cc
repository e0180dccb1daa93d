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

std::vector<std::string> RowProblems(const nlohmann::json& row, model::TrainConfig* config) {
  *config = model::TrainConfig();
  if (!row.is_object()) return {"expected a mapping of row keys, got " + row.dump()};
  std::vector<std::string> problems;
  bool values_read = true;  // every known key's value was read into `config`
  for (const auto& [name, value] : row.items()) {
    const RowKey* key = FindRowKey(name);
    if (key == nullptr) {
      problems.push_back(UnknownKeyMessage(name));
      continue;
    }
    Status set = key->set(name, value, config);
    if (!set.ok()) problems.push_back(set.message());
    values_read = values_read && set.ok();
  }
  if (!row.contains("dataset")) problems.push_back("dataset: required key missing");
  for (std::string& p : RangeProblems(*config)) problems.push_back(std::move(p));
  // A rule between keys would reason about the default standing in for a value that could not
  // be read ("got optimizer adam" after `optimizer: 3`): those rules wait for the values.
  if (values_read) {
    for (std::string& p : model::CrossFieldProblems(*config)) problems.push_back(std::move(p));
  }
  return problems;
}

StatusOr<model::TrainConfig> ConfigFromRow(const nlohmann::json& row) {
  model::TrainConfig config;
  const std::vector<std::string> problems = RowProblems(row, &config);
  if (!problems.empty()) return Status::InvalidArgument(StrJoin(problems, "; "));
  return config;
}

nlohmann::json ConfigToRow(const model::TrainConfig& config) {
  nlohmann::json row = nlohmann::json::object();  // a std::map: keys come out sorted
  for (const RowKey& k : AllRowKeys()) row[std::string(k.name)] = k.get(config);
  return row;
}

std::vector<std::string> ValidateRows(const std::vector<nlohmann::json>& rows) {
  std::vector<std::string> problems;
  model::TrainConfig config;
  for (size_t i = 0; i < rows.size(); ++i) {
    for (const std::string& p : RowProblems(rows[i], &config)) {
      problems.push_back("row " + std::to_string(i) + ": " + p);
    }
  }
  return problems;
}

}  // namespace sweep
