// A model.h5 turned into what answers requests: the Mlp, the input it takes, its class names,
// and the row it came from (params, metrics, version). Immutable once loaded: the server shares
// one between its threads and swaps in a new one whole (serve/model_registry.h).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/mlp.h"
#include "storage/result.h"
#include "sweep/predict/tensor_json.h"

namespace sweep::predict {

struct LoadedModel {
  int version = 1;     // the row index; 1 for a model.h5 outside a sweep
  std::string source;  // the model.h5 path or URI it was read from
  model::Mlp mlp;
  InputSpec input;                       // width and the sample shape ([28, 28])
  std::vector<std::string> class_names;  // empty: classes are numbered
  std::string preprocessing;             // what the worker applied to the raw data (JSON text)
  nlohmann::json params = nlohmann::json::object();   // the row's hyperparameters
  nlohmann::json metrics = nlohmann::json::object();  // its published metrics

  bool classifier() const { return mlp.output() == model::OutputKind::kSoftmax; }
  int outputs() const { return mlp.outputs(); }
  // Class `k`'s name, or its number when the model has no names.
  std::string ClassName(int k) const;
};

// Reads a model.h5 (local path, s3:// or gs:// URI; fetched into the local cache first) and
// checks it answers: one forward pass of a zero sample must give finite outputs (probabilities
// summing to 1). `result`, when known, gives the version, params and metrics. The HDF5 file is
// read in a reader process (storage/model_isolated.h): a crafted file that crashes or hangs
// libhdf5 is a Corruption here, never a crash of the server; the program's main() must call
// storage::RunModelReaderIfAsked first.
// Errors: NotFound, Corruption (not a model this product can serve, with the reason).
StatusOr<std::shared_ptr<const LoadedModel>> LoadModel(const std::string& path_or_uri,
                                                       const storage::RunResult* result);

}  // namespace sweep::predict
