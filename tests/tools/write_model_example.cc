// Test-only tool: writes a known 4 -> 3 -> 2 model with WriteModelFile, and the values a Keras
// reader must see as JSON, for tests/h5py_keras_check.py (ctest keras_h5_h5py*).
//
//   write_model_example OUT.h5 EXPECT.json [--transposed | --flatten]
// --transposed stores each kernel column-major (the silent Eigen bug of keras-h5.md §4), so the
// checker can be shown to catch it. --flatten makes the 4 inputs a 2x2 sample (a Flatten layer
// first), with class names and preprocessing.
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

#include "base/file.h"
#include "storage/keras_h5.h"

namespace {

using sweep::storage::DenseWeights;

// Distinct, asymmetric values: W[i][j] = layer + i + j / 10.
float KernelValue(int layer, int i, int j) { return layer + i + j / 10.0f; }

DenseWeights Layer(int index, const char* name, int inputs, int units, bool transposed) {
  DenseWeights l{name, inputs, units, {}, {}, index == 0 ? "relu" : "softmax"};
  l.kernel.resize(static_cast<size_t>(inputs) * units);
  for (int i = 0; i < inputs; ++i) {
    for (int j = 0; j < units; ++j) {
      size_t at = transposed ? size_t(j) * inputs + i : size_t(i) * units + j;
      l.kernel[at] = KernelValue(index, i, j);
    }
  }
  for (int j = 0; j < units; ++j) l.bias.push_back(-0.5f * (j + 1));
  return l;
}

// Built from KernelValue directly, not from the DenseWeights vectors.
nlohmann::json Expectation(const std::vector<DenseWeights>& layers) {
  nlohmann::json out = {{"layers", nlohmann::json::array()}};
  for (size_t k = 0; k < layers.size(); ++k) {
    nlohmann::json kernel = nlohmann::json::array();
    for (int i = 0; i < layers[k].inputs; ++i) {
      nlohmann::json row = nlohmann::json::array();
      for (int j = 0; j < layers[k].units; ++j) row.push_back(KernelValue(int(k), i, j));
      kernel.push_back(row);
    }
    nlohmann::json bias = nlohmann::json::array();
    for (int j = 0; j < layers[k].units; ++j) bias.push_back(-0.5f * (j + 1));
    out["layers"].push_back({{"name", layers[k].name}, {"kernel", kernel}, {"bias", bias}});
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s OUT.h5 EXPECT.json [--transposed | --flatten]\n", argv[0]);
    return 2;
  }
  bool transposed = argc > 3 && std::strcmp(argv[3], "--transposed") == 0;
  sweep::storage::ModelFile model;
  model.layers = {Layer(0, "dense", 4, 3, transposed), Layer(1, "dense_1", 3, 2, transposed)};
  model.attributes["sweep_params"] = R"({"example": true})";
  if (argc > 3 && std::strcmp(argv[3], "--flatten") == 0) {
    model.sample_shape = {2, 2};
    model.class_names = {"cat", "dog"};
    model.preprocessing = R"({"input_dtype":"uint8","scale":0.00392156862745098})";
  }
  sweep::Status s = sweep::storage::WriteModelFile(argv[1], model);
  if (s.ok()) s = sweep::WriteFileAtomic(argv[2], Expectation(model.layers).dump(1));
  if (!s.ok()) {
    std::fprintf(stderr, "write_model_example: %s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}
