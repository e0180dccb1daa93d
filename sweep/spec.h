// Sweep specs: what a hyperparameter file says, expanded into concrete rows.
//
// Accepted forms (YAML):
//   1. A sequence of mappings: each mapping is one row (what `yaml.load(f)[index]` reads).
//   2. A mapping with `defaults:` (mapping) and `runs:` (sequence): rows merged over defaults.
//   3. A W&B-style sweep: `method: grid|random`, `parameters:` (value / values / distribution ...),
//      optional `metric: {name, goal}`, `run_cap`, `seed`, `defaults`.
// Expansion is pure and deterministic (same text -> same rows in the same order on every
// machine), so a worker may be handed the spec itself and pick its row by index. The order is
// documented in README.md "Specs". Exact duplicate rows are dropped (first one kept).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace sweep {

struct MetricGoal {
  std::string name = "val_accuracy";
  bool maximize = true;
};

struct Spec {
  std::string form;                  // "list", "defaults+runs", "grid" or "random"
  std::vector<nlohmann::json> rows;  // each a JSON object: row key -> value
  std::optional<MetricGoal> metric;  // from the spec's `metric:`, if any
  std::string base_dir;              // folder (or s3 prefix) relative data paths resolve against
  std::string source;                // file name or URI, for messages
};

// Parses and expands. `source` names the file in messages; `base_dir` is stored as is.
// Errors: InvalidArgument naming the line or key ("spec.yml: line 3: ...").
StatusOr<Spec> ParseSpec(std::string_view yaml_text, const std::string& source,
                         const std::string& base_dir);

// Reads a local file and parses it; base_dir = the file's folder.
StatusOr<Spec> LoadSpecFile(const std::string& path);

// Applies `--set key=value` overrides to every row (value parsed as a YAML scalar or flow
// sequence: "epochs=1", "hidden=[64,32]"), then drops duplicates again.
Status ApplyOverrides(const std::vector<std::string>& sets, Spec* spec);

// Stable content hash of the rows (hex), used to refuse running a different spec into storage.
std::string RowsHash(const std::vector<nlohmann::json>& rows);

// The rows as a YAML sequence (one flow mapping per row, keys in sorted order).
std::string RowsToYaml(const std::vector<nlohmann::json>& rows);

}  // namespace sweep
