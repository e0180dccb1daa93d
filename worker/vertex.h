// Vertex AI custom training (https://cloud.google.com/vertex-ai/docs/training/code-requirements):
// what Vertex sets for a CustomJob and for each trial of a HyperparameterTuningJob, and the
// metric report the trial's tuning service reads (what Google's cloudml-hypertune writes).
//
//   AIP_MODEL_DIR        after the usual publish, the worker exports model.h5 and result.json
//                        here, flat (storage/layout.h ExportModelKey), which is where a Vertex
//                        Model's artifactUri points and where `sweep serve` with
//                        AIP_STORAGE_URI finds them
//   AIP_CHECKPOINT_DIR   the row's checkpoints go here instead of the results root
//   CLOUD_ML_TRIAL_ID    a tuning trial: the parameters arrive as "--name=value" or
//                        "--name value" flags and become row overrides (as --set name=value);
//                        the row is --index or an engine's index variable, else 0; the metric is
//                        reported to CLOUD_ML_HP_METRIC_FILE (default
//                        /tmp/hypertune/output.metrics)
// A trial reports after every epoch (the intermediate measurements Vertex's automated stopping
// reads) and once more after the publish, with result.json's value (global_step = epochs).
// Metric file: one JSON object a line, keys sorted, as hypertune.py's json.dumps(sort_keys=True):
//   {"checkpoint_path": "", "global_step": "30", "timestamp": 1767225600.25, "trial": "3",
//    "val_accuracy": "0.95"}
// every value a string but the timestamp (seconds since the epoch); the whole file rewritten
// (temp file + rename) with the last 100 reports.
#pragma once

#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "model/train.h"
#include "storage/result.h"
#include "storage/store.h"
#include "worker/index.h"

namespace sweep::worker {

struct VertexTraining {
  std::string model_dir;       // AIP_MODEL_DIR ("" = no export)
  std::string checkpoint_dir;  // AIP_CHECKPOINT_DIR ("" = the results root)
  std::string trial_id;        // CLOUD_ML_TRIAL_ID ("" = not a tuning trial)
  std::string metric_file;     // where a trial reports its metric
  std::string metric;          // which metric of result.json to report ("" = the default)
};

VertexTraining VertexFromEnv(const EnvFn& env);

// The stores AIP_MODEL_DIR and AIP_CHECKPOINT_DIR name (null when unset), each checked
// writable, before any training. Errors: as OpenStore and CheckWritable.
struct VertexStores {
  std::unique_ptr<storage::Store> model_dir;
  std::unique_ptr<storage::Store> checkpoints;
};
StatusOr<VertexStores> OpenVertexStores(const VertexTraining& vertex);

// Reports epoch `e` of a trial (nothing outside a trial). A write failure is a warning: the
// final report after the publish is the one that counts.
void ReportTrialEpoch(const VertexTraining& vertex, const model::EpochRecord& e);

// After row `result.index` was published to `results`: exports model.h5, then result.json
// (naming it), to `stores.model_dir`, and reports the metric when this is a trial.
Status FinishVertexRow(const VertexTraining& vertex, const VertexStores& stores,
                       storage::Store& results, const storage::RunResult& result);

// A trial's leftover command-line words as overrides: {"--learning_rate=0.01", "--hidden",
// "[64]"} -> {"learning_rate=0.01", "hidden=[64]"}. Errors: InvalidArgument for a word that is
// not a "--name" flag or a flag without a value.
StatusOr<std::vector<std::string>> TrialOverrides(const std::vector<std::string>& words);

// The metric a trial reports: `name` when given (InvalidArgument when result.json lacks it),
// else the first of val_accuracy, train_accuracy, val_loss, train_loss that is there.
StatusOr<std::pair<std::string, double>> HypertuneMetric(const std::map<std::string, double>& m,
                                                         const std::string& name);

// The metric an epoch reports: as HypertuneMetric, over the epoch's train_* and val_* values
// (a NaN one is absent); nullopt when the named metric is not among them (test_*).
std::optional<std::pair<std::string, double>> EpochMetric(const model::EpochRecord& e,
                                                          const std::string& name);

// One report line, as above (no newline). `timestamp` in seconds since the epoch.
std::string HypertuneLine(const std::string& tag, double value, const std::string& trial,
                          int64_t global_step, double timestamp);

// Appends `line` to the metric file at `path`, keeping the last 100 lines (its folder is
// created). Errors: Unavailable when it cannot be written.
Status ReportHypertuneMetric(const std::string& path, const std::string& line);

}  // namespace sweep::worker
