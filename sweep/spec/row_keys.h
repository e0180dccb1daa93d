// The row-key table: every hyperparameter a row may set, declared once with its type, its range
// and a one-line doc. ConfigFromRow/ConfigToRow (row_config.h), the unknown-key suggestion, the
// range checks, `sweep keys` and README.md "Row keys" all come from it.
//
// Defaults are not restated here: they are model::TrainConfig's member initializers, printed
// through the key's getter. A key's own range lives here, beside the key, so its error message,
// its docs and its check cannot drift; rules between keys ("nesterov requires optimizer
// momentum") stay in model::Validate.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/config.h"

namespace sweep {

enum class KeyType { kString, kInteger, kNumber, kBool, kChoice, kIntegers };

// lo/hi with open or closed ends; hi = infinity and hi_open rejects infinity too. Printed as the
// error messages print it: "> 0", ">= 1", "in [0, 1)", then `note` (" (0 = full batch)").
struct Range {
  double lo;
  double hi;
  bool lo_open;
  bool hi_open;
  std::string_view note = "";
};

struct RowKey {
  std::string_view name;
  KeyType type;
  // Reads the row's value into the config. Errors name `key`: "epochs: expected an integer".
  Status (*set)(const std::string& key, const nlohmann::json& value, model::TrainConfig* config);
  nlohmann::json (*get)(const model::TrainConfig& config);  // as ConfigToRow writes it
  // kInteger/kNumber/kIntegers keys with a range: the value(s) to check; else nullptr.
  std::vector<double> (*values)(const model::TrainConfig& config);
  Range range;
  std::string (*choices)();       // kChoice: "relu, tanh, sigmoid"; else nullptr
  std::string_view default_text;  // "" = the TrainConfig default, printed by `get`
  std::string_view doc;           // one line, Markdown (backticks)
};

// A name another library uses for a row key ("lr" for learning_rate), or one with no equivalent
// here (`key` empty, `note` says why: "dropout").
struct KeyAlias {
  std::string_view alias;
  std::string_view key;
  std::string_view note = "";
};

// Every key, in the README's order (grouped by topic, not sorted).
std::span<const RowKey> AllRowKeys();

// The key named `name`, or nullptr.
const RowKey* FindRowKey(std::string_view name);

// The one alias table.
std::span<const KeyAlias> AllKeyAliases();

// "lr: unknown key (did you mean 'learning_rate'?)" for an alias, "lerning_rate: unknown key
// (did you mean 'learning_rate'?)" for a near miss, "dropout: unknown key (not supported: ...)"
// for a habit with no equivalent, else "NAME: unknown key".
std::string UnknownKeyMessage(std::string_view name);

// Each key's own range, in table order, one message per key out of range: "learning_rate must
// be > 0, got -1", "hidden[1] must be >= 1, got 0". Empty when all are in range.
std::vector<std::string> RangeProblems(const model::TrainConfig& config);

// Ok, or InvalidArgument listing every RangeProblems message, "; "-joined.
Status CheckRanges(const model::TrainConfig& config);

// "string", "integer", ...; "> 0", "relu, tanh, sigmoid" or ""; "0.001", "required".
std::string_view TypeName(KeyType type);
std::string RangeText(const RowKey& key);
std::string DefaultText(const RowKey& key);

// The README "Row keys" table (header line first, one line per key, each ending in '\n').
std::string RowKeysMarkdown();

// The same as aligned plain text for a terminal (no backticks).
std::string RowKeysText();

}  // namespace sweep
