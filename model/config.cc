#include "model/config.h"

#include <cstdio>
#include <string>
#include <vector>

#include "base/strings.h"

namespace sweep::model {
namespace {

// One table per enum keeps Parse and ToString in agreement.
template <typename E>
struct Choice {
  E value;
  std::string_view name;
};

constexpr Choice<Activation> kActivations[] = {
    {Activation::kRelu, "relu"}, {Activation::kTanh, "tanh"}, {Activation::kSigmoid, "sigmoid"}};
constexpr Choice<Loss> kLosses[] = {{Loss::kCrossEntropy, "cross_entropy"}, {Loss::kMse, "mse"}};
constexpr Choice<Optimizer> kOptimizers[] = {{Optimizer::kSgd, "sgd"},
                                             {Optimizer::kMomentum, "momentum"},
                                             {Optimizer::kAdam, "adam"},
                                             {Optimizer::kAdamW, "adamw"}};
constexpr Choice<LrSchedule> kSchedules[] = {{LrSchedule::kConstant, "constant"},
                                             {LrSchedule::kStep, "step"},
                                             {LrSchedule::kCosine, "cosine"}};
constexpr Choice<Init> kInits[] = {
    {Init::kAuto, "auto"}, {Init::kHe, "he"}, {Init::kXavier, "xavier"}};
constexpr Choice<Device> kDevices[] = {{Device::kCpu, "cpu"}, {Device::kCuda, "cuda"}};
constexpr Choice<EarlyStoppingMetric> kMetrics[] = {
    {EarlyStoppingMetric::kValLoss, "val_loss"},
    {EarlyStoppingMetric::kValAccuracy, "val_accuracy"}};

template <typename E, size_t N>
std::string_view NameOf(const Choice<E> (&table)[N], E v) {
  for (const auto& c : table) {
    if (c.value == v) return c.name;
  }
  return "?";
}

template <typename E, size_t N>
std::string NamesOf(const Choice<E> (&table)[N]) {
  std::string names;
  for (const auto& c : table) {
    if (!names.empty()) names += ", ";
    names += c.name;
  }
  return names;
}

// Case-insensitive: "Adam" is adam (Keras and PyTorch spell optimizers capitalised), and
// ToString gives the canonical lower-case name back.
template <typename E, size_t N>
StatusOr<E> ParseFrom(const Choice<E> (&table)[N], std::string_view what, std::string_view s) {
  const std::string lower = AsciiLower(std::string(s));
  std::vector<std::string> names;
  for (const auto& c : table) {
    if (c.name == lower) return c.value;
    names.emplace_back(c.name);
  }
  return Status::InvalidArgument(std::string(what) + " must be one of " + NamesOf(table) +
                                 ", got '" + std::string(s) + "'" + DidYouMean(lower, names));
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// A field's own range is checked with its row key (sweep/spec/row_keys.cc); what stays here are
// the rules between fields, which need the whole config and read as the model's semantics.
void CheckOptimizer(const OptimizerConfig& o, std::vector<std::string>* problems) {
  if (o.nesterov && o.kind != Optimizer::kMomentum) {
    problems->push_back("nesterov requires optimizer momentum, got optimizer " +
                        std::string(ToString(o.kind)));
  }
}

void CheckSchedule(const ScheduleConfig& s, float learning_rate,
                   std::vector<std::string>* problems) {
  if (s.kind == LrSchedule::kCosine && s.min_lr > learning_rate) {
    problems->push_back("lr_min must be <= learning_rate (" + Num(learning_rate) + "), got " +
                        Num(s.min_lr));
  }
}

void CheckEarlyStopping(const TrainConfig& c, std::vector<std::string>* problems) {
  const EarlyStoppingConfig& e = c.early_stopping;
  if (e.metric == EarlyStoppingMetric::kValAccuracy && c.network.loss != Loss::kCrossEntropy) {
    problems->push_back(
        "early_stopping_metric val_accuracy requires loss cross_entropy, got loss " +
        std::string(ToString(c.network.loss)));
  }
  if (e.patience > 0 && !(c.data.validation_split > 0)) {
    problems->push_back(
        "early_stopping_patience > 0 requires validation_split > 0, got validation_split " +
        Num(c.data.validation_split));
  }
}

}  // namespace

std::string_view ToString(Activation v) { return NameOf(kActivations, v); }
std::string_view ToString(Loss v) { return NameOf(kLosses, v); }
std::string_view ToString(Optimizer v) { return NameOf(kOptimizers, v); }
std::string_view ToString(LrSchedule v) { return NameOf(kSchedules, v); }
std::string_view ToString(Init v) { return NameOf(kInits, v); }
std::string_view ToString(Device v) { return NameOf(kDevices, v); }
std::string_view ToString(EarlyStoppingMetric v) { return NameOf(kMetrics, v); }

StatusOr<Activation> ParseActivation(std::string_view s) {
  return ParseFrom(kActivations, "activation", s);
}
StatusOr<Loss> ParseLoss(std::string_view s) { return ParseFrom(kLosses, "loss", s); }
StatusOr<Optimizer> ParseOptimizer(std::string_view s) {
  return ParseFrom(kOptimizers, "optimizer", s);
}
StatusOr<LrSchedule> ParseLrSchedule(std::string_view s) {
  return ParseFrom(kSchedules, "lr_schedule", s);
}
StatusOr<Init> ParseInit(std::string_view s) { return ParseFrom(kInits, "init", s); }
StatusOr<Device> ParseDevice(std::string_view s) { return ParseFrom(kDevices, "device", s); }
StatusOr<EarlyStoppingMetric> ParseEarlyStoppingMetric(std::string_view s) {
  return ParseFrom(kMetrics, "early_stopping_metric", s);
}

template <>
std::string ChoiceNames<Activation>() {
  return NamesOf(kActivations);
}
template <>
std::string ChoiceNames<Loss>() {
  return NamesOf(kLosses);
}
template <>
std::string ChoiceNames<Optimizer>() {
  return NamesOf(kOptimizers);
}
template <>
std::string ChoiceNames<LrSchedule>() {
  return NamesOf(kSchedules);
}
template <>
std::string ChoiceNames<Init>() {
  return NamesOf(kInits);
}
template <>
std::string ChoiceNames<Device>() {
  return NamesOf(kDevices);
}
template <>
std::string ChoiceNames<EarlyStoppingMetric>() {
  return NamesOf(kMetrics);
}

std::vector<std::string> CrossFieldProblems(const TrainConfig& c) {
  std::vector<std::string> problems;
  CheckOptimizer(c.optimizer, &problems);
  CheckSchedule(c.schedule, c.optimizer.learning_rate, &problems);
  CheckEarlyStopping(c, &problems);
  return problems;
}

Status Validate(const TrainConfig& c) {
  const std::vector<std::string> problems = CrossFieldProblems(c);
  if (problems.empty()) return Status::Ok();
  return Status::InvalidArgument(StrJoin(problems, "; "));
}

bool CudaAvailable() {
#ifdef SWEEP_HAS_CUDA
  return true;
#else
  return false;
#endif
}

Status CheckDeviceBuilt(Device device) {
  if (device == Device::kCuda && !CudaAvailable()) {
    return Status::InvalidArgument(
        "this build of sweep-worker has no CUDA (device: cuda); use device: cpu or a CUDA build");
  }
  return Status::Ok();
}

}  // namespace sweep::model
