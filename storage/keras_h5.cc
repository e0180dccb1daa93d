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
  static const std::set<std::string> names = {
      "layer_names",       "backend",           "keras_version",
      "model_config",      "training_config",   "sweep_format_version",
      "sweep_input_shape", "sweep_class_names", "sweep_preprocessing"};
  return names;
}

bool IsReserved(const std::string& name) {
  if (ReservedAttributes().count(name)) return true;
  return name.rfind("layer_names", 0) == 0;  // split lists: layer_names0, layer_names1, ...
}

std::string KernelName(const DenseWeights& l) { return l.name + "/kernel:0"; }
std::string BiasName(const DenseWeights& l) { return l.name + "/bias:0"; }

// sample_shape, class_names and preprocessing against the layers.
Status ValidateInferenceFields(const ModelFile& model) {
  int64_t size = 1;
  for (int d : model.sample_shape) size = d > 0 ? size * d : -1;
  if (!model.sample_shape.empty() && size != model.layers.front().inputs) {
    return Status::InvalidArgument("sample_shape " + nlohmann::json(model.sample_shape).dump() +
                                   " does not hold the first layer's " +
                                   std::to_string(model.layers.front().inputs) + " inputs");
  }
  if (model.sample_shape.size() > 1) {
    for (const auto& l : model.layers) {
      if (l.name == kFlattenLayerName) {
        return Status::InvalidArgument("layer name 'flatten' is taken by the Flatten layer");
      }
    }
  }
  int outputs = model.layers.back().units;
  if (!model.class_names.empty() && model.class_names.size() != static_cast<size_t>(outputs)) {
    return Status::InvalidArgument(std::to_string(model.class_names.size()) + " class names for " +
                                   std::to_string(outputs) + " outputs");
  }
  if (!model.preprocessing.empty() &&
      !nlohmann::json::parse(model.preprocessing, nullptr, false).is_object()) {
    return Status::InvalidArgument("preprocessing is not a JSON object: " + model.preprocessing);
  }
  return Status::Ok();
}

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
  return ValidateInferenceFields(model);
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
  SWEEP_RETURN_IF_ERROR(h5::WriteStringAttribute(
      file, "model_config", KerasModelConfig(model.layers, model.sample_shape)));
  SWEEP_RETURN_IF_ERROR(h5::WriteIntAttribute(file, "sweep_format_version", kModelFormatVersion));
  std::vector<int> shape = model.sample_shape;
  if (shape.empty()) shape = {model.layers.front().inputs};
  SWEEP_RETURN_IF_ERROR(
      h5::WriteStringAttribute(file, "sweep_input_shape", nlohmann::json(shape).dump()));
  if (!model.class_names.empty()) {
    SWEEP_RETURN_IF_ERROR(h5::WriteStringAttribute(file, "sweep_class_names",
                                                   nlohmann::json(model.class_names).dump()));
  }
  if (!model.preprocessing.empty()) {
    SWEEP_RETURN_IF_ERROR(
        h5::WriteStringAttribute(file, "sweep_preprocessing", model.preprocessing));
  }
  for (const auto& [name, value] : model.attributes) {
    SWEEP_RETURN_IF_ERROR(h5::WriteStringAttribute(file, name, value));
  }
  return Status::Ok();
}

// A group whose weight_names is Keras' empty list: a weightless layer, or the model's own.
Status WriteWeightlessGroup(h5::Id loc, const std::string& name) {
  Handle group(H5Gcreate2(loc, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  if (!group.valid()) return h5::FromHdf5("create group " + name, StatusCode::kUnavailable);
  SWEEP_RETURN_IF_ERROR(h5::WriteEmptyListAttribute(group.get(), "weight_names"));
  return group.Close("close group " + name);
}

// The save_weights layout: layer_names, backend, keras_version, one group per layer (the
// Flatten first when there is one).
Status WriteWeights(h5::Id loc, const ModelFile& model) {
  bool flatten = model.sample_shape.size() > 1;
  std::vector<std::string> names;
  if (flatten) names.push_back(kFlattenLayerName);
  for (const auto& l : model.layers) names.push_back(l.name);
  SWEEP_RETURN_IF_ERROR(WriteNameList(loc, "layer_names", names));
  SWEEP_RETURN_IF_ERROR(WriteVersionAttributes(loc));
  if (flatten) SWEEP_RETURN_IF_ERROR(WriteWeightlessGroup(loc, kFlattenLayerName));
  for (const auto& l : model.layers) SWEEP_RETURN_IF_ERROR(WriteLayer(loc, l));
  return WriteWeightlessGroup(loc, "top_level_model_weights");
}

// The whole file's bytes, built in memory: every handle is closed on every path (RAII) and
// nothing reaches the disk until the caller writes the image.
StatusOr<std::string> BuildImage(const std::string& path, const ModelFile& model) {
  SWEEP_ASSIGN_OR_RETURN(Handle file, h5::CreateInMemoryFile(path));
  SWEEP_RETURN_IF_ERROR(WriteRootAttributes(file.get(), model));
  Handle weights(H5Gcreate2(file.get(), "model_weights", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  if (!weights.valid()) return h5::FromHdf5("create model_weights", StatusCode::kUnavailable);
  SWEEP_RETURN_IF_ERROR(WriteWeights(weights.get(), model));
  SWEEP_RETURN_IF_ERROR(weights.Close("close model_weights"));
  SWEEP_ASSIGN_OR_RETURN(std::string image, h5::FileImage(file.get(), path));
  SWEEP_RETURN_IF_ERROR(file.Close("close " + path));
  return image;
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
  ModelConfigInfo config;
  if (h5::HasAttribute(file, "model_config")) {
    SWEEP_ASSIGN_OR_RETURN(std::string text, h5::ReadStringAttribute(file, "model_config"));
    config = ParseModelConfig(text);
  }
  for (const auto& name : layer_names) {
    Handle group(H5Gopen2(root, name.c_str(), H5P_DEFAULT));
    if (!group.valid()) return h5::FromHdf5("layer " + name, StatusCode::kCorruption);
    SWEEP_ASSIGN_OR_RETURN(auto names, ReadNameList(group.get(), "weight_names"));
    if (names.empty()) continue;  // weightless layer (InputLayer, Dropout, ...)
    auto layer = ReadLayer(group.get(), name);
    if (!layer.ok()) return layer.status().WithContext("layer " + name);
    auto it = config.activations.find(name);
    layer->activation = it == config.activations.end() ? "linear" : it->second;
    model.layers.push_back(std::move(layer).value());
  }
  for (size_t k = 0; k + 1 < model.layers.size(); ++k) {
    if (model.layers[k].units != model.layers[k + 1].inputs) {
      return Status::Corruption("layer " + model.layers[k + 1].name + ": inputs do not chain");
    }
  }
  if (model.layers.empty()) return Status::Corruption("no layer has weights");
  model.sample_shape = std::move(config.sample_shape);
  return model;
}

// A JSON attribute of type T (absent: `out` unchanged); a wrong type is Corruption.
template <typename T>
Status ReadJsonAttribute(h5::Id root, const char* name, T* out) {
  if (!h5::HasAttribute(root, name)) return Status::Ok();
  SWEEP_ASSIGN_OR_RETURN(std::string text, h5::ReadStringAttribute(root, name));
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  try {
    *out = j.get<T>();
  } catch (const nlohmann::json::exception&) {
    return Status::Corruption(std::string(name) + ": not the expected JSON: " + text);
  }
  return Status::Ok();
}

// sweep_input_shape (else model_config's, else the first layer's inputs), sweep_class_names,
// sweep_preprocessing.
Status ReadInferenceAttributes(h5::Id root, ModelFile* model) {
  SWEEP_RETURN_IF_ERROR(ReadJsonAttribute(root, "sweep_input_shape", &model->sample_shape));
  if (model->sample_shape.empty()) model->sample_shape = {model->layers.front().inputs};
  SWEEP_RETURN_IF_ERROR(ReadJsonAttribute(root, "sweep_class_names", &model->class_names));
  if (h5::HasAttribute(root, "sweep_preprocessing")) {
    SWEEP_ASSIGN_OR_RETURN(model->preprocessing,
                           h5::ReadStringAttribute(root, "sweep_preprocessing"));
  }
  return Status::Ok();
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
  SWEEP_RETURN_IF_ERROR(ReadInferenceAttributes(root, &model));
  return model;
}

}  // namespace

Status WriteModelFile(const std::string& path, const ModelFile& model) {
  SWEEP_RETURN_IF_ERROR(ValidateModel(model));
  auto image = BuildImage(path, model);
  if (!image.ok()) return image.status().WithContext("write " + path);
  // Temp file, fsync, rename, fsync the folder; the temp file removed on failure (disk full).
  return WriteFileAtomic(path, *image).WithContext("write " + path);
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
