// TrainConfig: every hyperparameter of one training run, in one plain struct.
//
// Filled in one place (sweep/spec/row_config.cc, from a YAML/JSON row), checked once there, and
// passed as `const TrainConfig&` everywhere after that: code past the check never re-checks.
// Row keys (the names users write), their types, ranges and docs are one table,
// sweep/spec/row_keys.cc; README.md "Row keys" is printed from it (`sweep keys --markdown`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace sweep::model {

enum class Activation { kRelu, kTanh, kSigmoid };
enum class Loss { kCrossEntropy, kMse };  // softmax cross-entropy (classes) or MSE (regression)
enum class Optimizer { kSgd, kMomentum, kAdam, kAdamW };
enum class LrSchedule { kConstant, kStep, kCosine };
enum class Init { kAuto, kHe, kXavier };  // auto: He for relu, Xavier (Glorot) otherwise
enum class Device { kCpu, kCuda };
enum class EarlyStoppingMetric { kValLoss, kValAccuracy };  // minimized / maximized

// One Parse/ToString pair per enum. Parse ignores case ("Adam" is kAdam); ToString gives the
// canonical lower-case name. Parse returns InvalidArgument naming the choices, with the nearest
// one suggested: "optimizer must be one of sgd, momentum, adam, adamw, got 'adamm' (did you mean
// 'adam'?)".
std::string_view ToString(Activation v);
std::string_view ToString(Loss v);
std::string_view ToString(Optimizer v);
std::string_view ToString(LrSchedule v);
std::string_view ToString(Init v);
std::string_view ToString(Device v);
std::string_view ToString(EarlyStoppingMetric v);
StatusOr<Activation> ParseActivation(std::string_view s);
StatusOr<Loss> ParseLoss(std::string_view s);
StatusOr<Optimizer> ParseOptimizer(std::string_view s);
StatusOr<LrSchedule> ParseLrSchedule(std::string_view s);
StatusOr<Init> ParseInit(std::string_view s);
StatusOr<Device> ParseDevice(std::string_view s);
StatusOr<EarlyStoppingMetric> ParseEarlyStoppingMetric(std::string_view s);

// The names Parse accepts, in table order, comma-separated: "relu, tanh, sigmoid".
template <typename E>
std::string ChoiceNames();
template <>
std::string ChoiceNames<Activation>();
template <>
std::string ChoiceNames<Loss>();
template <>
std::string ChoiceNames<Optimizer>();
template <>
std::string ChoiceNames<LrSchedule>();
template <>
std::string ChoiceNames<Init>();
template <>
std::string ChoiceNames<Device>();
template <>
std::string ChoiceNames<EarlyStoppingMetric>();

struct NetworkConfig {
  std::vector<int> hidden;  // hidden layer widths; empty = softmax/linear regression
  Activation activation = Activation::kRelu;  // of every hidden layer
  Init init = Init::kAuto;
  Loss loss = Loss::kCrossEntropy;
};

struct OptimizerConfig {
  Optimizer kind = Optimizer::kAdam;
  float learning_rate = 1e-3f;  // initial step size, > 0
  float momentum = 0.9f;        // momentum optimizer only, in [0, 1)
  bool nesterov = false;        // momentum optimizer only
  float beta1 = 0.9f;           // adam/adamw first-moment decay, in [0, 1)
  float beta2 = 0.999f;         // adam/adamw second-moment decay, in [0, 1)
  float epsilon = 1e-7f;        // adam/adamw denominator guard (Keras default), > 0
  // L2 penalty coefficient. sgd/momentum/adam add weight_decay * w to the gradient (coupled);
  // adamw decays weights directly by lr * weight_decay * w (decoupled). Biases are not decayed.
  float weight_decay = 0.0f;
};

struct ScheduleConfig {
  LrSchedule kind = LrSchedule::kConstant;
  int step_epochs = 10;  // step: multiply the rate by `gamma` every `step_epochs` epochs
  float gamma = 0.1f;    // step: factor in (0, 1]
  float min_lr = 0.0f;   // cosine: rate reached at the last epoch, in [0, learning_rate]
};

struct DataConfig {
  std::string dataset;            // path, s3:// URI or synthetic:NAME; resolved by the worker
  std::string test_dataset;       // optional; "" = none
  float validation_split = 0.0f;  // fraction of the training rows held out, in [0, 1)
  int skip_rows = 0;  // CSV only: lines skipped at the top of dataset and test_dataset, >= 0
};

struct EarlyStoppingConfig {
  int patience = 0;  // epochs without improvement before stopping; 0 = off
  EarlyStoppingMetric metric = EarlyStoppingMetric::kValLoss;
  float min_delta = 0.0f;  // smallest change that counts as an improvement
};

// When the worker saves the whole training state (storage/checkpoint.h). Never changes the
// results: a resumed run is bit-identical to an uninterrupted one with the same thread count.
struct CheckpointConfig {
  float seconds = 60.0f;  // at most this often, at a mini-batch boundary; 0 = each epoch's end
  bool keep = false;      // keep the checkpoint after the final publish (adaptive search)
};

struct TrainConfig {
  NetworkConfig network;
  OptimizerConfig optimizer;
  ScheduleConfig schedule;
  DataConfig data;
  EarlyStoppingConfig early_stopping;
  CheckpointConfig checkpoint;
  int batch_size = 32;  // samples per step; 0 = full batch
  int epochs = 10;      // passes over the training rows, >= 1
  uint64_t seed = 0;    // fixes init, shuffling and the validation split: same seed, same
                        // build and thread count -> bit-identical weights
  int threads = 0;      // training threads; 0 = the container's CPU quota
  Device device = Device::kCpu;
};

// Checks the rules that tie fields together ("nesterov requires optimizer momentum"). Each field's
// own range (learning_rate > 0, validation_split in [0, 1), ...) is stated once, beside its row
// key in sweep/spec/row_keys.cc, and checked there by ConfigFromRow: a TrainConfig built in code
// must keep within those ranges. Messages name the row key, so callers only prepend the row index.
// Returns one message per broken rule, in a fixed order; empty when the config is valid.
std::vector<std::string> CrossFieldProblems(const TrainConfig& config);

// Ok, or InvalidArgument listing every CrossFieldProblems message, "; "-joined.
Status Validate(const TrainConfig& config);

// Whether this build has the CUDA training path (CMake option SWEEP_CUDA, which defines
// SWEEP_HAS_CUDA for sweep_model). The one place that rule lives: the worker, Train and
// `sweep validate` all ask here.
bool CudaAvailable();

// Ok, or InvalidArgument when this build cannot train on `device`: "this build of sweep-worker has
// no CUDA (device: cuda); use device: cpu or a CUDA build". The worker checks it before reading
// any data, so a CPU build given device: cuda fails at once.
Status CheckDeviceBuilt(Device device);

}  // namespace sweep::model
