// model.h5's Keras `model_config` JSON: written as Keras 2.13's model.save writes it for a
// Sequential of Dense layers (after a Flatten for multi-dimensional samples), and read back
// from files of any Keras 2 writer.
#include <nlohmann/json.hpp>

#include "storage/keras_h5.h"

namespace sweep::storage {
namespace {

using Json = nlohmann::ordered_json;  // Keras' key order, easier to compare by eye

// Keras' legacy {"class_name", "config"} form of one InputLayer.
Json InputLayer(const Json& batch_input_shape, const std::string& name) {
  return {{"class_name", "InputLayer"},
          {"config",
           {{"batch_input_shape", batch_input_shape},
            {"dtype", "float32"},
            {"sparse", false},
            {"ragged", false},
            {"name", name}}}};
}

// Base Layer.get_config then Flatten's data_format.
Json FlattenLayer(const Json& batch_input_shape) {
  return {{"class_name", "Flatten"},
          {"config",
           {{"name", kFlattenLayerName},
            {"trainable", true},
            {"dtype", "float32"},
            {"batch_input_shape", batch_input_shape},
            {"data_format", "channels_last"}}}};
}

// `batch_input_shape` only on the model's first layer (null when a Flatten comes first).
Json DenseLayer(const DenseWeights& l, const Json& batch_input_shape) {
  Json c = {{"name", l.name}, {"trainable", true}, {"dtype", "float32"}};
  if (!batch_input_shape.is_null()) c["batch_input_shape"] = batch_input_shape;
  c["units"] = l.units;
  c["activation"] = l.activation.empty() ? "linear" : l.activation;
  c["use_bias"] = true;
  c["kernel_initializer"] = {{"class_name", "GlorotUniform"}, {"config", {{"seed", nullptr}}}};
  c["bias_initializer"] = {{"class_name", "Zeros"}, {"config", Json::object()}};
  for (const char* key : {"kernel_regularizer", "bias_regularizer", "activity_regularizer",
                          "kernel_constraint", "bias_constraint"}) {
    c[key] = nullptr;
  }
  return {{"class_name", "Dense"}, {"config", std::move(c)}};
}

// [d1, d2, ...] of a batch_input_shape [null, d1, d2, ...]; empty when not that.
std::vector<int> SampleShapeOf(const nlohmann::json& shape) {
  std::vector<int> out;
  if (!shape.is_array() || shape.size() < 2 || !shape[0].is_null()) return {};
  for (size_t i = 1; i < shape.size(); ++i) {
    if (!shape[i].is_number_integer() || shape[i].get<int64_t>() <= 0) return {};
    out.push_back(shape[i].get<int>());
  }
  return out;
}

}  // namespace

std::string KerasModelConfig(const std::vector<DenseWeights>& layers,
                             const std::vector<int>& sample_shape) {
  Json list = Json::array();
  bool flatten = sample_shape.size() > 1;
  Json input_shape = Json::array({nullptr});
  if (flatten) {
    for (int d : sample_shape) input_shape.push_back(d);
  } else {
    input_shape.push_back(layers.empty() ? 0 : layers[0].inputs);
  }
  if (flatten) {
    list.push_back(InputLayer(input_shape, std::string(kFlattenLayerName) + "_input"));
    list.push_back(FlattenLayer(input_shape));
  } else if (!layers.empty()) {
    list.push_back(InputLayer(input_shape, layers[0].name + "_input"));
  }
  for (size_t k = 0; k < layers.size(); ++k) {
    list.push_back(DenseLayer(layers[k], k == 0 && !flatten ? input_shape : Json()));
  }
  Json model = {{"class_name", "Sequential"},
                {"config", {{"name", "sequential"}, {"layers", std::move(list)}}}};
  return model.dump();
}

ModelConfigInfo ParseModelConfig(const std::string& config) {
  ModelConfigInfo out;
  nlohmann::json j = nlohmann::json::parse(config, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("config") || !j["config"].is_object()) return out;
  const auto& layers = j["config"].value("layers", nlohmann::json::array());
  if (!layers.is_array()) return out;
  for (const auto& layer : layers) {
    if (!layer.is_object() || !layer.contains("config") || !layer["config"].is_object()) continue;
    const auto& c = layer["config"];
    if (out.sample_shape.empty() && c.contains("batch_input_shape")) {
      out.sample_shape = SampleShapeOf(c["batch_input_shape"]);
    }
    if (c.contains("name") && c["name"].is_string() && c.contains("activation") &&
        c["activation"].is_string()) {
      out.activations[c["name"].get<std::string>()] = c["activation"].get<std::string>();
    }
  }
  return out;
}

}  // namespace sweep::storage
