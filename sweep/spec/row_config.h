// One row (JSON object of row keys) -> model::TrainConfig, filled in this one place.
//
// Unknown keys are errors with a suggestion ("lerning_rate: unknown key (did you mean
// 'learning_rate'?)"); a wrong type or range names the key. The row index is prepended by the
// caller ("row 3: ...").
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/config.h"

namespace sweep {

// Fills and validates: each key's type and range (row_keys.h), then model::Validate. Data paths
// are copied as written, unresolved.
StatusOr<model::TrainConfig> ConfigFromRow(const nlohmann::json& row);

// Every resolved hyperparameter as a row (the keys ConfigFromRow accepts), for result.json
// and the HDF5 attributes. ConfigFromRow(ConfigToRow(c)) == c.
nlohmann::json ConfigToRow(const model::TrainConfig& config);

// ConfigFromRow on every row (no training). One message per bad row, in row order:
// "row 3: learning_rate must be > 0, got -1". Empty when every row is valid.
std::vector<std::string> ValidateRows(const std::vector<nlohmann::json>& rows);

// The accepted row keys, sorted.
const std::vector<std::string>& RowKeys();

}  // namespace sweep
