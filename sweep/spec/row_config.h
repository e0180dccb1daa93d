// One row (JSON object of row keys) -> model::TrainConfig, filled in this one place.
//
// Every problem of a row is reported at once, each naming its key: unknown keys with a
// suggestion ("lerning_rate: unknown key (did you mean 'learning_rate'?)", an alias from another
// library: "lr: unknown key (did you mean 'learning_rate'?)"), wrong types and choices, a
// missing dataset, ranges, then the rules between keys. Choices ignore case and are stored
// canonically ("Adam" -> adam). The row index is prepended by the caller ("row 3: ...").
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/config.h"

namespace sweep {

// Fills `config` from `row` and returns every problem, one message each, in this order: each
// key's type or choice (unknown keys included, in key order), "dataset: required key missing",
// each key's range (row_keys.h), then model::CrossFieldProblems (only when every value could be
// read: a rule about a default standing in for an unreadable value would mislead). Empty when
// the row is valid. Data paths are copied as written, unresolved.
std::vector<std::string> RowProblems(const nlohmann::json& row, model::TrainConfig* config);

// The config, or InvalidArgument listing every RowProblems message, "; "-joined on one line
// (the worker's stderr and a job log keep it as one event):
// "lr: unknown key (did you mean 'learning_rate'?); dataset: required key missing".
StatusOr<model::TrainConfig> ConfigFromRow(const nlohmann::json& row);

// Every resolved hyperparameter as a row (the keys ConfigFromRow accepts), for result.json
// and the HDF5 attributes. ConfigFromRow(ConfigToRow(c)) == c.
nlohmann::json ConfigToRow(const model::TrainConfig& config);

// RowProblems of every row (no training), one message per problem, in row order:
// "row 3: learning_rate must be > 0, got -1". Empty when every row is valid.
std::vector<std::string> ValidateRows(const std::vector<nlohmann::json>& rows);

// The accepted row keys, sorted.
const std::vector<std::string>& RowKeys();

}  // namespace sweep
