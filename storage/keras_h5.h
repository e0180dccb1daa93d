// model.h5: a Keras 2 full-model file, as `model.save("model.h5")` writes it for a Sequential of
// Dense layers (after a Flatten when a sample has more than one dimension, e.g. 28x28 images),
// plus our own attributes. `keras.models.load_model("model.h5")` rebuilds the model from
// model_config and predicts on samples of the trained shape (x_test[:1] of shape [1, 28, 28]);
// `model.load_weights("model.h5")` (Keras 2 and 3) finds the weights under /model_weights by
// itself. No training_config: the model loads uncompiled.
//
// Layout (format version 2):
//   /  @backend "tensorflow"  @keras_version "2.13.1"
//      @model_config  Keras JSON {"class_name": "Sequential", ...} to rebuild the architecture:
//                     flat samples: InputLayer "dense_input" + Dense layers, the first with
//                     batch_input_shape [null, inputs]; samples of shape [H, W, ...]:
//                     InputLayer "flatten_input" and Flatten "flatten", both with
//                     batch_input_shape [null, H, W, ...], then the Dense layers
//      @sweep_format_version  int 2
//      @sweep_input_shape     JSON array, one sample's shape: [784] or [28, 28]
//      @sweep_class_names     JSON array of strings, class index -> name (only when named)
//      @sweep_preprocessing   JSON object, what was done to raw inputs before training, e.g.
//                             {"input_dtype":"uint8","scale":0.00392156862745098} (only when any)
//      @<attributes>  any extra string attributes (sweep_params, sweep_metrics as JSON)
//   /model_weights  @layer_names vlen ASCII string[L] ["flatten",] "dense", "dense_1", ...
//                   @backend, @keras_version as above
//      /flatten/  @weight_names empty float64[0] (weightless, as Keras writes it)
//      /<layer>/  @weight_names ["<layer>/kernel:0", "<layer>/bias:0"]
//         <layer>/kernel:0  float32 [inputs, units], row-major
//         <layer>/bias:0    float32 [units]
//      /top_level_model_weights  @weight_names empty float64[0]
// The sweep_input_shape/class_names/preprocessing attributes and the Flatten layer were added
// within version 2: they are additive (older readers see extra root attributes and a
// weightless layer they skip), so the version was not bumped. Files without them read as
// sample_shape from model_config's batch_input_shape, no class names, no preprocessing.
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
inline constexpr const char* kFlattenLayerName = "flatten";

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
  // What inference needs (base/dataset.h has the same three fields):
  std::vector<int> sample_shape;         // one sample's shape; empty = {layers[0].inputs} when
                                         // writing; ReadModelFile always fills it
  std::vector<std::string> class_names;  // class index -> name; empty = unnamed classes
  std::string preprocessing;             // JSON object; "" = none
};

// Writes to a temp file beside `path`, fsyncs and renames. Requires: layers chain
// (layers[k].units == layers[k+1].inputs) and sizes match; sample_shape's product is
// layers[0].inputs; class_names, when any, one per output unit; preprocessing "" or a JSON
// object; with a multi-dimensional sample_shape no layer named "flatten".
// Errors: Unavailable, InvalidArgument.
Status WriteModelFile(const std::string& path, const ModelFile& model);

// Reads a file written by WriteModelFile (either version), or by Keras 2 save_weights or
// model.save (vlen or fixed strings).
// Errors: NotFound, Corruption.
StatusOr<ModelFile> ReadModelFile(const std::string& path);

// The Keras `model_config` JSON of a Sequential of these Dense layers, after a Flatten when
// `sample_shape` has more than one dimension (storage/keras_config.cc).
std::string KerasModelConfig(const std::vector<DenseWeights>& layers,
                             const std::vector<int>& sample_shape = {});

// What ReadModelFile takes from a model_config; missing or unparsable parts stay empty.
struct ModelConfigInfo {
  std::map<std::string, std::string> activations;  // by layer name
  std::vector<int> sample_shape;                   // the first batch_input_shape, less the batch
};
ModelConfigInfo ParseModelConfig(const std::string& config);

}  // namespace sweep::storage
