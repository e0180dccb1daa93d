// `sweep predict MODEL INPUT`: one line per input row with the predicted class (its name when
// the model has names), the probability, and the true label when the input has one; then the
// accuracy. The command in sweep/cmd_predict.cc only parses flags and calls RunPredict.
#pragma once

#include <string>

#include "base/status.h"

namespace sweep::predict {

struct PredictOptions {
  std::string model;  // model.h5, ROOT/{index} or ROOT (model_source.h)
  std::string input;  // anything the worker reads (CSV, IDX, HDF5, s3://, gs://) or a .json body
  std::string policy = "best";
  std::string format = "table";  // table | csv | json
  std::string output;            // "" = stdout
  int top = 1;                   // classes shown per row, most probable first
  int threads = 0;               // 0 = the CPU quota
};

// Errors: InvalidArgument (bad flags, input that does not fit the model), NotFound, Corruption.
Status RunPredict(const PredictOptions& options);

}  // namespace sweep::predict
