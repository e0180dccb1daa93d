// Turning a trained model and its report into the published files.
#pragma once

#include <optional>
#include <string>

#include "base/dataset.h"
#include "base/status.h"
#include "model/mlp.h"
#include "model/train.h"
#include "storage/keras_h5.h"
#include "storage/result.h"
#include "storage/store.h"

namespace sweep::worker {

// Keras Dense layers named dense, dense_1, ...; kernels copied as row-major inputs x units.
storage::ModelFile ToModelFile(const model::Mlp& mlp);

// What inference needs from the training set: sample_shape, class_names and preprocessing into
// the model file; input_shape (sample_shape, or {cols}) and class_names into the result.
void DescribeInputs(const Dataset& data, storage::ModelFile* file, storage::RunResult* result);

// Fills metrics and history of `result` from the training report and the test metrics.
void FillMetrics(const model::TrainReport& report, const model::Metrics& test,
                 storage::RunResult* result);

// Removes the temp files a SIGKILLed earlier run of row `index` left in its folders ({index}/,
// model/, checkpoint/, bands/: a checkpoint's is megabytes; no later run counts or removes them
// otherwise), those whose writer is not alive (RemoveStaleTemps). Local stores only: an object
// store has no partial objects. Every publish of the row (model, result, band record) calls it.
void RemoveStaleRowTemps(storage::Store& store, int index);

// Publishes {index}/model/model.h5, then {index}/result.json from `result` (its `model` field
// set, and the inputs described by `data`, the training set), each atomically; result.json last:
// its presence means the row is complete. The model's write and syncs run on a second thread while
// result.json is serialised and, in a local store, written and synced to its temp file; only its
// rename waits for the model.
Status Publish(storage::Store& store, int index, const model::Mlp& mlp, const Dataset& data,
               storage::RunResult* result);

// Publishes {index}/result.json alone, atomically, for a row whose training diverged (no usable
// weights: no model.h5), the inputs described by `data`. In a local store it then removes a
// model.h5 that an earlier run of the row left, so the folder holds no model the result does
// not name (result.json first: a crash in between leaves a diverged result beside a stale file
// it does not name, never a model without its result).
Status PublishResultOnly(storage::Store& store, int index, const Dataset& data,
                         storage::RunResult* result);

// The record at `key` (a result.json or a band record) when it parses and says the row finished
// (succeeded or diverged); nullopt when it is missing, unreadable as a record, or failed.
// Errors: what the store's Get returns other than NotFound.
StatusOr<std::optional<storage::RunResult>> ReadFinished(storage::Store& store,
                                                         const std::string& key);

}  // namespace sweep::worker
