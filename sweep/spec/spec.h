// Sweep specs: what a hyperparameter file says, expanded into concrete rows.
//
// Accepted forms (YAML):
//   1. A sequence of mappings: each mapping is one row (what `yaml.load(f)[index]` reads).
//   2. A mapping with `runs:` (sequence of mappings), optional `defaults:` (mapping) and
//      `metric:`: each row is `defaults` with the run's keys written over it.
//   3. A W&B-style sweep: `method: grid|random`, `parameters:` (value / values / distribution
//      ...), optional `metric: {name, goal}`, `run_cap`, `seed` (default 0), `defaults`
//      (fixed keys, overridden by a parameter of the same name). `command`, `program`, `name`,
//      `description`, `project`, `entity` are ignored. `early_terminate: {type: hyperband, ...}`
//      runs the rows as successive halving (sweep/spec/early_terminate.h,
//      sweep/search/halving.h); the rows themselves are the same.
//
// Expansion is pure and deterministic (same text -> same rows in the same order on every
// machine), so a worker may be handed the spec itself and pick its row by index. Row order:
//   - list / defaults+runs: file order.
//   - grid: itertools.product over the parameters in file order, the LAST parameter varying
//     fastest; each `values` list in file order; a `value` parameter is a one-element axis.
//     `run_cap`, if given, keeps the first run_cap rows.
//   - random: `run_cap` rows; row i draws every parameter, in file order, from
//     internal::RowRng(seed, i) (xoshiro256** seeded by splitmix64 from seed and i; normals by
//     Box-Muller), so row i does not depend on run_cap or on other rows.
//   - then exact duplicate rows are dropped, the first kept (random specs may yield fewer than
//     run_cap rows when the space is small); `--set` overrides re-run this step.
// Scalars follow the YAML 1.2 core schema: true/false are booleans (yes/no/on/off are strings),
// 12 is an int, 1.5 and 1e-3 are floats (PyYAML reads 1e-3 as a string; we do not), null/~ is
// null; quoted scalars are always strings.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "sweep/spec/early_terminate.h"
#include "sweep/spec/search_space.h"

namespace sweep {

struct MetricGoal {
  std::string name = "val_accuracy";
  bool maximize = true;
};

struct Spec {
  std::string form;                               // "list", "defaults+runs", "grid" or "random"
  std::vector<nlohmann::json> rows;               // each a JSON object: row key -> value
  std::optional<MetricGoal> metric;               // from the spec's `metric:`, if any
  std::optional<EarlyTerminate> early_terminate;  // W&B form only
  // method: bayes (sweep/spec/search_space.h): rows 0..wave_size-1 are real; the later rows are
  // random placeholders that the TPE waves replace (sweep/search/tpe_waves.h).
  std::optional<BayesSearch> bayes;
  std::string base_dir;               // folder (or s3 prefix) relative data paths resolve against
  std::string source;                 // file name or URI, for messages
  std::vector<std::string> warnings;  // accepted but ignored settings; `sweep` commands print
                                      // them (PrintSpecWarnings), workers stay quiet
  nlohmann::ordered_json wandb;       // a W&B-style spec's document (VertexStudySpec); else null
};

// Parses and expands. `source` names the file in messages; `base_dir` is stored as is.
// Errors: InvalidArgument prefixed with `source`: malformed YAML names the line and column
// ("spec.yml: line 3, column 5: end of map flow not found"); shape errors the line ("spec.yml:
// line 2: row 1: expected a mapping ..."); W&B errors the key path ("spec.yml:
// parameters.lr.min: must be > 0 ..."); a spec with no rows is an error.
StatusOr<Spec> ParseSpec(std::string_view yaml_text, const std::string& source,
                         const std::string& base_dir);

// A W&B-style spec's parameters and metric as a Vertex AI StudySpec (the `studySpec` of a
// HyperparameterTuningJob, jobs/vertex/): `values` of numbers -> discreteValueSpec (sorted), of
// strings -> categoricalValueSpec, of anything else (lists, booleans) -> categoricalValueSpec of
// their JSON texts, which a trial's --name=value flag reads back as YAML; int_uniform ->
// integerValueSpec; uniform -> doubleValueSpec; log_uniform_values and log_uniform (exp of its
// bounds) -> doubleValueSpec with UNIT_LOG_SCALE; constants stay in the trials' base row (the
// spec's row 0, whose drawn values the trials' flags replace). `metric` -> metrics (default
// val_accuracy, maximize); grid -> GRID_SEARCH, random -> RANDOM_SEARCH.
// Errors: InvalidArgument for another spec form, and for what Vertex cannot draw (normal
// distributions, q-quantised ones, categorical probabilities), naming the parameter.
StatusOr<nlohmann::json> VertexStudySpec(const Spec& spec);

// Reads a local file and parses it; base_dir = the file's folder.
StatusOr<Spec> LoadSpecFile(const std::string& path);

// FetchInput (local path, s3:// or gs:// URI), LoadSpecFile, then ApplyOverrides(sets). For an URI,
// `source` is the URI and `base_dir` its prefix.
StatusOr<Spec> LoadSpec(const std::string& path_or_uri, const std::vector<std::string>& sets);

// Logs each of spec.warnings as "warning: SOURCE: TEXT" (the `sweep` commands call it once per
// spec; workers do not, so a 10,000-row array does not print it 10,000 times).
void LogSpecWarnings(const Spec& spec);

// Resolves a dataset path from a row: synthetic:, s3://, gs:// and absolute paths as they are,
// others relative to `base_dir` (a folder or an object prefix). The worker reads what this gives.
std::string ResolveDataPath(const std::string& path, const std::string& base_dir);

// Probes every distinct `dataset` and `test_dataset` of the rows, with the row's `skip_rows`
// (storage::ProbeInput: a HEAD for s3://, magic bytes and a CSV's first lines for local files;
// skip_rows only for CSV) and returns one line per input that cannot be read, naming the rows
// that use it: "dataset of rows 0-2, 5: data/train.csv: no such file". Rows whose value is not
// a string are left to ValidateRows.
std::vector<std::string> CheckInputs(const Spec& spec);

// Applies `--set key=value` overrides to every row (value parsed as a YAML scalar or flow
// sequence: "epochs=1", "hidden=[64,32]"), then drops duplicates again.
Status ApplyOverrides(const std::vector<std::string>& sets, Spec* spec);

// Stable content hash of the rows: FNV-1a 64 of the canonical JSON dump (sorted keys, shortest
// round-trip numbers), 16 hex digits. Used to refuse running a different spec into storage.
std::string RowsHash(const std::vector<nlohmann::json>& rows);
// The same hash of one row: the plan keeps one per row, so a changed spec reruns only the rows
// that changed (sweep/spec/replan.h).
std::string RowHash(const nlohmann::json& row);

// The rows as a YAML sequence (one flow mapping per row, keys in sorted order). Floats print
// as the shortest text that round-trips (0.001, 2.0); strings that would read back as another
// type, or as a YAML 1.1 boolean (yes/no/on/off), are double-quoted. ParseSpec reads it back
// to the same rows.
std::string RowsToYaml(const std::vector<nlohmann::json>& rows);

}  // namespace sweep
