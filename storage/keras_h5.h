// model.h5: a Keras 2 full-model file, as `model.save("model.h5")` writes it for a Sequential of
// Dense layers, plus our own attributes. `keras.models.load_model("model.h5")` rebuilds the model
// from model_config; `model.load_weights("model.h5")` (Keras 2 and 3) finds the weights under
// /model_weights by itself. No training_config: the model loads uncompiled.
//
// Layout (format version 2):
//   /  @backend "tensorflow"  @keras_version "2.13.1"
//      @model_config  Keras JSON {"class_name": "Sequential", ...} to rebuild the architecture
//      @sweep_format_version  int 2
//      @<attributes>  any extra string attributes (sweep_params, sweep_metrics as JSON)
//   /model_weights  @layer_names vlen ASCII string[L] "dense", "dense_1", ...
//                   @backend, @keras_version as above
//      /<layer>/  @weight_names ["<layer>/kernel:0", "<layer>/bias:0"]
//         <layer>/kernel:0  float32 [inputs, units], row-major
//         <layer>/bias:0    float32 [units]
//      /top_level_model_weights  @weight_names empty float64[0]
// Version 1 (until 2026-11) had the /model_weights contents at the root; ReadModelFile reads
// both, and Keras 2 save_weights files.
// Written with HDF5 file locking disabled (it fails on NFS/EFS) and published atomically.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/status.h"

namespace sweep::storage {

inline constexpr int kModelFormatVersion = 2;

struct DenseWeights {
  std::string name;  // "dense", "dense_1", ...
  int inputs = 0;
  int units = 0;
  std::vector<float> kernel;  // inputs * units, row-major (Keras layout)
  std::vector<float> bias;    // units
  std::string activation;     // Keras name: relu, tanh, sigmoid, softmax, linear
};

struct ModelFile {
  std::vector<DenseWeights> layers;
  std::map<std::string, std::string> attributes;  // extra root string attributes
  int format_version = kModelFormatVersion;       // filled in by ReadModelFile
};

// Writes to a temp file beside `path`, fsyncs and renames. Requires: layers chain
// (layers[k].units == layers[k+1].inputs) and sizes match. Errors: Unavailable, InvalidArgument.
Status WriteModelFile(const std::string& path, const ModelFile& model);

// Reads a file written by WriteModelFile (either version), or by Keras 2 save_weights or
// model.save (vlen or fixed strings).
// Errors: NotFound, Corruption.
StatusOr<ModelFile> ReadModelFile(const std::string& path);

// The Keras `model_config` JSON of a Sequential of these Dense layers.
std::string KerasModelConfig(const std::vector<DenseWeights>& layers);

}  // namespace sweep::storage
