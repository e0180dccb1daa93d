#include "model/train.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <numbers>
#include <string>

#include "base/cpu.h"
#include "base/random.h"
#include "model/cuda/train_cuda.h"
#include "model/trainer.h"

namespace sweep::model {
namespace {

std::string SourceName(const Dataset& data) {
  return data.source.empty() ? "dataset" : data.source;
}

Status CheckData(const TrainConfig& config, const Dataset& data) {
  const std::string src = SourceName(data);
  if (data.rows < 1 || data.cols < 1) {
    return Status::InvalidArgument(src + ": no data (" + std::to_string(data.rows) + " rows, " +
                                   std::to_string(data.cols) + " columns)");
  }
  if (data.x.size() != static_cast<size_t>(data.rows) * data.cols ||
      data.y.size() != static_cast<size_t>(data.rows)) {
    return Status::InvalidArgument(src + ": x/y sizes do not match rows x cols");
  }
  if (config.network.loss != Loss::kCrossEntropy) return Status::Ok();
  if (data.num_classes < 2) {
    return Status::InvalidArgument(src + ": loss cross_entropy needs num_classes >= 2, got " +
                                   std::to_string(data.num_classes));
  }
  for (int64_t i = 0; i < data.rows; ++i) {
    const float y = data.y[i];
    if (!(y >= 0 && y < data.num_classes) || y != std::floor(y)) {
      return Status::InvalidArgument(src + ": row " + std::to_string(i) + ": label " +
                                     std::to_string(y) + " is not an integer in [0, " +
                                     std::to_string(data.num_classes) + ")");
    }
  }
  return Status::Ok();
}

// Seeded shuffle, then the last `fraction` of the rows are held out.
StatusOr<Split> SplitRows(const Dataset& data, float fraction, uint64_t seed) {
  std::vector<int64_t> order(data.rows);
  for (int64_t i = 0; i < data.rows; ++i) order[i] = i;
  const int64_t n_val = static_cast<int64_t>(std::floor(data.rows * static_cast<double>(fraction)));
  if (fraction > 0 && (n_val < 1 || n_val >= data.rows)) {
    char frac[32];
    std::snprintf(frac, sizeof frac, "%g", fraction);
    return Status::InvalidArgument(SourceName(data) + ": validation_split " + frac + " of " +
                                   std::to_string(data.rows) +
                                   " rows leaves an empty training or validation set");
  }
  if (n_val > 0) {
    SplitMix64Rng rng(seed);
    for (int64_t i = data.rows - 1; i > 0; --i) {
      std::swap(order[i], order[UniformBelow(rng, i + 1)]);
    }
  }
  Split s;
  s.train.assign(order.begin(), order.end() - n_val);
  s.val.assign(order.end() - n_val, order.end());
  return s;
}

std::string Gigabytes(double bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f GB", bytes / 1e9);
  return buf;
}

// Checked before the model is built: a typo such as hidden: [100000, 100000] must be exit 2
// with the numbers, not std::bad_alloc (or the OOM killer) after the data is loaded. Counted
// in doubles: huge widths must not wrap.
Status CheckMemory(const TrainConfig& config, const Dataset& data, int outputs) {
  double params = 0, widths = 0;
  double fan_in = static_cast<double>(data.cols);
  std::vector<int> layers = config.network.hidden;
  layers.push_back(outputs);
  for (int w : layers) {
    params += fan_in * w + w;
    widths += w;
    fan_in = w;
  }
  const double threads = config.threads > 0 ? config.threads : AvailableCpus();
  const double batch = std::min<double>(config.batch_size == 0 ? data.rows : config.batch_size,
                                        static_cast<double>(data.rows));
  // Weights, one gradient per thread, two optimizer moments, the best weights; activations and
  // their gradients for a batch (inputs included), all float.
  const double bytes = 4 * (params * (4 + threads) + 3 * batch * (widths + data.cols));
  const double available = static_cast<double>(AvailableMemory());
  if (bytes <= available) return Status::Ok();
  char count[32];
  std::snprintf(count, sizeof count, "%.3g", params);
  return Status::InvalidArgument("the model needs about " + Gigabytes(bytes) + " to train (" +
                                 count + " parameters for " + std::to_string(data.cols) +
                                 " inputs), more than the " + Gigabytes(available) +
                                 " this process can use (cgroup limit, ulimit -v, free memory)");
}

}  // namespace

std::string DescribeDivergence(const Divergence& d) {
  return "diverged at epoch " + std::to_string(d.epoch) + " (step " + std::to_string(d.step) +
         "): " + d.what;
}

double ScheduledLearningRate(const TrainConfig& config, int epoch) {
  const double lr = config.optimizer.learning_rate;
  const ScheduleConfig& s = config.schedule;
  switch (s.kind) {
    case LrSchedule::kConstant:
      return lr;
    case LrSchedule::kStep:
      return lr * std::pow(static_cast<double>(s.gamma), (epoch - 1) / s.step_epochs);
    case LrSchedule::kCosine: {
      if (config.epochs <= 1) return lr;
      const double progress = static_cast<double>(epoch - 1) / (config.epochs - 1);
      return s.min_lr + (lr - s.min_lr) * 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
    }
  }
  return lr;
}

StatusOr<Split> PrepareRun(const TrainConfig& config, const Dataset& data, Mlp* model) {
  SWEEP_CHECK(model != nullptr);
  SWEEP_RETURN_IF_ERROR(CheckDeviceBuilt(config.device));
  SWEEP_RETURN_IF_ERROR(CheckData(config, data));
  SWEEP_ASSIGN_OR_RETURN(Split split,
                         SplitRows(data, config.data.validation_split, SubSeed(config.seed, 3)));
  const bool classify = config.network.loss == Loss::kCrossEntropy;
  SWEEP_RETURN_IF_ERROR(CheckMemory(config, data, classify ? data.num_classes : 1));
  *model = Mlp(data.cols, config.network.hidden, classify ? data.num_classes : 1,
               config.network.activation, classify ? OutputKind::kSoftmax : OutputKind::kLinear,
               config.network.init, SubSeed(config.seed, 1));
  return split;
}

Status CheckDeviceReady(const TrainConfig& config) {
  SWEEP_RETURN_IF_ERROR(CheckDeviceBuilt(config.device));
  if (config.device != Device::kCuda) return Status::Ok();
  SWEEP_RETURN_IF_ERROR(cuda::CheckSupported(config));
  return cuda::CheckDeviceUsable();
}

StatusOr<TrainReport> Train(const TrainConfig& config, const Dataset& data, Mlp* model,
                            const TrainHooks& hooks) {
  // Checked before anything is computed: an unsupported feature fails at once.
  SWEEP_RETURN_IF_ERROR(CheckDeviceReady(config));
  SWEEP_ASSIGN_OR_RETURN(Split split, PrepareRun(config, data, model));
  if (config.device == Device::kCuda) {
    std::vector<cuda::RowJob> rows(1);
    rows[0] = {&config, std::move(split.train), std::move(split.val), model, &hooks};
    return std::move(cuda::TrainRows(data, rows).front());
  }
  Trainer trainer(config, data, std::move(split), model, hooks);
  if (hooks.resume != nullptr) SWEEP_RETURN_IF_ERROR(trainer.Restore(*hooks.resume));
  return trainer.Run();
}

}  // namespace sweep::model
