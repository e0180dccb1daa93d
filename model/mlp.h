// Mlp: the parameters of a multi-layer perceptron (float32), nothing else.
//
// Layer k maps inputs -> units as y = act(W x + b). W is stored column-major with shape
// units x inputs, whose bytes are exactly a row-major inputs x units matrix: the Keras Dense
// kernel layout (see storage/keras_h5.h), so export is a memcpy.
// Scratch (activations, gradients, RNG) lives in the trainer's Workspace, never here.
// Thread-safety: const methods may be called concurrently.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string_view>
#include <vector>

#include "model/config.h"

namespace sweep::model {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic>;  // column-major
using Vector = Eigen::Matrix<float, Eigen::Dynamic, 1>;

enum class OutputKind { kSoftmax, kLinear };  // last layer: softmax (classes) or identity

struct DenseLayer {
  Matrix w;  // units x inputs
  Vector b;  // units
};

class Mlp {
 public:
  Mlp() = default;
  // Requires: inputs >= 1, outputs >= 1, every hidden width >= 1.
  // Initialises weights from `seed` (He or Xavier uniform per `init`), biases zero.
  // Init::kAuto: He for relu hidden layers, Xavier for other hidden layers and the output layer.
  Mlp(int inputs, const std::vector<int>& hidden, int outputs, Activation activation,
      OutputKind output, Init init, uint64_t seed);

  int inputs() const;
  int outputs() const;
  Activation activation() const { return activation_; }
  OutputKind output() const { return output_; }
  const std::vector<DenseLayer>& layers() const { return layers_; }
  std::vector<DenseLayer>& mutable_layers() { return layers_; }
  int64_t ParameterCount() const;
  // Every parameter, flat in ParameterLayout order (per layer: w column-major, then b).
  std::vector<float> FlatParameters() const;
  // The inverse, into the existing storage (pointers into the layers stay valid).
  // Requires: values.size() == ParameterCount().
  void SetFlatParameters(const std::vector<float>& values);

  // Keras activation name of layer k: "relu"/"tanh"/"sigmoid", last "softmax"/"linear".
  std::string_view ActivationName(size_t k) const;

 private:
  std::vector<DenseLayer> layers_;
  Activation activation_ = Activation::kRelu;
  OutputKind output_ = OutputKind::kSoftmax;
};

}  // namespace sweep::model
