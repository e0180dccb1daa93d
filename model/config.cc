#include "model/config.h"

#include <cmath>
#include <cstdio>
#include <string>

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

template <typename E, size_t N>
std::string_view NameOf(const Choice<E> (&table)[N], E v) {
  for (const auto& c : table) {
    if (c.value == v) return c.name;
  }
  return "?";
}

template <typename E, size_t N>
StatusOr<E> ParseFrom(const Choice<E> (&table)[N], std::string_view what, std::string_view s) {
  std::string names;
  for (const auto& c : table) {
    if (c.name == s) return c.value;
    if (!names.empty()) names += ", ";
    names += c.name;
  }
  return Status::InvalidArgument(std::string(what) + " must be one of " + names + ", got '" +
                                 std::string(s) + "'");
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

Status Bad(std::string_view key, std::string_view rule, double got) {
  return Status::InvalidArgument(std::string(key) + " must be " + std::string(rule) + ", got " +
                                 Num(got));
}

// Each check is written so that NaN fails it.
Status CheckOptimizer(const OptimizerConfig& o) {
  if (!(o.learning_rate > 0) || !std::isfinite(o.learning_rate)) {
    return Bad("learning_rate", "> 0", o.learning_rate);
  }
  if (!(o.momentum >= 0 && o.momentum < 1)) return Bad("momentum", "in [0, 1)", o.momentum);
  if (o.nesterov && o.kind != Optimizer::kMomentum) {
    return Status::InvalidArgument("nesterov requires optimizer momentum, got optimizer " +
                                   std::string(ToString(o.kind)));
  }
  if (!(o.beta1 >= 0 && o.beta1 < 1)) return Bad("beta1", "in [0, 1)", o.beta1);
  if (!(o.beta2 >= 0 && o.beta2 < 1)) return Bad("beta2", "in [0, 1)", o.beta2);
  if (!(o.epsilon > 0) || !std::isfinite(o.epsilon)) return Bad("epsilon", "> 0", o.epsilon);
  if (!(o.weight_decay >= 0) || !std::isfinite(o.weight_decay)) {
    return Bad("weight_decay", ">= 0", o.weight_decay);
  }
  return Status::Ok();
}

Status CheckSchedule(const ScheduleConfig& s, float learning_rate) {
  if (s.step_epochs < 1) return Bad("lr_step_epochs", ">= 1", s.step_epochs);
  if (!(s.gamma > 0 && s.gamma <= 1)) return Bad("lr_gamma", "in (0, 1]", s.gamma);
  if (!(s.min_lr >= 0)) return Bad("lr_min", ">= 0", s.min_lr);
  if (s.kind == LrSchedule::kCosine && s.min_lr > learning_rate) {
    return Status::InvalidArgument("lr_min must be <= learning_rate (" + Num(learning_rate) +
                                   "), got " + Num(s.min_lr));
  }
  return Status::Ok();
}

Status CheckEarlyStopping(const TrainConfig& c) {
  const EarlyStoppingConfig& e = c.early_stopping;
  if (e.patience < 0) return Bad("early_stopping_patience", ">= 0", e.patience);
  if (e.metric != "val_loss" && e.metric != "val_accuracy") {
    return Status::InvalidArgument(
        "early_stopping_metric must be one of val_loss, val_accuracy, got '" + e.metric + "'");
  }
  if (e.metric == "val_accuracy" && c.network.loss != Loss::kCrossEntropy) {
    return Status::InvalidArgument(
        "early_stopping_metric val_accuracy requires loss cross_entropy, got loss " +
        std::string(ToString(c.network.loss)));
  }
  if (!(e.min_delta >= 0)) return Bad("early_stopping_min_delta", ">= 0", e.min_delta);
  if (e.patience > 0 && !(c.data.validation_split > 0)) {
    return Status::InvalidArgument(
        "early_stopping_patience > 0 requires validation_split > 0, got validation_split " +
        Num(c.data.validation_split));
  }
  return Status::Ok();
}

}  // namespace

std::string_view ToString(Activation v) { return NameOf(kActivations, v); }
std::string_view ToString(Loss v) { return NameOf(kLosses, v); }
std::string_view ToString(Optimizer v) { return NameOf(kOptimizers, v); }
std::string_view ToString(LrSchedule v) { return NameOf(kSchedules, v); }
std::string_view ToString(Init v) { return NameOf(kInits, v); }
std::string_view ToString(Device v) { return NameOf(kDevices, v); }

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

Status Validate(const TrainConfig& c) {
  for (size_t i = 0; i < c.network.hidden.size(); ++i) {
    if (c.network.hidden[i] < 1) {
      return Bad("hidden[" + std::to_string(i) + "]", ">= 1", c.network.hidden[i]);
    }
  }
  SWEEP_RETURN_IF_ERROR(CheckOptimizer(c.optimizer));
  SWEEP_RETURN_IF_ERROR(CheckSchedule(c.schedule, c.optimizer.learning_rate));
  if (!(c.data.validation_split >= 0 && c.data.validation_split < 1)) {
    return Bad("validation_split", "in [0, 1)", c.data.validation_split);
  }
  SWEEP_RETURN_IF_ERROR(CheckEarlyStopping(c));
  if (c.batch_size < 0) return Bad("batch_size", ">= 0 (0 = full batch)", c.batch_size);
  if (c.epochs < 1) return Bad("epochs", ">= 1", c.epochs);
  if (c.threads < 0) return Bad("threads", ">= 0 (0 = CPU quota)", c.threads);
  return Status::Ok();
}

}  // namespace sweep::model
