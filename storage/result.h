// result.json: the record a worker publishes for its index, written last (its presence means
// the row finished: succeeded, failed or diverged). Format version 2 (version 1 lacks
// "diverged"); a file is written with the oldest version that holds it, 1 unless diverged, so
// an older reader still reads every other result:
// {
//   "format_version": 1, "index": 2, "status": "succeeded" | "failed" | "diverged",
//   "params": {...resolved row keys...},
//   "metrics": {"train_loss": .., "train_accuracy": .., "val_loss": .., "val_accuracy": ..,
//               "test_loss": .., "test_accuracy": ..},     (only those that apply)
//   "history": [{"epoch": 1, "train_loss": .., "train_accuracy": .., "val_loss": ..,
//                "val_accuracy": .., "seconds": ..}, ...],
//   "epochs": 3, "best_epoch": 3, "stopped_early": false,
//   "seconds": 12.5, "attempt": 1, "host": "ip-10-0-0-1",
//   "finished_at": "2026-12-04T21:30:05.123Z",   (UTC, when the worker published; absent in
//                                                 files from before 2026-12) "version": "0.1.0",
//   "model": "model/model.h5",   (relative to the index folder; absent unless succeeded)
//   "input_shape": [28, 28],     one sample's shape, as model.h5's sweep_input_shape (when known)
//   "class_names": ["Iris-setosa", ...],  class index -> name (only when the labels were names)
//   "resumes": [{"attempt": 2, "epoch": 3, "step": 17}],  each time training went on from a
//                                checkpoint (step: mini-batches of that epoch already done);
//                                absent when it never stopped
//   "error": "...", "exit_code": 2    (when failed)
//   "error": "diverged at epoch 3 (step 12): train loss nan", "diverged_epoch": 3,
//   "diverged_step": 12               (when diverged: a non-finite loss stopped training; the
//                                      metrics and history are the finite epochs', no model)
// }
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace sweep::storage {

inline constexpr int kResultFormatVersion = 2;  // the newest this program reads

enum class ResultStatus { kSucceeded, kFailed, kDiverged };

std::string_view ResultStatusName(ResultStatus status);  // "succeeded", "failed", "diverged"

struct RunResult {
  int index = -1;
  ResultStatus status = ResultStatus::kFailed;
  nlohmann::json params = nlohmann::json::object();
  std::map<std::string, double> metrics;
  nlohmann::json history = nlohmann::json::array();
  int epochs = 0;
  int best_epoch = 0;
  bool stopped_early = false;
  double seconds = 0;
  int attempt = 1;
  std::string host;
  std::string finished_at;  // UTC "2026-12-04T21:30:05.123Z" when published; "" in older files
  std::string version;
  std::string model;                     // relative path of model.h5, "" unless succeeded
  std::vector<int> input_shape;          // one sample's shape; empty = unknown (not written)
  std::vector<std::string> class_names;  // empty = unnamed classes (not written)
  nlohmann::json resumes = nlohmann::json::array();  // {attempt, epoch, step}; empty: not written
  std::string error;                                 // when failed or diverged: why
  int exit_code = 0;                                 // when failed
  int diverged_epoch = 0;     // when diverged: 1-based epoch of the non-finite loss
  int64_t diverged_step = 0;  // when diverged: 1-based optimizer step of it

  bool succeeded() const { return status == ResultStatus::kSucceeded; }
};

nlohmann::json ToJson(const RunResult& r);
std::string ToJsonText(const RunResult& r);  // pretty, trailing newline
// Never throws: a half-written, corrupt or foreign file is Corruption naming what is wrong.
StatusOr<RunResult> ParseResult(std::string_view text);

}  // namespace sweep::storage
