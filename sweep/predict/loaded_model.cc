#include "sweep/predict/loaded_model.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "base/strings.h"
#include "model/config.h"
#include "model/infer.h"
#include "storage/keras_h5.h"
#include "storage/model_isolated.h"
#include "storage/store.h"

namespace sweep::predict {
namespace {

// The Mlp of `file`: hidden layers share one activation, the last is softmax or linear.
StatusOr<model::Mlp> MlpOf(const storage::ModelFile& file, const std::string& source) {
  const auto& layers = file.layers;
  if (layers.empty()) return Status::Corruption(source + ": the model has no Dense layers");
  std::vector<int> hidden;
  model::Activation act = model::Activation::kRelu;
  for (size_t k = 0; k + 1 < layers.size(); ++k) {
    StatusOr<model::Activation> a = model::ParseActivation(layers[k].activation);
    if (!a.ok() || (k > 0 && *a != act)) {
      return Status::Corruption(source + ": layer " + layers[k].name + " has activation '" +
                                layers[k].activation +
                                "'; hidden layers must all be relu, tanh or sigmoid");
    }
    act = *a;
    hidden.push_back(layers[k].units);
  }
  const std::string& last = layers.back().activation;
  if (last != "softmax" && last != "linear") {
    return Status::Corruption(source + ": the output layer's activation is '" + last +
                              "'; softmax or linear is served");
  }
  model::Mlp mlp(layers.front().inputs, hidden, layers.back().units, act,
                 last == "softmax" ? model::OutputKind::kSoftmax : model::OutputKind::kLinear,
                 model::Init::kAuto, 0);
  for (size_t k = 0; k < layers.size(); ++k) {
    model::DenseLayer& d = mlp.mutable_layers()[k];
    // Keras's row-major inputs x units kernel is, byte for byte, our column-major units x inputs.
    std::memcpy(d.w.data(), layers[k].kernel.data(), layers[k].kernel.size() * sizeof(float));
    std::memcpy(d.b.data(), layers[k].bias.data(), layers[k].bias.size() * sizeof(float));
  }
  return mlp;
}

InputSpec InputOf(const storage::ModelFile& file, int width) {
  InputSpec spec{width, {}};
  int64_t product = 1;
  for (int d : file.sample_shape) product *= d;
  if (file.sample_shape.size() > 1 && product == width) spec.shape = file.sample_shape;
  return spec;
}

// A zero sample must give finite outputs; probabilities must sum to 1.
Status CheckAnswers(const LoadedModel& m) {
  std::vector<float> x(m.input.width, 0.0f), y(m.outputs());
  model::Inferer(m.mlp).Run(x.data(), 1, y.data());
  double sum = 0;
  for (float v : y) {
    if (!std::isfinite(v)) return Status::Corruption(m.source + ": the model outputs NaN/Inf");
    sum += v;
  }
  if (m.classifier() && std::abs(sum - 1) > 1e-3) {
    return Status::Corruption(m.source + ": the softmax outputs sum to " + std::to_string(sum));
  }
  return Status::Ok();
}

// Seconds a model.h5 reader may take: SWEEP_MODEL_READ_TIMEOUT (1..3600), else 30.
int ReadTimeout() {
  const char* env = std::getenv("SWEEP_MODEL_READ_TIMEOUT");
  std::optional<int64_t> v = env ? ParseInt(env, 1, 3600) : std::nullopt;
  return v ? static_cast<int>(*v) : storage::kModelReadTimeoutS;
}

}  // namespace

std::string LoadedModel::ClassName(int k) const {
  if (k >= 0 && k < static_cast<int>(class_names.size())) return class_names[k];
  return std::to_string(k);
}

StatusOr<std::shared_ptr<const LoadedModel>> LoadModel(const std::string& path_or_uri,
                                                       const storage::RunResult* result) {
  SWEEP_ASSIGN_OR_RETURN(std::string local, storage::FetchInput(path_or_uri));
  SWEEP_ASSIGN_OR_RETURN(storage::ModelFile file,
                         storage::ReadModelFileIsolated(local, ReadTimeout()));
  auto m = std::make_shared<LoadedModel>();
  m->source = path_or_uri;
  SWEEP_ASSIGN_OR_RETURN(m->mlp, MlpOf(file, path_or_uri));
  m->input = InputOf(file, m->mlp.inputs());
  m->class_names = file.class_names;
  m->preprocessing = file.preprocessing;
  if (!m->class_names.empty() && static_cast<int>(m->class_names.size()) != m->outputs()) {
    return Status::Corruption(path_or_uri + ": " + std::to_string(m->class_names.size()) +
                              " class names for " + std::to_string(m->outputs()) + " outputs");
  }
  if (result != nullptr) {
    m->version = result->index;
    m->params = result->params;
    for (const auto& [k, v] : result->metrics) m->metrics[k] = v;
  }
  SWEEP_RETURN_IF_ERROR(CheckAnswers(*m));
  return std::shared_ptr<const LoadedModel>(std::move(m));
}

}  // namespace sweep::predict
