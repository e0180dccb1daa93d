// Writes and reads model.h5 in Keras 2's full-model layout (model.save("m.h5")): the weights
// layout of save_weights under /model_weights, model_config at the root.
#include "storage/keras_h5.h"

#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "base/file.h"
#include "data/hdf5_util.h"

namespace sweep::storage {
namespace {

namespace h5 = data::h5;
using h5::Handle;

constexpr const char* kKerasVersion = "2.13.1";
constexpr size_t kHeaderLimit = 64512;  // Keras' HDF5_OBJECT_HEADER_LIMIT

const std::set<std::string>& ReservedAttributes() {
  static const std::set<std::string> names = {"layer_names",     "backend",
                                              "keras_version",   "model_config",
                                              "training_config", "sweep_format_version"};
  return names;
}

bool IsReserved(const std::string& name) {
  if (ReservedAttributes().count(name)) return true;
  return name.rfind("layer_names", 0) == 0;  // split lists: layer_names0, layer_names1, ...
}

std::string KernelName(const DenseWeights& l) { return l.name + "/kernel:0"; }
std::string BiasName(const DenseWeights& l) { return l.name + "/bias:0"; }

Status ValidateModel(const ModelFile& model) {
  if (model.layers.empty()) return Status::InvalidArgument("model has no layers");
  std::set<std::string> seen;
  for (size_t k = 0; k < model.layers.size(); ++k) {
    const DenseWeights& l = model.layers[k];
    std::string where = "layer " + std::to_string(k) + " '" + l.name + "'";
    if (l.name.empty() || l.name.find('/') != std::string::npos || l.name == "." ||
        l.name == "top_level_model_weights" || !seen.insert(l.name).second) {
      return Status::InvalidArgument(where + ": empty, duplicate or reserved name, or has '/'");
    }
    if (l.inputs <= 0 || l.units <= 0) return Status::InvalidArgument(where + ": empty shape");
    if (l.kernel.size() != static_cast<size_t>(l.inputs) * l.units ||
        l.bias.size() != static_cast<size_t>(l.units)) {
      return Status::InvalidArgument(where + ": kernel/bias sizes do not match inputs x units");
    }
    if (k + 1 < model.layers.size() && model.layers[k + 1].inputs != l.units) {
      return Status::InvalidArgument(where + ": units do not match the next layer's inputs");
    }
  }
  for (const auto& [name, value] : model.attributes) {
    if (IsReserved(name) || name.empty()) {
      return Status::InvalidArgument("attribute name '" + name + "' is reserved");
    }
  }
  return Status::Ok();
}

// Keras splits name lists whose fixed-length size exceeds the object header limit into the
// fewest equal parts (np.array_split) stored as name0, name1, ...
Status WriteNameList(h5::Id loc, const std::string& key, const std::vector<std::string>& names) {
  size_t longest = 1;
  for (const auto& n : names) longest = std::max(longest, n.size());
  if (longest > kHeaderLimit) return Status::InvalidArgument("name too long: " + key);
  if (names.size() * longest <= kHeaderLimit) return h5::WriteStringListAttribute(loc, key, names);
  size_t chunks = 2;
  while (((names.size() + chunks - 1) / chunks) * longest > kHeaderLimit) ++chunks;
  size_t begin = 0;
  for (size_t c = 0; c < chunks; ++c) {
    size_t len = names.size() / chunks + (c < names.size() % chunks ? 1 : 0);
    std::vector<std::string> part(names.begin() + begin, names.begin() + begin + len);
    SWEEP_RETURN_IF_ERROR(h5::WriteStringListAttribute(loc, key + std::to_string(c), part));
    begin += len;
  }
  return Status::Ok();
}

// Keras' load_attributes_from_hdf5_group: `key`, else key0, key1, ... ; missing = empty.
StatusOr<std::vector<std::string>> ReadNameList(h5::Id loc, const std::string& key) {
  if (h5::HasAttribute(loc, key)) return h5::ReadStringListAttribute(loc, key);
  std::vector<std::string> all;
  for (int i = 0; h5::HasAttribute(loc, key + std::to_string(i)); ++i) {
    SWEEP_ASSIGN_OR_RETURN(auto part, h5::ReadStringListAttribute(loc, key + std::to_string(i)));
    all.insert(all.end(), part.begin(), part.end());
  }
  return all;
}

Status WriteLayer(h5::Id file, const DenseWeights& l) {
  Handle group(H5Gcreate2(file, l.name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  if (!group.valid()) return h5::FromHdf5("create group " + l.name, StatusCode::kUnavailable);
  SWEEP_RETURN_IF_ERROR(WriteNameList(group.get(), "weight_names", {KernelName(l), BiasName(l)}));
  uint64_t inputs = static_cast<uint64_t>(l.inputs), units = static_cast<uint64_t>(l.units);
  SWEEP_RETURN_IF_ERROR(
      h5::WriteFloatDataset(group.get(), KernelName(l), {inputs, units}, l.kernel.data()));
  SWEEP_RETURN_IF_ERROR(h5::WriteFloatDataset(group.get(), BiasName(l), {units}, l.bias.data()));
  return group.Close("close group " + l.name);
}

Status WriteVersionAttributes(h5::Id loc) {
  SWEEP_RETURN_IF_ERROR(h5::WriteStringAttribute(loc, "backend", "tensorflow"));
  return h5::WriteStringAttribute(loc, "keras_version", kKerasVersion);
}

Status WriteRootAttributes(h5::Id file, const ModelFile& model) {
  SWEEP_RETURN_IF_ERROR(WriteVersionAttributes(file));
  SWEEP_RETURN_IF_ERROR(
      h5::WriteStringAttribute(file, "model_config", KerasModelConfig(model.layers)));
  SWEEP_RETURN_IF_ERROR(h5::WriteIntAttribute(file, "sweep_format_version", kModelFormatVersion));
  for (const auto& [name, value] : model.attributes) {
    SWEEP_RETURN_IF_ERROR(h5::WriteStringAttribute(file, name, value));
  }
  return Status::Ok();
}

// The save_weights layout: layer_names, backend, keras_version, one group per layer.
Status WriteWeights(h5::Id loc, const ModelFile& model) {
  std::vector<std::string> names;
  for (const auto& l : model.layers) names.push_back(l.name);
  SWEEP_RETURN_IF_ERROR(WriteNameList(loc, "layer_names", names));
  SWEEP_RETURN_IF_ERROR(WriteVersionAttributes(loc));
  for (const auto& l : model.layers) SWEEP_RETURN_IF_ERROR(WriteLayer(loc, l));
  Handle top(H5Gcreate2(loc, "top_level_model_weights", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  if (!top.valid()) return h5::FromHdf5("create top_level_model_weights", StatusCode::kUnavailable);
  SWEEP_RETURN_IF_ERROR(h5::WriteEmptyListAttribute(top.get(), "weight_names"));
  return top.Close("close top_level_model_weights");
}

Status WriteContents(const std::string& path, const ModelFile& model) {
  SWEEP_ASSIGN_OR_RETURN(Handle file, h5::CreateFile(path));
  SWEEP_RETURN_IF_ERROR(WriteRootAttributes(file.get(), model));
  Handle weights(H5Gcreate2(file.get(), "model_weights", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  if (!weights.valid()) return h5::FromHdf5("create model_weights", StatusCode::kUnavailable);
  SWEEP_RETURN_IF_ERROR(WriteWeights(weights.get(), model));
  SWEEP_RETURN_IF_ERROR(weights.Close("close model_weights"));
  return file.Close("close " + path);
}

// Activations by layer name from a Keras model_config; missing or unparsable -> none.
std::map<std::string, std::string> ActivationsFromConfig(const std::string& config) {
  std::map<std::string, std::string> out;
  nlohmann::json j = nlohmann::json::parse(config, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("config") || !j["config"].is_object()) return out;
  const auto& layers = j["config"].value("layers", nlohmann::json::array());
  if (!layers.is_array()) return out;
  for (const auto& layer : layers) {
    if (!layer.is_object() || !layer.contains("config") || !layer["config"].is_object()) continue;
    const auto& c = layer["config"];
    if (c.contains("name") && c["name"].is_string() && c.contains("activation") &&
        c["activation"].is_string()) {
      out[c["name"].get<std::string>()] = c["activation"].get<std::string>();
    }
  }
  return out;
}

StatusOr<DenseWeights> ReadLayer(h5::Id group, const std::string& name) {
  SWEEP_ASSIGN_OR_RETURN(auto weights, ReadNameList(group, "weight_names"));
  if (weights.size() != 1 && weights.size() != 2) {
    return Status::Corruption("expected Dense weights [kernel, bias], got " +
                              std::to_string(weights.size()) + " weights");
  }
  SWEEP_ASSIGN_OR_RETURN(h5::FloatArray kernel, h5::ReadFloatDataset(group, weights[0]));
  if (kernel.dims.size() != 2) return Status::Corruption(weights[0] + ": kernel is not 2-D");
  DenseWeights l;
  l.name = name;
  l.inputs = static_cast<int>(kernel.dims[0]);
  l.units = static_cast<int>(kernel.dims[1]);
  l.kernel = std::move(kernel.values);
  l.bias.assign(static_cast<size_t>(l.units), 0.0f);  // use_bias=False layers have no bias
  if (weights.size() == 2) {
    SWEEP_ASSIGN_OR_RETURN(h5::FloatArray bias, h5::ReadFloatDataset(group, weights[1]));
    if (bias.dims.size() != 1 || bias.dims[0] != static_cast<uint64_t>(l.units)) {
      return Status::Corruption(weights[1] + ": bias shape does not match the kernel");
    }
    l.bias = std::move(bias.values);
  }
  return l;
}

// `root`: where layer_names lives (the file, or /model_weights); `file`: where model_config does.
StatusOr<ModelFile> ReadContents(h5::Id root, h5::Id file) {
  ModelFile model;
  SWEEP_ASSIGN_OR_RETURN(auto layer_names, ReadNameList(root, "layer_names"));
  if (layer_names.empty()) return Status::Corruption("no layer_names: not a Keras weights file");
  std::map<std::string, std::string> activations;
  if (h5::HasAttribute(file, "model_config")) {
    SWEEP_ASSIGN_OR_RETURN(std::string config, h5::ReadStringAttribute(file, "model_config"));
    activations = ActivationsFromConfig(config);
  }
  for (const auto& name : layer_names) {
    Handle group(H5Gopen2(root, name.c_str(), H5P_DEFAULT));
    if (!group.valid()) return h5::FromHdf5("layer " + name, StatusCode::kCorruption);
    SWEEP_ASSIGN_OR_RETURN(auto names, ReadNameList(group.get(), "weight_names"));
    if (names.empty()) continue;  // weightless layer (InputLayer, Dropout, ...)
    auto layer = ReadLayer(group.get(), name);
    if (!layer.ok()) return layer.status().WithContext("layer " + name);
    auto it = activations.find(name);
    layer->activation = it == activations.end() ? "linear" : it->second;
    model.layers.push_back(std::move(layer).value());
  }
  for (size_t k = 0; k + 1 < model.layers.size(); ++k) {
    if (model.layers[k].units != model.layers[k + 1].inputs) {
      return Status::Corruption("layer " + model.layers[k + 1].name + ": inputs do not chain");
    }
  }
  return model;
}

StatusOr<ModelFile> ReadRootAttributes(h5::Id root, ModelFile model) {
  model.format_version = 0;
  if (h5::HasAttribute(root, "sweep_format_version")) {
    SWEEP_ASSIGN_OR_RETURN(int64_t v, h5::ReadIntAttribute(root, "sweep_format_version"));
    model.format_version = static_cast<int>(v);
  }
  SWEEP_ASSIGN_OR_RETURN(auto names, h5::AttributeNames(root));
  for (const auto& name : names) {
    if (IsReserved(name)) continue;
    auto value = h5::ReadStringAttribute(root, name);
    if (value.ok()) model.attributes[name] = *value;  // non-string extras are not ours: skip
  }
  return model;
}

}  // namespace

std::string KerasModelConfig(const std::vector<DenseWeights>& layers) {
  using Json = nlohmann::ordered_json;  // Keras' key order, easier to compare by eye
  Json list = Json::array();
  Json input_shape = Json::array({nullptr, layers.empty() ? 0 : layers[0].inputs});
  if (!layers.empty()) {
    list.push_back({{"class_name", "InputLayer"},
                    {"config",
                     {{"batch_input_shape", input_shape},
                      {"dtype", "float32"},
                      {"sparse", false},
                      {"ragged", false},
                      {"name", layers[0].name + "_input"}}}});
  }
  for (size_t k = 0; k < layers.size(); ++k) {
    const DenseWeights& l = layers[k];
    Json c = {{"name", l.name}, {"trainable", true}, {"dtype", "float32"}};
    if (k == 0) c["batch_input_shape"] = input_shape;
    c["units"] = l.units;
    c["activation"] = l.activation.empty() ? "linear" : l.activation;
    c["use_bias"] = true;
    c["kernel_initializer"] = {{"class_name", "GlorotUniform"}, {"config", {{"seed", nullptr}}}};
    c["bias_initializer"] = {{"class_name", "Zeros"}, {"config", Json::object()}};
    for (const char* key : {"kernel_regularizer", "bias_regularizer", "activity_regularizer",
                            "kernel_constraint", "bias_constraint"}) {
      c[key] = nullptr;
    }
    list.push_back({{"class_name", "Dense"}, {"config", std::move(c)}});
  }
  Json model = {{"class_name", "Sequential"},
                {"config", {{"name", "sequential"}, {"layers", std::move(list)}}}};
  return model.dump();
}

Status WriteModelFile(const std::string& path, const ModelFile& model) {
  SWEEP_RETURN_IF_ERROR(ValidateModel(model));
  size_t slash = path.find_last_of('/');
  if (slash != std::string::npos && slash > 0) {
    SWEEP_RETURN_IF_ERROR(CreateDirectories(path.substr(0, slash)));
  }
  std::string temp = TempPathFor(path);
  Status s = WriteContents(temp, model);
  if (!s.ok()) {
    ::unlink(temp.c_str());
    return s.WithContext("write " + path);
  }
  return CommitFile(temp, path).WithContext("publish " + path);
}

StatusOr<ModelFile> ReadModelFile(const std::string& path) {
  if (::access(path.c_str(), F_OK) != 0) return FromErrno(errno, path);
  auto file = h5::OpenFileReadOnly(path);
  if (!file.ok()) return file.status();
  Handle root;
  h5::Id loc = file->get();
  // A full-model file (model.save) keeps the weights layout under /model_weights.
  if (!h5::HasAttribute(loc, "layer_names") && !h5::HasAttribute(loc, "layer_names0") &&
      h5::HasLink(loc, "model_weights")) {
    root = Handle(H5Gopen2(loc, "model_weights", H5P_DEFAULT));
    if (!root.valid()) return h5::FromHdf5(path + ": model_weights", StatusCode::kCorruption);
  }
  auto model = ReadContents(root.valid() ? root.get() : loc, loc);
  if (!model.ok()) return model.status().WithContext(path);
  auto full = ReadRootAttributes(loc, std::move(model).value());
  if (!full.ok()) return full.status().WithContext(path);
  return full;
}

}  // namespace sweep::storage
