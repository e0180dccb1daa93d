// Turning a trained model and its report into the published files.
#pragma once

#include <string>

#include "model/mlp.h"
#include "model/train.h"
#include "storage/keras_h5.h"
#include "sweep/result.h"

namespace sweep::worker {

// Keras Dense layers named dense, dense_1, ...; kernels copied as row-major inputs x units.
storage::ModelFile ToModelFile(const model::Mlp& mlp);

// Fills metrics and history of `result` from the training report and the test metrics.
void FillMetrics(const model::TrainReport& report, const model::Metrics& test, RunResult* result);

}  // namespace sweep::worker
